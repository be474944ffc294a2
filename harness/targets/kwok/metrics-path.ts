import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { sleep, stopwatch } from '../../clock/wall-clock.js';
import { RunError } from '../../runner/errors.js';
import { interruption } from '../../runner/interrupt.js';
import type { KubeClient } from '../kube-client.js';
import { resourceMetricsPath } from '../kwok-nodes.js';
import { aggregationCredentials, FRONT_PROXY_CLIENT } from './credentials.js';
import { readKwokManifest } from './kwok-module.js';
import { LOOPBACK } from './ports.js';
import { metricsServerTimingFlags, type ScenarioTimings } from './speed.js';

/**
 * The metrics path a real HPA reads on kwok: kwok serves kubelet-style resource metrics per node (its Metric), with
 * each pod's usage from a ClusterResourceUsage; metrics-server scrapes them and serves metrics.k8s.io, reached
 * through kube-apiserver's aggregation layer (an APIService in front of an ExternalName Service on loopback).
 */

/** The ClusterResourceUsage kwok's stock manifest creates; live load is driven by rewriting its CPU expression. */
export const USAGE_OBJECT_NAME = 'usage-from-annotation';
export const METRICS_APISERVICE = 'v1beta1.metrics.k8s.io';

export interface AggregationFiles {
  frontProxyCa: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  clientCa: string;
  metricsServerCert: string;
  metricsServerKey: string;
  /** The APIService's caBundle. */
  metricsServerCaPem: string;
}

/** Issues the aggregation layer's certificates into `pki` (a throwaway folder, deleted at teardown). */
export function writeAggregationPki(pki: string, now: Date): AggregationFiles {
  const creds = aggregationCredentials(now);
  const files = {
    frontProxyCa: join(pki, 'front-proxy-ca.crt'),
    frontProxyClientCert: join(pki, 'front-proxy-client.crt'),
    frontProxyClientKey: join(pki, 'front-proxy-client.key'),
    clientCa: join(pki, 'client-ca.crt'),
    metricsServerCert: join(pki, 'metrics-server.crt'),
    metricsServerKey: join(pki, 'metrics-server.key'),
  };
  writeFileSync(files.frontProxyCa, creds.frontProxyCaPem);
  writeFileSync(files.frontProxyClientCert, creds.frontProxyClientCertPem);
  writeFileSync(files.frontProxyClientKey, creds.frontProxyClientKeyPem, { mode: 0o600 });
  writeFileSync(files.clientCa, creds.clientCaPem);
  writeFileSync(files.metricsServerCert, creds.metricsServerCertPem);
  writeFileSync(files.metricsServerKey, creds.metricsServerKeyPem, { mode: 0o600 });
  return { ...files, metricsServerCaPem: creds.metricsServerCaPem };
}

/** kube-apiserver's aggregation-layer flags (--enable-aggregator-routing is not needed: the Service is ExternalName). */
export function apiserverAggregationFlags(files: AggregationFiles): string[] {
  return [
    `--client-ca-file=${files.clientCa}`,
    `--requestheader-client-ca-file=${files.frontProxyCa}`,
    `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${files.frontProxyClientCert}`,
    `--proxy-client-key-file=${files.frontProxyClientKey}`,
  ];
}

/** kwok's flags for the metrics path: nodes advertise kwok's own server as their kubelet, on loopback. */
export function kwokMetricsFlags(kwokPort: number): string[] {
  return [`--node-ip=${LOOPBACK}`, `--node-port=${kwokPort}`, '--enable-crds=ClusterResourceUsage'];
}

/**
 * The Metric document for kwok's --config, unchanged from the kwok module. Its path must be the one kwok nodes
 * announce in their resource-metrics-path annotation, or metrics-server would scrape nothing.
 */
export function kwokMetricConfig(kwokVersion: string): string {
  const text = readKwokManifest(kwokVersion, 'resourceMetric');
  const path = (single(text, 'the resource Metric') as { spec?: { path?: string } }).spec?.path;
  const expected = resourceMetricsPath('{nodeName}');
  if (path !== expected) {
    throw new RunError(`kwok's resource Metric serves ${path}, but kwok nodes point metrics-server at ${expected}`, 'kind/versions.env may pin a kwok burstlab does not know; update harness/targets/kwok-nodes.ts with it');
  }
  return text;
}

