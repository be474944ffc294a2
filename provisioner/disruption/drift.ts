import type { CapacityType, DriftReason } from '../runtime/events.js';
import type { NodePool } from '../api/nodepool.js';
import type { StateNode } from '../state/state-node.js';

/** What the cloud offers now (the catalog): a node whose offering is gone has drifted. */
export interface OfferedTypes {
  offers(type: string, zone: string, capacityType: CapacityType): boolean;
}

/** Why a node drifted: upstream's drift reason and the specifics in words. */
export interface Drift {
  reason: DriftReason;
  detail: string;
}

/**
 * Upstream checks a NodeClaim's instance type against the cloud's list only once it is an hour old, and after a check
 * that found it remembers the answer for 30 minutes (pkg/controllers/nodeclaim/disruption/drift.go): a withdrawn
 * offering drifts a node up to that much later than it disappears.
 */
export const INSTANCE_TYPE_CHECK_AFTER_MS = 60 * 60_000;
export const INSTANCE_TYPE_CHECK_TTL_MS = 30 * 60_000;

/** The NodePool fields whose change drifts every node launched before it, as upstream's template hash does. */
function staticHash(pool: NodePool): string {
  const labels = Object.entries(pool.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  const taints = [...pool.taints].map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).sort();
  return JSON.stringify({ labels, taints, doNotDisrupt: pool.doNotDisrupt ?? false });
}

/**
 * Karpenter's drift, in upstream's order: a node is Drifted when its NodePool's static fields (labels, taints, the
 * template's annotations) changed after it launched, by hash like the `karpenter.sh/nodepool-hash` annotation
 * (NodePoolDrifted); when its labels no longer satisfy the pool's requirements (RequirementsDrifted); or when the
 * cloud no longer offers its instance type in its zone and capacity type (InstanceTypeNotFound, checked on
 * upstream's schedule). Offerings out of capacity for a while (the ICE cache) are still offered and drift nothing.
 */
export class DriftTracker {
  /** Per pool, the static hash since each instant, oldest first. */
  private readonly history = new Map<string, Array<{ at: number; hash: string }>>();
  /** Per node, when its instance type was last found offered (upstream's instanceTypeNotFoundCheckCache). */
  private readonly foundAt = new Map<string, number>();
  /** Nodes found on a withdrawn offering: that does not come back. */
  private readonly notFound = new Set<string>();

  constructor(
    pools: readonly NodePool[],
    private readonly offered: OfferedTypes,
  ) {
    for (const p of pools) this.history.set(p.name, [{ at: -Infinity, hash: staticHash(p) }]);
  }

  /** Records a NodePool spec change at `at` (ms on the run's clock). */
  changed(pool: NodePool, at: number): void {
    this.history.get(pool.name)?.push({ at, hash: staticHash(pool) });
  }

  /** Why the node drifted from its pool as it stands now and the cloud's offer at `now`, or null. */
  drift(node: StateNode, pool: NodePool, now: number): Drift | null {
    const entries = this.history.get(pool.name) ?? [];
    const current = entries[entries.length - 1]?.hash;
    let atLaunch = current;
    for (const e of entries) if (e.at <= node.launchedAt) atLaunch = e.hash;
    if (atLaunch !== current) return { reason: 'NodePoolDrifted', detail: `NodePool ${pool.name}'s labels, taints or annotations changed after the node launched` };
    if (!pool.requirements.matches(node.labels)) return { reason: 'RequirementsDrifted', detail: `the node no longer satisfies NodePool ${pool.name}'s requirements` };
    if (this.instanceTypeNotFound(node, now)) {
      return { reason: 'InstanceTypeNotFound', detail: `the cloud no longer offers ${node.instanceType} ${node.capacityType} in ${node.zone}` };
    }
    return null;
  }

  /** Forgets nodes that are gone. */
  forget(alive: (node: string) => boolean): void {
    for (const n of [...this.foundAt.keys()]) if (!alive(n)) this.foundAt.delete(n);
    for (const n of [...this.notFound]) if (!alive(n)) this.notFound.delete(n);
  }

  private instanceTypeNotFound(node: StateNode, now: number): boolean {
    if (this.notFound.has(node.name)) return true;
    if (now - node.launchedAt <= INSTANCE_TYPE_CHECK_AFTER_MS) return false;
    const found = this.foundAt.get(node.name);
    if (found !== undefined && now - found < INSTANCE_TYPE_CHECK_TTL_MS) return false;
    if (this.offered.offers(node.instanceType, node.zone, node.capacityType)) {
      this.foundAt.set(node.name, now);
      return false;
    }
    this.notFound.add(node.name);
    return true;
  }
}
