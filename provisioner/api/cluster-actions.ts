import type { DisruptionReason } from '../runtime/events.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';

/**
 * What autoscalers may do to the cluster besides launching and deleting instances. The sim applies these to its
 * state; live targets call the Kubernetes API (cordon = spec.unschedulable, evict = the Eviction API).
 */
export interface ClusterActions {
  cordon(node: StateNode, reason: string): void;
  /** Evicts a pod; its controller replaces it elsewhere. `cause` is why its node is being taken away. */
  evict(pod: StatePod, cause?: DisruptionReason): void;
  /**
   * Deletes a pod without the Eviction API, because its node goes now: a drain's grace period ran out, or the
   * instance is gone. Its controller replaces it elsewhere.
   */
  deletePod(pod: StatePod, cause: DisruptionReason): void;
}
