import type { DisruptionBlocked } from '../runtime/events.js';
import { LABEL } from '../api/labels.js';
import { cheapestPrice, NONE_UNAVAILABLE } from '../scheduling/offerings.js';
import type { Plan, PlannedClaim } from '../scheduling/solver.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';

/** Upstream's rule: a Spot node is replaced by a cheaper Spot node only when this many cheaper types could launch. */
export const MIN_SPOT_TO_SPOT_TYPES = 15;
/** Multi-node consolidation looks at this many candidates at most, as upstream. */
export const MAX_MULTI_NODE_CANDIDATES = 100;

/** A node disruption may take, with what it costs to take it. */
export interface Candidate {
  node: StateNode;
  /** Pods that would be evicted (not already leaving). */
  pods: StatePod[];
  /** Karpenter's disruption cost: the eviction cost of its pods. Cheapest candidates go first. */
  cost: number;
}

/** The answer to "can these nodes go?": delete them, replace them with the claims, or why not. */
export type Consolidation =
  | { ok: true; replacements: PlannedClaim[]; savingsPerHour: number }
  | { ok: false; blockedBy: DisruptionBlocked['blockedBy']; detail: string };

/** The what-if the provisioner answers: where the pods go if the named nodes are gone (its solver). */
export type Simulate = (pods: readonly StatePod[], leaving: ReadonlySet<string>) => Plan;

/**
 * A policy's verdict on a move that is otherwise sound (Balanced's score): null to approve, else why not. The
 * candidates and the net savings per hour of deleting or replacing them.
 */
export type ApproveMove = (candidates: readonly Candidate[], savingsPerHour: number) => string | null;

/** Every move passes (WhenEmptyOrUnderutilized: any positive savings). */
export const APPROVE_ALL: ApproveMove = () => null;

/** Upstream's feature gates that change consolidation (`--feature-gates`). */
export interface ConsolidationGates {
  /** SpotToSpotConsolidation: false by default upstream (v1.14), so Spot nodes are only ever deleted, never replaced. */
  spotToSpot: boolean;
}

/**
 * Upstream's per-pod eviction cost, clamped to [-10, 10]: 1 plus the pod's priority scaled down (pod deletion cost
 * is not modelled, so it adds nothing). A node's disruption cost is the sum over its pods.
 */
export function disruptionCost(pods: readonly StatePod[]): number {
  let cost = 0;
  for (const p of pods) cost += Math.min(10, Math.max(-10, 1 + p.spec.priority / 2 ** 25));
  return cost;
}

export function byCost(a: Candidate, b: Candidate): number {
  return a.cost - b.cost || (a.node.name < b.node.name ? -1 : 1);
}

const money = (usd: number): string => `$${usd.toFixed(4)}/h`;

/**
 * Consolidation of a set of nodes: they may go if all their pods fit on the nodes that stay plus at most one new
 * node, and that node costs less than they do together. When every candidate is Spot and the replacement may be Spot,
 * upstream's spot-to-spot path decides: nothing unless the SpotToSpotConsolidation gate is on, and then a single Spot
 * node is replaced only when at least MIN_SPOT_TO_SPOT_TYPES instance types cheaper than it could launch (so the
 * replacement is not the next to be reclaimed); multi-node consolidation is exempt from that count, as upstream.
 */
export function consolidate(candidates: readonly Candidate[], simulate: Simulate, gates: ConsolidationGates, approve: ApproveMove = APPROVE_ALL): Consolidation {
  const pods = candidates.flatMap((c) => c.pods);
  const leaving = new Set(candidates.map((c) => c.node.name));
  const price = candidates.reduce((sum, c) => sum + c.node.pricePerHour, 0);
  const plan = simulate(pods, leaving);
  if (plan.unsatisfiable.length > 0) {
    const first = plan.unsatisfiable[0]!;
    return { ok: false, blockedBy: 'pods-do-not-fit', detail: `${plan.unsatisfiable.length} pod(s) would not fit elsewhere, e.g. ${first.pod.name}: ${first.reason}` };
  }
  if (plan.claims.length === 0) return approved(candidates, { ok: true, replacements: [], savingsPerHour: price }, approve);
  if (plan.claims.length > 1) {
    return { ok: false, blockedBy: 'pods-do-not-fit', detail: `the pods fit only with ${plan.claims.length} new nodes; consolidation replaces with one at most` };
  }
  const claim = plan.claims[0]!;
  const replacementPrice = claim.launch.pricePerHour;
  if (replacementPrice >= price) {
    return {
      ok: false,
      blockedBy: 'no-cheaper-replacement',
      detail: `the cheapest replacement, ${claim.launch.type.name} ${claim.launch.capacityType} at ${money(replacementPrice)}, is not cheaper than ${money(price)}`,
    };
  }
  const allSpot = candidates.every((c) => c.node.capacityType === 'spot');
  if (allSpot && claim.requirements.allows(LABEL.capacityType, 'spot') && !gates.spotToSpot) {
    return {
      ok: false,
      blockedBy: 'spot-to-spot-disabled',
      detail: `the SpotToSpotConsolidation feature gate is off (upstream's default): a Spot node is not replaced by a Spot node, even by ${claim.launch.type.name} at ${money(replacementPrice)}`,
    };
  }
  if (allSpot && claim.launch.capacityType === 'spot' && candidates.length === 1) {
    const cheaper = claim.instanceTypes.filter((t) => cheapestPrice(t, claim.requirements, NONE_UNAVAILABLE) < price).length;
    if (cheaper < MIN_SPOT_TO_SPOT_TYPES) {
      return {
        ok: false,
        blockedBy: 'spot-to-spot',
        detail: `spot-to-spot replacement needs ${MIN_SPOT_TO_SPOT_TYPES} instance types cheaper than ${money(price)}; ${cheaper} are`,
      };
    }
  }
  return approved(candidates, { ok: true, replacements: [claim], savingsPerHour: price - replacementPrice }, approve);
}

function approved(candidates: readonly Candidate[], move: Extract<Consolidation, { ok: true }>, approve: ApproveMove): Consolidation {
  const rejection = approve(candidates, move.savingsPerHour);
  return rejection === null ? move : { ok: false, blockedBy: 'balanced-score', detail: rejection };
}

/**
 * Multi-node consolidation: the largest prefix of the candidates (cheapest to disrupt first, at most
 * MAX_MULTI_NODE_CANDIDATES) that can go, found by binary search over the prefix length as upstream does (a prefix
 * that cannot go makes longer ones unlikely to). Null when no prefix of two or more can.
 */
export function multiNode<C extends Candidate>(
  candidates: readonly C[],
  simulate: Simulate,
  gates: ConsolidationGates,
  approve: ApproveMove = APPROVE_ALL,
): { nodes: C[]; result: Extract<Consolidation, { ok: true }> } | null {
  const list = candidates.slice(0, MAX_MULTI_NODE_CANDIDATES);
  if (list.length < 2) return null;
  let lo = 1;
  let hi = list.length;
  let best: { nodes: C[]; result: Extract<Consolidation, { ok: true }> } | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const prefix = list.slice(0, mid);
    const result = consolidate(prefix, simulate, gates, approve);
    if (result.ok) {
      best = { nodes: prefix, result };
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best && best.nodes.length >= 2 ? best : null;
}
