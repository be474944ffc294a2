/**
 * How closely burstlab's Karpenter model (`kind: karpenter`) agrees with the real Karpenter (`kind:
 * karpenter-upstream`) run on the same control plane, scenario and seed: the figures side by side with their
 * relative difference, the goals (node count and cost within 10 %, pod-to-ready p99 within 15 %) passed or failed,
 * the instance types each launched, and, where they differ, which launch batch differs and how. Pure.
 */
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';

/** The goals issue 15 sets the bundled provisioner, as the largest relative difference from upstream allowed. */
export const AGREEMENT_GOALS = { nodesLaunched: 0.1, cost: 0.1, podToReadyP99: 0.15 } as const;

export interface AgreementRow {
  metric: string;
  unit: 's' | 'nodes' | 'USD';
  bundled: number | null;
  upstream: number | null;
  /** (bundled - upstream) / upstream; null when either is missing or upstream's is 0 and bundled's is not. */
  difference: number | null;
  /** The goal's largest |difference|; absent for a figure shown without a goal. */
  goal?: number;
  /** Against the goal: a missing figure fails (it cannot be shown to agree). Absent without a goal. */
  passed?: boolean;
}

export interface TypeCount {
  type: string;
  bundled: number;
  upstream: number;
}

/** One burst of launches (launches no more than BATCH_GAP_S apart), the i-th of each arm compared. */
export interface BatchDifference {
  index: number;
  bundledAtS: number | null;
  upstreamAtS: number | null;
  bundled: Record<string, number>;
  upstream: Record<string, number>;
}

export interface Agreement {
  bundled: string;
  upstream: string;
  rows: AgreementRow[];
  types: TypeCount[];
  /** Batches where the two launched different instance types or counts, in order. */
  differences: BatchDifference[];
  /** Every goal passed. */
  passed: boolean;
}

/** Launches closer than this belong to one batch (Karpenter's batch window is at most 10 s by default). */
export const BATCH_GAP_S = 10;

/**
 * The agreement of the first `karpenter` arm with the first `karpenter-upstream` arm; null when the run lacks either.
 * `events` by arm: each arm's node.launched events give the batches.
 */
export function agreementModel(arms: readonly AutoscalerResult[], events: ReadonlyMap<string, readonly RunEvent[]>): Agreement | null {
  const bundled = arms.find((a) => a.kind === 'karpenter');
  const upstream = arms.find((a) => a.kind === 'karpenter-upstream');
  if (!bundled || !upstream) return null;
  const row = (metric: string, unit: AgreementRow['unit'], pick: (a: AutoscalerResult) => number | null, goal?: number): AgreementRow => {
    const b = pick(bundled);
    const u = pick(upstream);
    const difference = relative(b, u);
    return { metric, unit, bundled: b, upstream: u, difference, ...(goal === undefined ? {} : { goal, passed: difference !== null && Math.abs(difference) <= goal + 1e-9 }) };
  };
  const q = (v: number, count: number): number | null => (count > 0 ? v : null);
  const rows = [
    row('pod-to-ready p50', 's', (a) => q(a.podToReady.p50, a.podToReady.count)),
    row('pod-to-ready p99', 's', (a) => q(a.podToReady.p99, a.podToReady.count), AGREEMENT_GOALS.podToReadyP99),
    row('decision latency p50', 's', (a) => q(a.decisionLatency.p50, a.decisionLatency.count)),
    row('decision latency p99', 's', (a) => q(a.decisionLatency.p99, a.decisionLatency.count)),
    row('nodes launched', 'nodes', (a) => a.nodes.launched, AGREEMENT_GOALS.nodesLaunched),
    row('cost', 'USD', (a) => a.cost.totalUSD, AGREEMENT_GOALS.cost),
  ];
  const typeNames = [...new Set([...Object.keys(bundled.instanceTypes), ...Object.keys(upstream.instanceTypes)])].sort();
  const types = typeNames.map((type) => ({ type, bundled: bundled.instanceTypes[type] ?? 0, upstream: upstream.instanceTypes[type] ?? 0 }));
  const b = batches(events.get(bundled.name) ?? []);
  const u = batches(events.get(upstream.name) ?? []);
  const differences: BatchDifference[] = [];
  for (let i = 0; i < Math.max(b.length, u.length); i++) {
    const x = b[i];
    const y = u[i];
    if (x && y && sameCounts(x.types, y.types)) continue;
    differences.push({ index: i + 1, bundledAtS: x?.atS ?? null, upstreamAtS: y?.atS ?? null, bundled: x?.types ?? {}, upstream: y?.types ?? {} });
  }
  return { bundled: bundled.name, upstream: upstream.name, rows, types, differences, passed: rows.every((r) => r.passed !== false) };
}

/** A batch difference in words: "batch 2 (bundled at 15 s, upstream at 16 s): bundled chose 6 m5.2xlarge, upstream chose 3 m5.4xlarge". */
export function describeDifference(d: BatchDifference): string {
  const at = (s: number | null): string => (s === null ? 'none' : `${Math.round(s)} s`);
  const chose = (t: Record<string, number>): string =>
    Object.keys(t).length === 0
      ? 'launched nothing'
      : `chose ${Object.entries(t)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([type, n]) => `${n} ${type}`)
          .join(', ')}`;
  return `batch ${d.index} (bundled at ${at(d.bundledAtS)}, upstream at ${at(d.upstreamAtS)}): bundled ${chose(d.bundled)}; upstream ${chose(d.upstream)}`;
}

function relative(b: number | null, u: number | null): number | null {
  if (b === null || u === null) return null;
  if (u === 0) return b === 0 ? 0 : null;
  return (b - u) / u;
}

/** An arm's launches during the run (not the nodes it started with) in batches: type counts and the first launch. */
function batches(events: readonly RunEvent[]): Array<{ atS: number; types: Record<string, number> }> {
  const launches = events.filter((e): e is Extract<RunEvent, { type: 'node.launched' }> => e.type === 'node.launched' && !e.initial).sort((a, b) => a.t - b.t);
  const out: Array<{ atS: number; lastS: number; types: Record<string, number> }> = [];
  for (const e of launches) {
    const tS = e.t / 1000;
    const last = out[out.length - 1];
    const batch = last && tS - last.lastS <= BATCH_GAP_S ? last : undefined;
    if (batch) batch.lastS = tS;
    const into = batch ?? { atS: tS, lastS: tS, types: {} };
    if (!batch) out.push(into);
    into.types[e.instanceType] = (into.types[e.instanceType] ?? 0) + 1;
  }
  return out.map(({ atS, types }) => ({ atS, types }));
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
