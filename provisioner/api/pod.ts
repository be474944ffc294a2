import type { Requirements } from '../scheduling/requirements.js';
import type { Resources } from './resources.js';
import type { Toleration } from './taints.js';

export type TopologyKey = 'topology.kubernetes.io/zone' | 'kubernetes.io/hostname';

export interface TopologySpread {
  topologyKey: TopologyKey;
  maxSkew: number;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  /** Workloads whose pods the constraint's labelSelector matches: the pods it counts. */
  selects: readonly string[];
}

/** A required pod (anti-)affinity term: the workloads whose pods its labelSelector matches, per domain of the key. */
export interface PodAffinityTerm {
  topologyKey: TopologyKey;
  selects: readonly string[];
}

/**
 * What every pod of one workload shares: requests and placement constraints. Pods are grouped by spec, so the
 * scheduler and the solver decide once per spec where they can. Spread and pod (anti-)affinity count the pods their
 * labelSelector matches, resolved to workloads when the spec is built (pod labels are a workload's).
 */
export interface PodSpec {
  workload: string;
  /** Requests including `pods: 1`. */
  requests: Resources;
  priority: number;
  /** nodeSelector and required node affinity, intersected. */
  nodeRequirements: Requirements;
  tolerations: readonly Toleration[];
  topologySpread: readonly TopologySpread[];
  /** Required pod affinity: each term's domain must already hold a pod it selects (or none exists and it selects itself). */
  affinity: readonly PodAffinityTerm[];
  /** Required pod anti-affinity: no pod a term selects in the domain. */
  antiAffinity: readonly PodAffinityTerm[];
  doNotDisrupt: boolean;
  /** `karpenter.sh/do-not-disrupt` with a duration: each pod is protected this long after it started. */
  doNotDisruptForMs?: number;
}

/** A pod as the scheduler and the autoscalers see it. */
export interface PodRef {
  name: string;
  spec: PodSpec;
}
