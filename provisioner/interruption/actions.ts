import type { NodeInterruption } from '../runtime/events.js';

export type InterruptionKind = NodeInterruption['kind'];

/** What Karpenter does with a message on its interruption queue. */
export type InterruptionAction =
  | { kind: 'none' }
  /** Cordon, replace and drain the node; a Spot reclaim also marks its offering out of capacity. */
  | { kind: 'cordon-and-drain'; markUnavailable: boolean };

/**
 * Karpenter v1's mapping of EC2 events to actions: a Spot interruption warning, a scheduled change (AWS Health) and
 * an instance state change (stopping, stopped, shutting-down, terminated) delete the node's claim, which cordons,
 * replaces and drains it; only the Spot warning also puts the offering in the insufficient-capacity cache, since
 * EC2 is taking that capacity back. A rebalance recommendation is only recorded: Karpenter takes no action on it.
 */
export function interruptionAction(kind: InterruptionKind): InterruptionAction {
  switch (kind) {
    case 'spot-interruption':
      return { kind: 'cordon-and-drain', markUnavailable: true };
    case 'scheduled-change':
    case 'state-change':
      return { kind: 'cordon-and-drain', markUnavailable: false };
    case 'rebalance-recommendation':
      return { kind: 'none' };
  }
}
