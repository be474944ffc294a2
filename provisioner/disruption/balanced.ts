import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';
import type { Candidate } from './consolidation.js';

/**
 * Upstream's `consolidationPolicy: Balanced` (Karpenter v1.14, pkg/controllers/disruption/balanced.go and
 * designs/balanced-consolidation.md): a consolidation move is approved only when the share of its NodePool's cost it
 * saves is at least 1/k of the share of the pool's disruption cost it causes, with k = 2.
 */
export const BALANCED_K = 2;
/** The inherent cost of draining a node, added to its pods' (upstream's PerNodeBaseDisruptionCost). */
export const PER_NODE_DISRUPTION_COST = 1;

/** A pool's denominators: the hourly price of all its nodes and the disruption cost of all its nodes. */
export interface PoolTotals {
  cost: number;
  disruptionCost: number;
}

/** Upstream's per-pod eviction cost, clamped to [-10, 10]: 1 plus the priority scaled down (pod deletion cost is not modelled). */
export function evictionCost(pod: StatePod): number {
  return Math.min(10, Math.max(-10, 1 + pod.spec.priority / 2 ** 25));
}

/** A node's disruption cost for scoring: the per-node cost plus its pods' eviction costs, negatives counted as 0. */
export function nodeDisruptionCost(pods: Iterable<StatePod>): number {
  let cost = PER_NODE_DISRUPTION_COST;
  for (const p of pods) if (p.phase !== 'terminating' && p.phase !== 'gone') cost += Math.max(0, evictionCost(p));
  return cost;
}

/** Each pool's totals over every node it owns (candidates or not, as upstream: non-candidates still count). */
export function poolTotals(nodes: Iterable<StateNode>): Map<string, PoolTotals> {
  const out = new Map<string, PoolTotals>();
  for (const n of nodes) {
    if (n.ownerKind !== 'nodepool' || n.phase === 'terminated') continue;
    const t = out.get(n.owner) ?? { cost: 0, disruptionCost: 0 };
    t.cost += n.pricePerHour;
    t.disruptionCost += nodeDisruptionCost(n.pods);
    out.set(n.owner, t);
  }
  return out;
}

/** A move's score for one pool: savings fraction over disruption fraction (0 without savings). */
export interface Score {
  savingsFraction: number;
  disruptionFraction: number;
  score: number;
  approved: boolean;
}

export function scoreMove(savings: number, disruptionCost: number, totals: PoolTotals): Score {
  if (totals.cost <= 0 || totals.disruptionCost <= 0) return { savingsFraction: 0, disruptionFraction: 0, score: Infinity, approved: true };
  const savingsFraction = savings / totals.cost;
  const disruptionFraction = disruptionCost / totals.disruptionCost;
  const score = savingsFraction <= 0 ? 0 : disruptionFraction === 0 ? Infinity : savingsFraction / disruptionFraction;
  return { savingsFraction, disruptionFraction, score, approved: score >= 1 / BALANCED_K };
}

export function describeScore(pool: string, s: Score): string {
  const pct = (f: number): string => `${(f * 100).toFixed(1)}%`;
  return `NodePool ${pool} is Balanced: the move saves ${pct(s.savingsFraction)} of the pool's cost for ${pct(s.disruptionFraction)} of its disruption cost, score ${s.score.toFixed(2)} ${s.approved ? '>=' : '<'} ${(1 / BALANCED_K).toFixed(2)} (k = ${BALANCED_K})`;
}

/**
 * Upstream's EvaluateBalancedMove: each Balanced pool among the candidates' pools scores the move on its own, with the
 * net savings split by its share of the candidates' price; every one must approve. Null when approved (or no pool is
 * Balanced), else why not.
 */
export function balancedRejection(candidates: readonly Candidate[], savings: number, balanced: ReadonlySet<string>, totals: ReadonlyMap<string, PoolTotals>): string | null {
  const byPool = new Map<string, Candidate[]>();
  for (const c of candidates) byPool.set(c.node.owner, [...(byPool.get(c.node.owner) ?? []), c]);
  const sourceCost = candidates.reduce((s, c) => s + c.node.pricePerHour, 0);
  for (const [pool, list] of [...byPool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!balanced.has(pool)) continue;
    const poolCost = list.reduce((s, c) => s + c.node.pricePerHour, 0);
    const poolSavings = byPool.size > 1 && sourceCost > 0 ? savings * (poolCost / sourceCost) : savings;
    const disruption = list.reduce((s, c) => s + nodeDisruptionCost(c.pods), 0);
    const score = scoreMove(poolSavings, disruption, totals.get(pool) ?? { cost: 0, disruptionCost: 0 });
    if (!score.approved) return describeScore(pool, score);
  }
  return null;
}