export function metricsServerArgs(opts: { kubeconfig: string; port: number; files: AggregationFiles; timings: ScenarioTimings; speed: number }): string[] {
  return [
    `--kubeconfig=${opts.kubeconfig}`,
    `--authentication-kubeconfig=${opts.kubeconfig}`,
    `--authorization-kubeconfig=${opts.kubeconfig}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${opts.port}`,
    `--tls-cert-file=${opts.files.metricsServerCert}`,
    `--tls-private-key-file=${opts.files.metricsServerKey}`,
    // kwok's node port answers plain HTTP (and HTTPS with a throwaway certificate) on loopback.
    '--kubelet-preferred-address-types=InternalIP',
    '--kubelet-use-node-status-port',
    '--deprecated-kubelet-completely-insecure',
    ...metricsServerTimingFlags(opts.timings, opts.speed),
  ];
}

/** Objects the API server needs before kwok and metrics-server start: the usage CRD first, then what uses it. */
export function metricsObjects(kwokVersion: string, metricsServerPort: number, caBundlePem: string): { crd: KubernetesObject; objects: KubernetesObject[] } {
  const crd = single(readKwokManifest(kwokVersion, 'usageCrd'), 'the ClusterResourceUsage CRD');
  const usage = single(readKwokManifest(kwokVersion, 'usageFromAnnotation'), 'the stock ClusterResourceUsage');
  if (usage.metadata?.name !== USAGE_OBJECT_NAME) {
    throw new RunError(`kwok's ${USAGE_OBJECT_NAME}.yaml names its object '${usage.metadata?.name}'`, 'kind/versions.env may pin a kwok burstlab does not know; restore it from git');
  }
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metrics-server', namespace: 'kube-system' },
    // metrics-server runs as a process on loopback; kwokctl points the Service there the same way.
    spec: { type: 'ExternalName', externalName: LOOPBACK },
  };
  const apiService = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: METRICS_APISERVICE },
    spec: {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { name: 'metrics-server', namespace: 'kube-system', port: metricsServerPort },
      caBundle: Buffer.from(caBundlePem).toString('base64'),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
  return { crd, objects: [usage, service, apiService] };
}

/** Applies the CRD, waits until it is Established (within `timeoutMs`), then applies the rest. */
export async function applyMetricsObjects(client: KubeClient, m: ReturnType<typeof metricsObjects>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  await client.apply([m.crd]);
  const waited = stopwatch();
  for (;;) {
    if (signal?.aborted) throw interruption(signal);
    if (crdEstablished(await client.objects.read({ apiVersion: m.crd.apiVersion, kind: m.crd.kind, metadata: { name: m.crd.metadata!.name! } }))) break;
    if (waited() > timeoutMs) throw new RunError(`the ClusterResourceUsage CRD was not Established after ${Math.round(waited() / 1000)} s`, 'see logs/kube-apiserver.log');
    await sleep(50);
  }
  await client.apply(m.objects);
}

/** True once the CRD can be used: the API serves its kind only after it is Established. */
export function crdEstablished(crd: unknown): boolean {
  return hasCondition(crd, 'Established');
}

/** True once the aggregator reaches metrics-server through the APIService. */
export function apiServiceAvailable(apiService: unknown): boolean {
  return hasCondition(apiService, 'Available');
}

function hasCondition(obj: unknown, type: string): boolean {
  const conditions = (obj as { status?: { conditions?: Array<{ type?: string; status?: string }> } } | undefined)?.status?.conditions ?? [];
  return conditions.some((c) => c.type === type && c.status === 'True');
}

function single(text: string, what: string): KubernetesObject {
  const docs = parseAllDocuments(text)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((d): d is KubernetesObject => d !== null && typeof d === 'object');
  if (docs.length !== 1) throw new RunError(`kwok's manifest for ${what} holds ${docs.length} objects, not 1`, 'kind/versions.env may pin a kwok burstlab does not know');
  return docs[0]!;
}
