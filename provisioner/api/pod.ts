import type { Requirements } from '../scheduling/requirements.js';
import type { Resources } from './resources.js';
import type { Toleration } from './taints.js';

export type TopologyKey = 'topology.kubernetes.io/zone' | 'kubernetes.io/hostname';

export interface TopologySpread {
  topologyKey: TopologyKey;
  maxSkew: number;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
}

/**
 * What every pod of one workload shares: requests and placement constraints. Pods are grouped by spec, so the
 * scheduler and the solver decide once per spec where they can. Spread and anti-affinity count pods of the same
 * workload (the selector a Deployment's pods share).
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
  antiAffinity: readonly TopologyKey[];
  doNotDisrupt: boolean;
  /** `karpenter.sh/do-not-disrupt` with a duration: each pod is protected this long after it started. */
  doNotDisruptForMs?: number;
}

/** A pod as the scheduler and the autoscalers see it. */
export interface PodRef {
  name: string;
  spec: PodSpec;
}
