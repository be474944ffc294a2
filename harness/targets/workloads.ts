import type { V1Affinity, V1DaemonSet, V1Deployment, V1LabelSelector, V1PodAffinityTerm, V1PodSpec, V1ResourceRequirements, V1Toleration, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { RequirementSpec, TolerationSpec, WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';
import { KWOK_TOLERATION } from './kwok-nodes.js';
import { WORKLOAD_LABEL } from './live/seams.js';

type TopologySpreadSpec = WorkloadSpec['topologySpread'][number];
type AffinityTermSpec = WorkloadSpec['podAntiAffinity'][number];
type LabelSelectorSpec = NonNullable<AffinityTermSpec['labelSelector']>;

export interface DeploymentSpec {
  name: string;
  namespace: string;
  replicas: number;
  cpuMilli: number;
  memoryMiB: number;
  /** `nvidia.com/gpu` per pod; extended resources are requested and limited alike. */
  gpu?: number;
  /** Only onto kwok's fake nodes (tolerating their taint); false for clusters with real kubelets. */
  kwok: boolean;
  /** Pod labels besides the workload label: what other workloads' labelSelectors match. */
  podLabels?: Record<string, string>;
  /** On every pod: e.g. a kwok stage's per-pod delay, `pod-ready.stage.kwok.x-k8s.io/delay: 2s`. */
  podAnnotations?: Record<string, string>;
  priorityClassName?: string;
  /** Merged over kwok's own `type: kwok` selector on the kwok target. */
  nodeSelector?: Record<string, string>;
  /** Required node affinity: every requirement must hold (one nodeSelectorTerm). */
  nodeAffinity?: readonly RequirementSpec[];
  tolerations?: readonly TolerationSpec[];
  /** Spread over the pods a term's labelSelector matches; without one, the Deployment's own pods. */
  topologySpread?: readonly TopologySpreadSpec[];
  /** Required pod affinity, each term's labelSelector as for spread. */
  podAffinity?: readonly AffinityTermSpec[];
  /** Required anti-affinity, each term's labelSelector as for spread. */
  podAntiAffinity?: readonly AffinityTermSpec[];
  terminationGracePeriodSeconds?: number;
}

/** The labels of a workload's pods, which its selector, spread and anti-affinity terms select by. */
export function workloadLabels(name: string): Record<string, string> {
  return { [WORKLOAD_LABEL]: name };
}

/** A stateless Deployment with resource requests and the scheduling constraints of a scenario workload. */
export function deployment(spec: DeploymentSpec): V1Deployment {
  const labels = workloadLabels(spec.name);
  const nodeSelector = { ...(spec.kwok ? { type: 'kwok' } : {}), ...spec.nodeSelector };
  const tolerations = [...(spec.kwok ? [{ ...KWOK_TOLERATION }] : []), ...(spec.tolerations ?? []).map(tolerationOf)];
  const affinity = affinityOf(spec.nodeAffinity ?? [], spec.podAffinity ?? [], spec.podAntiAffinity ?? [], labels);
  const pod: V1PodSpec = {
    containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: resourcesOf(spec.cpuMilli, spec.memoryMiB, spec.gpu ?? 0) }],
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(affinity ? { affinity } : {}),
    ...(spec.topologySpread?.length ? { topologySpreadConstraints: spec.topologySpread.map((t) => topologySpreadOf(t, labels)) } : {}),
    ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
    ...(spec.terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds }),
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels: { ...spec.podLabels, ...labels }, ...(spec.podAnnotations ? { annotations: spec.podAnnotations } : {}) }, spec: pod },
    },
  };
}

export interface DaemonSetSpec {
  name: string;
  namespace: string;
  cpuMilli: number;
  memoryMiB: number;
  gpu?: number;
}

/** The label of a DaemonSet's pods: not the workload label, so they are node overhead and never a workload's pods. */
export const DAEMONSET_LABEL = 'burstlab.io/daemonset';

/**
 * A DaemonSet that requests room on every node, as aws-node or kube-proxy do. It tolerates every taint, as those
 * do, so its pods land on every node whatever the scenario taints them with, kwok's own taint included.
 */
export function daemonSet(spec: DaemonSetSpec): V1DaemonSet {
  const labels = { [DAEMONSET_LABEL]: spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: spec.name, image: 'registry.k8s.io/pause:3.10', resources: resourcesOf(spec.cpuMilli, spec.memoryMiB, spec.gpu ?? 0) }],
          tolerations: [{ operator: 'Exists' }],
        },
      },
    },
  };
}

export function resourcesOf(cpuMilli: number, memoryMiB: number, gpu: number): V1ResourceRequirements {
  const requests: Record<string, string> = { cpu: `${cpuMilli}m`, memory: `${memoryMiB}Mi` };
  if (gpu === 0) return { requests };
  return { requests: { ...requests, 'nvidia.com/gpu': String(gpu) }, limits: { 'nvidia.com/gpu': String(gpu) } };
}

export function tolerationOf(t: TolerationSpec): V1Toleration {
  return {
    ...(t.key === undefined ? {} : { key: t.key }),
    operator: t.operator,
    ...(t.value === undefined ? {} : { value: t.value }),
    ...(t.effect === undefined ? {} : { effect: t.effect }),
  };
}

export function topologySpreadOf(t: TopologySpreadSpec, labels: Record<string, string>): V1TopologySpreadConstraint {
  return { topologyKey: t.topologyKey, maxSkew: t.maxSkew, whenUnsatisfiable: t.whenUnsatisfiable, labelSelector: selectorOf(t.labelSelector, labels) };
}

/** Required node affinity (all requirements in one term) and required pod (anti-)affinity. */
export function affinityOf(
  requirements: readonly RequirementSpec[],
  podAffinity: readonly AffinityTermSpec[],
  antiAffinity: readonly AffinityTermSpec[],
  labels: Record<string, string>,
): V1Affinity | undefined {
  const affinity: V1Affinity = {};
  if (requirements.length > 0) {
    affinity.nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: requirements.map((r) => ({ key: r.key, operator: r.operator, ...(r.values?.length ? { values: [...r.values] } : {}) })) }],
      },
    };
  }
  const term = (a: AffinityTermSpec): V1PodAffinityTerm => ({ topologyKey: a.topologyKey, labelSelector: selectorOf(a.labelSelector, labels) });
  if (podAffinity.length > 0) affinity.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: podAffinity.map(term) };
  if (antiAffinity.length > 0) affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: antiAffinity.map(term) };
  return Object.keys(affinity).length > 0 ? affinity : undefined;
}

/** A scenario's labelSelector as the API's; without one, the workload's own pods (its Deployment's selector). */
function selectorOf(selector: LabelSelectorSpec | undefined, own: Record<string, string>): V1LabelSelector {
  if (!selector) return { matchLabels: { ...own } };
  return {
    ...(Object.keys(selector.matchLabels).length > 0 ? { matchLabels: { ...selector.matchLabels } } : {}),
    ...(selector.matchExpressions.length > 0
      ? { matchExpressions: selector.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values?.length ? { values: [...e.values] } : {}) })) }
      : {}),
  };
}
