import type { Clock } from '../runtime/clock.js';
import type { NodePool } from '../api/nodepool.js';
import type { ClusterState } from '../state/cluster-state.js';
import type { StateNode } from '../state/state-node.js';
import type { ForcefulDisruption } from './forceful.js';

export interface ExpirationDeps {
  clock: Clock;
  state: ClusterState;
  pools: readonly NodePool[];
  forceful: ForcefulDisruption;
  /** How often expiry is checked once the first node could have expired. */
  pollMs?: number;
}

/**
 * Karpenter v1's expiration: a NodePool node older than the pool's `expireAfter` (counted from its launch) is
 * disrupted with reason Expired, forcefully (no budget, do-not-disrupt and PDBs respected only until the
 * terminationGracePeriod). Nothing can expire before the shortest expireAfter, so polling starts then.
 */
export class ExpirationController {
  constructor(private readonly deps: ExpirationDeps) {}

  start(): void {
    const ages = this.deps.pools.flatMap((p) => (p.expireAfterMs === null ? [] : [p.expireAfterMs]));
    if (ages.length === 0) return;
    const poll = this.deps.pollMs ?? 10_000;
    const loop = (): Promise<void> | undefined => {
      const done = this.tick();
      if (!done) {
        this.deps.clock.setTimer(poll, loop);
        return undefined;
      }
      return done.then(() => void this.deps.clock.setTimer(poll, loop));
    };
    this.deps.clock.setTimer(Math.max(0, ages.reduce((a, b) => Math.min(a, b), Infinity) - this.deps.clock.now()), loop);
  }

  /**
   * Disrupts every expired node, oldest first, one after the other (each awaits its replacements' launches). Returns
   * undefined when nothing has expired, so the poll costs the clock no asynchronous step most of the time.
   */
  tick(): Promise<void> | undefined {
    const now = this.deps.clock.now();
    const expireAfter = new Map(this.deps.pools.map((p) => [p.name, p.expireAfterMs]));
    const expired = [...this.deps.state.nodes.values()]
      .filter((n) => {
        const after = n.ownerKind === 'nodepool' ? expireAfter.get(n.owner) : null;
        return n.alive && after !== null && after !== undefined && now - n.launchedAt >= after;
      })
      .sort((a, b) => a.launchedAt - b.launchedAt || (a.name < b.name ? -1 : 1));
    if (expired.length === 0) return undefined;
    return this.disruptAll(expired);
  }

  private async disruptAll(expired: readonly StateNode[]): Promise<void> {
    for (const node of expired) await this.deps.forceful.disrupt(node, 'expiration', 'Expired');
  }
}
