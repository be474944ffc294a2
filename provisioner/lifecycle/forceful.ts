import type { Clock } from '../runtime/clock.js';
import type { Recorder } from '../runtime/recorder.js';
import type { ClusterActions } from '../api/cluster-actions.js';
import type { NodePool } from '../api/nodepool.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';
import type { Drainer } from './drain.js';

/** Launches capacity for pods about to lose their node (the provisioner); resolves once the cloud accepted the launches. */
export interface Replacer {
  replace(pods: readonly StatePod[]): Promise<{ claims: string[]; instanceTypes: string[] }>;
}

export interface ForcefulDisruptionDeps {
  clock: Clock;
  recorder: Recorder;
  actions: ClusterActions;
  replacer: Replacer;
  drainer: Drainer;
  pools: readonly NodePool[];
}

/** How many replacement instance types a decision names: the cheapest, as claim.created lists them first. */
const LOGGED_TYPES = 10;

/**
 * The forceful disruption methods, expiration and interruption: no budget, no waiting for a replacement to be Ready.
 * The node is cordoned, a replacement is launched at once for its pods (those that fit elsewhere need none), and
 * the drain starts, bounded by the NodePool's terminationGracePeriod, once the cloud has accepted the replacements.
 * Each node is taken once (from the call on, so a second notice while the launches are in flight takes nothing).
 */
export class ForcefulDisruption {
  private readonly taken = new Set<string>();

  constructor(private readonly deps: ForcefulDisruptionDeps) {}

  async disrupt(node: StateNode, method: 'expiration' | 'interruption', reason: 'Expired' | 'Interrupted'): Promise<void> {
    if (!node.alive || this.taken.has(node.name)) return;
    this.taken.add(node.name);
    const { clock, recorder, actions, replacer, drainer, pools } = this.deps;
    actions.cordon(node, reason.toLowerCase());
    const pods = [...node.pods].filter((p) => p.phase === 'bound' || p.phase === 'ready');
    const { claims, instanceTypes } = await replacer.replace(pods);
    recorder.emit({
      type: 'disruption.decided',
      method,
      reason,
      nodes: [node.name],
      replacements: claims,
      replacementTypes: instanceTypes.slice(0, LOGGED_TYPES),
      savingsPerHour: 0,
      pods: pods.length,
    });
    const grace = pools.find((p) => node.ownerKind === 'nodepool' && p.name === node.owner)?.terminationGracePeriodMs ?? null;
    drainer.drain(node, reason, grace === null ? {} : { deadlineT: clock.now() + grace });
  }
}
