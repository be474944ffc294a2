import type { DisruptionReason } from '../runtime/events.js';
import type { StateNode } from '../state/state-node.js';

/**
 * Takes a cordoned node's pods off it and then deletes its instance: provisioner/disruption/termination.ts's
 * Terminator, the one drain every disruption uses. `deadlineT` bounds a forceful drain (terminationGracePeriod).
 */
export interface Drainer {
  drain(node: StateNode, cause: DisruptionReason, options: { deadlineT?: number }): void;
}
