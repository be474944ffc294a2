import type { Clock } from '../../harness/clock/clock.js';
import type { DisruptionReason } from '../../harness/recorder/events.js';
import type { ClusterActions } from '../api/cluster-actions.js';
import type { CloudProvider } from '../cloudprovider/cloud-provider.js';
import type { StateNode } from '../state/state-node.js';

export interface DrainOptions {
  /** Why the node goes: every pod deletion the drain causes carries it. */
  reason: DisruptionReason;
  /**
   * When pods still blocking the drain are deleted and the node is terminated (the NodePool's
   * terminationGracePeriod after the drain began); null waits for ever, as upstream without one.
   */
  deadline: number | null;
}

/** Takes a cordoned node's pods off it and then deletes its instance. */
export interface Drainer {
  drain(node: StateNode, options: DrainOptions): void;
}

export interface EvictingDrainerDeps {
  clock: Clock;
  cloud: CloudProvider;
  actions: ClusterActions;
  /** How often a drain looks again while pods are shutting down (Karpenter's termination controller requeues). */
  retryMs?: number;
  /** How often it looks again while only blocked pods are left, before its deadline. */
  blockedRetryMs?: number;
}

/**
 * Karpenter's termination flow, simply: every pod that may be evicted is evicted at once; a pod annotated
 * karpenter.sh/do-not-disrupt blocks the drain until the deadline, when every pod left is deleted and the instance
 * terminated, whatever is still shutting down; otherwise the instance is deleted once the node runs no pods. PodDisruptionBudgets are not consulted here.
 */
export class EvictingDrainer implements Drainer {
  constructor(private readonly deps: EvictingDrainerDeps) {}

  drain(node: StateNode, options: DrainOptions): void {
    const { clock, cloud, actions } = this.deps;
    actions.cordon(node, options.reason.toLowerCase());
    const step = (): void => {
      if (!node.alive) return;
      const now = clock.now();
      const forced = options.deadline !== null && now >= options.deadline;
      let blocked = 0;
      for (const pod of [...node.pods]) {
        if (pod.phase === 'terminating' || pod.phase === 'gone') continue;
        if (forced) actions.deletePod(pod, options.reason);
        else if (pod.spec.doNotDisrupt) blocked++;
        else actions.evict(pod, options.reason);
      }
      if (forced || node.pods.size === 0) {
        cloud.delete(node.name, options.reason.toLowerCase());
        return;
      }
      const onlyBlocked = blocked === node.pods.size;
      let wait = onlyBlocked ? (this.deps.blockedRetryMs ?? 10_000) : (this.deps.retryMs ?? 1_000);
      if (options.deadline !== null) wait = Math.min(wait, Math.max(0, options.deadline - now));
      clock.setTimer(wait, step);
    };
    step();
  }
}
