import type { Clock } from '../../harness/clock/clock.js';
import type { ClusterActions } from '../api/cluster-actions.js';
import type { NodePool } from '../api/nodepool.js';
import type { CloudProvider } from '../cloudprovider/cloud-provider.js';
import type { ClusterState } from '../state/cluster-state.js';
import type { StateNode } from '../state/state-node.js';
import { allowedDisruptions } from './budget.js';

export interface EmptinessDeps {
  clock: Clock;
  state: ClusterState;
  cloud: CloudProvider;
  actions: ClusterActions;
  pools: readonly NodePool[];
  /** How often the disruption controller looks (Karpenter polls about every 10 s). */
  pollMs?: number;
  /** Karpenter re-validates a decision after 15 s before acting on it. */
  validateMs?: number;
}

/**
 * Karpenter's emptiness method: a NodePool node with no workload pods for `consolidateAfter` is cordoned and
 * deleted, within the pool's disruption budget (10% of its nodes), after the decision is re-validated.
 * Consolidation of under-used nodes is a separate method, not modelled yet.
 */
export class EmptinessController {
  private readonly pending = new Set<string>();

  constructor(private readonly deps: EmptinessDeps) {}

  start(): void {
    const poll = this.deps.pollMs ?? 10_000;
    const loop = (): void => {
      this.tick();
      this.deps.clock.setTimer(poll, loop);
    };
    this.deps.clock.setTimer(poll, loop);
  }

  tick(): void {
    const now = this.deps.clock.now();
    for (const pool of this.deps.pools) {
      if (pool.consolidateAfterMs === null) continue;
      const owned = [...this.deps.state.nodes.values()].filter((n) => n.ownerKind === 'nodepool' && n.owner === pool.name && n.phase !== 'terminated');
      const disrupting = owned.filter((n) => n.phase === 'terminating' || n.cordoned || this.pending.has(n.name)).length;
      let allowed = allowedDisruptions(owned.length, disrupting);
      const candidates = owned
        .filter((n) => this.isEmptyFor(n, pool.consolidateAfterMs!, now) && !this.pending.has(n.name))
        .sort((a, b) => a.emptySince! - b.emptySince! || (a.name < b.name ? -1 : 1));
      for (const node of candidates) {
        if (allowed-- <= 0) break;
        this.pending.add(node.name);
        this.deps.clock.setTimer(this.deps.validateMs ?? 15_000, () => {
          this.pending.delete(node.name);
          if (!this.isEmptyFor(node, pool.consolidateAfterMs!, this.deps.clock.now())) return;
          this.deps.actions.cordon(node, 'empty');
          this.deps.cloud.delete(node.name, 'empty');
        });
      }
    }
  }

  private isEmptyFor(node: StateNode, afterMs: number, now: number): boolean {
    return node.phase === 'ready' && !node.cordoned && node.emptySince !== null && now - node.emptySince >= afterMs;
  }
}
