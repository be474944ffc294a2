import type { NodePool } from '../api/nodepool.js';
import type { StateNode } from '../state/state-node.js';

/** The NodePool fields whose change drifts every node launched before it, as upstream's template hash does. */
function staticHash(pool: NodePool): string {
  const labels = Object.entries(pool.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  const taints = [...pool.taints].map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort();
  return JSON.stringify({ labels, taints, doNotDisrupt: pool.doNotDisrupt ?? false });
}

/**
 * Karpenter's drift: a node is Drifted when its NodePool changed after it launched. Static fields (labels, taints,
 * the template's annotations) drift by hash, like the `karpenter.sh/nodepool-hash` annotation upstream; requirements
 * drift only the nodes whose labels no longer satisfy them.
 */
export class DriftTracker {
  /** Per pool, the static hash since each instant, oldest first. */
  private readonly history = new Map<string, Array<{ at: number; hash: string }>>();

  constructor(pools: readonly NodePool[]) {
    for (const p of pools) this.history.set(p.name, [{ at: -Infinity, hash: staticHash(p) }]);
  }

  /** Records a NodePool spec change at `at` (ms on the run's clock). */
  changed(pool: NodePool, at: number): void {
    this.history.get(pool.name)?.push({ at, hash: staticHash(pool) });
  }

  /** Why the node drifted from its pool as it stands now, or null. */
  drift(node: StateNode, pool: NodePool): string | null {
    const entries = this.history.get(pool.name) ?? [];
    const current = entries[entries.length - 1]?.hash;
    let atLaunch = current;
    for (const e of entries) if (e.at <= node.launchedAt) atLaunch = e.hash;
    if (atLaunch !== current) return `NodePool ${pool.name}'s labels, taints or annotations changed after the node launched`;
    if (!pool.requirements.matches(node.labels)) return `the node no longer satisfies NodePool ${pool.name}'s requirements`;
    return null;
  }
}
