import type { V1Node } from '@kubernetes/client-node';
import type { CapacityType } from '../../provisioner/runtime/events.js';
import { INITIAL_ANNOTATION, LAUNCHED_AT_ANNOTATION, PRICE_ANNOTATION } from '../recorder/live-nodes.js';

/** kwok's conventions: the annotation its controller selects nodes by, and the taint that keeps real pods off. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const KWOK_TAINT = { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' } as const;
/** What a pod needs to land on a kwok node. */
export const KWOK_TOLERATION = { key: KWOK_TAINT.key, operator: 'Equal', value: KWOK_TAINT.value, effect: KWOK_TAINT.effect } as const;
/**
 * Where metrics-server (v0.8+) scrapes a node's resource metrics instead of the kubelet's /metrics/resource: the
 * path kwok's Metric (kwok's kustomize/metrics/resource) serves them on, as kwokctl's node template sets it.
 */
export const RESOURCE_METRICS_PATH_ANNOTATION = 'metrics.k8s.io/resource-metrics-path';
export const resourceMetricsPath = (nodeName: string): string => `/metrics/nodes/${nodeName}/metrics/resource`;

export interface KwokNodeSpec {
  name: string;
  instanceType: string;
  /** e.g. us-east-1a; the region label is derived from it. */
  zone: string;
  capacityType: CapacityType;
  /** Kubernetes' spelling: amd64 or arm64. */
  arch: 'amd64' | 'arm64';
  /** The NodePool it belongs to; absent for a node group's node (which carries its group label instead). */
  nodepool?: string;
  /** Allocatable resources. */
  cpuMilli: number;
  memoryMiB: number;
  maxPods: number;
  pricePerHour: number;
  /** True for nodes that exist before the scenario starts. */
  initial?: boolean;
  /** Boot delay override for the node-initialize stage (e.g. "45s"); the cluster's default otherwise. */
  readyDelay?: string;
  /** Capacity when it differs from allocatable (kube-reserved and the eviction threshold taken off). */
  capacity?: { cpuMilli: number; memoryMiB: number; maxPods: number };
  gpus?: number;
  /** More labels (the catalog's karpenter.k8s.aws/*, a pool's or group's own); they win over the defaults. */
  labels?: Record<string, string>;
  /** Taints besides kwok's own (a NodePool's or node group's). */
  taints?: ReadonlyArray<{ key: string; value?: string | undefined; effect: string }>;
  /** LAUNCHED_AT_ANNOTATION: when the launch was requested, if the node was booted by a provisioner. */
  launchedAt?: string;
}

/** A Node object labelled the way EKS and Karpenter label real nodes, for kwok to manage. */
export function kwokNode(spec: KwokNodeSpec): V1Node {
  const region = spec.zone.replace(/[a-z]$/, '');
  const gpu: Record<string, string> = spec.gpus ? { 'nvidia.com/gpu': String(spec.gpus) } : {};
  const resources = { cpu: `${spec.cpuMilli}m`, memory: `${spec.memoryMiB}Mi`, pods: String(spec.maxPods), ...gpu };
  const capacity = spec.capacity ? { cpu: `${spec.capacity.cpuMilli}m`, memory: `${spec.capacity.memoryMiB}Mi`, pods: String(spec.capacity.maxPods), ...gpu } : { ...resources };
  const annotations: Record<string, string> = {
    [KWOK_NODE_ANNOTATION]: 'fake',
    [PRICE_ANNOTATION]: String(spec.pricePerHour),
    [RESOURCE_METRICS_PATH_ANNOTATION]: resourceMetricsPath(spec.name),
  };
  if (spec.initial) annotations[INITIAL_ANNOTATION] = 'true';
  if (spec.readyDelay) annotations['node-initialize.stage.kwok.x-k8s.io/delay'] = spec.readyDelay;
  if (spec.launchedAt) annotations[LAUNCHED_AT_ANNOTATION] = spec.launchedAt;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': spec.arch,
        'node.kubernetes.io/instance-type': spec.instanceType,
        'topology.kubernetes.io/zone': spec.zone,
        'topology.kubernetes.io/region': region,
        'karpenter.sh/capacity-type': spec.capacityType,
        ...(spec.nodepool !== undefined ? { 'karpenter.sh/nodepool': spec.nodepool } : {}),
        // kwok's own label convention, so kwok examples and selectors work unchanged.
        type: 'kwok',
        ...spec.labels,
      },
      annotations,
    },
    spec: { taints: [{ ...KWOK_TAINT }, ...(spec.taints ?? []).map((t) => ({ ...t }))] },
    status: { allocatable: resources, capacity },
  };
}
