import type { KubernetesObject, V1DaemonSet, V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { KWOK_TOLERATION } from '../kwok-nodes.js';
import { liveObjects } from '../live/execute-live.js';
import type { LiveObjects } from '../live/manifests.js';
import type { LiveParts } from '../live/parts.js';

/** The port burstlab-workload serves on (kind/tools/workload: LISTEN's default) and its readiness path. */
export const WORKLOAD_PORT = 8080;
const READY_PATH = '/readyz';

/**
 * The objects a `--target kind` run applies: the kwok target's (live/manifests.ts and the parts'), with every pod a
 * real container of the locally built workload image (never pulled: it is in each node's containerd), its readiness
 * probe on /readyz, and its start-up delay the scenario's median container start; the kwok plumbing (the `type: kwok`
 * selector, kwok's taint toleration, its stage delays) taken off. Pure.
 */
export function kindObjects(scenario: Scenario, speed: number, parts: Pick<LiveParts, 'objects'>, workloadImage: string): LiveObjects {
  const planned = liveObjects(scenario, speed, parts);
  const startupMs = new Map(scenario.workloads.map((w) => [w.name, Math.round(w.startup.containerStart.medianMs / speed)]));
  const objects: KubernetesObject[] = planned.objects.map((obj) => {
    if (obj.kind === 'Deployment') {
      const d = obj as V1Deployment;
      return realDeployment(d, workloadImage, startupMs.get(d.metadata!.name!) ?? 0);
    }
    if (obj.kind === 'DaemonSet') {
      const ds = obj as V1DaemonSet;
      return { ...ds, spec: { ...ds.spec!, template: { ...ds.spec!.template, spec: realPod(ds.spec!.template.spec!, workloadImage, 0) } } };
    }
    return obj;
  });
  const warnings: ScenarioWarning[] = planned.warnings.filter((w) => !/^workloads\[\d+\]\.startup$/.test(w.path));
  scenario.workloads.forEach((w, i) => {
    warnings.push({
      path: `workloads[${i}].startup`,
      message:
        `real containers of ${workloadImage}: the image comes from each node's local store (the scenario's image pull, median ${w.startup.imagePull.medianMs / 1000} s, is not played) ` +
        `and the server starts listening after the scenario's median container start (${w.startup.containerStart.medianMs / 1000} s, its spread not played); pod-to-ready adds real container start and readiness`,
    });
  });
  return { objects, warnings };
}

function realDeployment(d: V1Deployment, image: string, startupMs: number): V1Deployment {
  const template = d.spec!.template;
  const annotations = Object.fromEntries(Object.entries(template.metadata?.annotations ?? {}).filter(([k]) => !k.endsWith('.stage.kwok.x-k8s.io/delay') && !k.endsWith('.stage.kwok.x-k8s.io/jitter-delay')));
  return { ...d, spec: { ...d.spec!, template: { metadata: { ...template.metadata, annotations }, spec: realPod(template.spec!, image, startupMs) } } };
}

function realPod(pod: V1PodSpec, image: string, startupMs: number): V1PodSpec {
  const nodeSelector = Object.fromEntries(Object.entries(pod.nodeSelector ?? {}).filter(([k, v]) => !(k === 'type' && v === 'kwok')));
  const tolerations = (pod.tolerations ?? []).filter((t) => t.key !== KWOK_TOLERATION.key);
  const { nodeSelector: _ns, tolerations: _t, ...rest } = pod;
  return {
    ...rest,
    containers: pod.containers.map((c) => ({
      ...c,
      image,
      imagePullPolicy: 'Never',
      env: [{ name: 'STARTUP_DELAY', value: `${startupMs}ms` }],
      ports: [{ containerPort: WORKLOAD_PORT }],
      readinessProbe: { httpGet: { path: READY_PATH, port: WORKLOAD_PORT }, periodSeconds: 1 },
    })),
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
  };
}
