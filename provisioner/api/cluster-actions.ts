import type { DisruptionReason } from '../../harness/recorder/events.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';

/**
 * What autoscalers may do to the cluster besides launching and deleting instances. The sim applies these to its
 * state; live targets call the Kubernetes API (cordon = spec.unschedulable, evict = the Eviction API).
 */
export interface ClusterActions {
  cordon(node: StateNode, reason: string): void;
  /** Evicts a pod; its controller replaces it elsewhere. `cause`: why its node is being taken away, when it is. */
  evict(pod: StatePod, cause?: DisruptionReason): void;
}
