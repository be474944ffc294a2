/**
 * The verdict: who won, by how much and why, as sentences a platform engineer can paste into a release review.
 * The winner is the only arm meeting its SLOs if there is one; otherwise the arm that is both faster (p99
 * pod-to-ready) and cheaper. When speed and cost disagree there is no winner and the verdict says so. An arm that
 * gave up a sizeable share of its pods before they were Ready, after long waits, cannot win over one that did not: it
 * looks fast only because pods were given up. Pods given up after a short wait (an HPA scaling back a few seconds
 * later) count in pod-to-ready with that wait and flatter nothing, so they accuse no one.
 */
import type { AutoscalerResult, SloCheck } from '../../harness/metrics/results.js';
import { formatCount, formatDuration, formatPercent, formatUSD } from '../format.js';
import { worstFaultLines } from './fault-verdict.js';
import { explainSlowPod } from './slow-pod-reason.js';
import type { Peak } from './timeline.js';

export interface ArmVerdict {
  name: string;
  kind: string;
  passed: boolean;
  checks: SloCheck[];
}

/** One headline number: the leading arm's value against its closest rival's. */
export interface Margin {
  label: string;
  lead: { name: string; value: string };
  rival: { name: string; value: string };
  /** Relative to the rival: "3.8× faster", "23% cheaper", "+0.72 pp". */
  relative: string;
  /** Whether the lead is ahead on this number (the winner need not win every one). */
  ahead: boolean;
}

export interface Verdict {
  winner: string | null;
  headline: string;
  /** By how much: the headline numbers, winner (or the fastest) first. */
  margins: Margin[];
  /** Why: where the slower arm's latency came from, and what drove cost. */
  reasons: string[];
  arms: ArmVerdict[];
}

/** Share of an arm's pods deleted before they were ever Ready from which its speed is not taken at face value. */
export const ABANDONED_SHARE_FLAG = 0.05;

export function abandonedShare(a: AutoscalerResult): number {
  return a.pods.created > 0 ? a.pods.abandoned / a.pods.created : 0;
}

/**
 * Whether the pods an arm gave up had waited long: their median wait above the p90 of its pods that became Ready
 * (or none became Ready). A run saved before the waits were recorded cannot tell, so its share alone decides.
 */
export function gaveUpAfterLongWaits(a: AutoscalerResult): boolean {
  const { readyWait, abandonedWait } = a.pods;
  if (!readyWait || !abandonedWait) return true;
  return abandonedWait.count > 0 && (readyWait.count === 0 || abandonedWait.p50 > readyWait.p90);
}

const gaveUp = (a: AutoscalerResult): boolean => a.pods.abandoned > 0 && abandonedShare(a) >= ABANDONED_SHARE_FLAG && gaveUpAfterLongWaits(a);

export interface VerdictContext {
  peakPending: Record<string, Peak>;
  clock(tS: number): string;
}

export function verdict(arms: readonly AutoscalerResult[], ctx: VerdictContext): Verdict {
  const armVerdicts = arms.map((a) => ({ name: a.name, kind: a.kind, passed: a.slo.passed, checks: a.slo.checks }));
  if (arms.length === 0) return { winner: null, headline: 'No autoscaler results in this run.', margins: [], reasons: [], arms: [] };
  if (arms.length === 1) {
    const a = arms[0]!;
    return { winner: null, headline: `${a.name} ${a.slo.passed ? 'met' : 'missed'} its SLOs.`, margins: [], reasons: [], arms: armVerdicts };
  }
  const passed = arms.filter((a) => a.slo.passed);
  const pool = passed.length > 0 ? passed : [...arms];
  const fastest = minBy(pool, (a) => a.podToReady.p99);
  const cheapest = minBy(pool, (a) => a.cost.totalUSD);
  let winner: AutoscalerResult | null = null;
  let headline: string;
  if (passed.length === 1) {
    winner = passed[0]!;
    headline = `${winner.name} won: the only autoscaler that met its SLOs.`;
  } else if (fastest === cheapest) {
    winner = fastest;
    headline =
      passed.length === 0
        ? `${winner.name} did better, faster and cheaper, but no autoscaler met its SLOs.`
        : passed.length === arms.length
          ? `${winner.name} won: faster and cheaper, and every autoscaler met its SLOs.`
          : `${winner.name} won: faster and cheaper among those that met their SLOs.`;
  } else {
    headline = `No outright winner: ${fastest.name} was faster, ${cheapest.name} was cheaper.`;
  }
  const flagged = winner ?? fastest;
  if (gaveUp(flagged) && arms.some((a) => !gaveUp(a))) {
    headline = `No outright winner: ${flagged.name} looks fast only because pods were given up (${abandonment(flagged)}).`;
    winner = null;
  }
  const lead = winner ?? fastest;
  const rival = minBy(
    arms.filter((a) => a !== lead),
    (a) => a.podToReady.p99,
  );
  const givenUp = arms
    .filter(gaveUp)
    .map((a) => `${a.name} gave up ${abandonment(a)}; they count in its pod-to-ready with their wait until deletion, and its speed looks better than it was only because pods were given up.`);
  return { winner: winner?.name ?? null, headline, margins: margins(lead, rival), reasons: [...givenUp, ...reasons(lead, rival, ctx), ...worstFaultLines(arms, ctx.clock)], arms: armVerdicts };
}

function abandonment(a: AutoscalerResult): string {
  const { readyWait, abandonedWait } = a.pods;
  const waits =
    readyWait && abandonedWait && abandonedWait.count > 0
      ? ` after a median wait of ${formatDuration(abandonedWait.p50)}${readyWait.count > 0 ? ` against p90 ${formatDuration(readyWait.p90)} for its pods that became Ready` : ''}`
      : '';
  return `${formatCount(a.pods.abandoned)} of ${formatCount(a.pods.created)} pods, ${formatPercent(abandonedShare(a), 0)}, deleted before they were ever Ready${waits}`;
}

function margins(a: AutoscalerResult, b: AutoscalerResult): Margin[] {
  const pair = (label: string, va: number, vb: number, fmt: (v: number) => string, relativeText: string, ahead: boolean): Margin => ({
    label,
    lead: { name: a.name, value: fmt(va) },
    rival: { name: b.name, value: fmt(vb) },
    relative: relativeText,
    ahead,
  });
  const sr = a.requests.successRate - b.requests.successRate;
  return [
    pair('p99 pod-to-ready', a.podToReady.p99, b.podToReady.p99, formatDuration, relative(a.podToReady.p99, b.podToReady.p99, 'faster', 'slower'), a.podToReady.p99 <= b.podToReady.p99),
    pair('total cost', a.cost.totalUSD, b.cost.totalUSD, formatUSD, relative(a.cost.totalUSD, b.cost.totalUSD, 'cheaper', 'more expensive'), a.cost.totalUSD <= b.cost.totalUSD),
    pair('requests served', a.requests.successRate, b.requests.successRate, (v) => formatPercent(v), sr === 0 ? 'the same' : `${sr > 0 ? '+' : '−'}${Math.abs(sr * 100).toFixed(2)} pp`, sr >= 0),
  ];
}

/** "3.8× faster" / "23% cheaper" for a against b, where lower is better. */
export function relative(a: number, b: number, better: string, worse: string): string {
  if (a === b) return 'the same';
  if (a === 0 || b === 0) return a < b ? better : worse;
  const [lo, hi, word] = a < b ? [a, b, better] : [b, a, worse];
  const ratio = hi / lo;
  if (ratio >= 2) return `${ratio.toFixed(1)}× ${word}`;
  const pct = a < b ? (1 - a / b) * 100 : (a / b - 1) * 100;
  return `${pct.toFixed(0)}% ${word}`;
}

function reasons(lead: AutoscalerResult, rival: AutoscalerResult, ctx: VerdictContext): string[] {
  const [fast, slow] = lead.podToReady.p99 <= rival.podToReady.p99 ? [lead, rival] : [rival, lead];
  const out: string[] = [];
  const waitShare = (a: AutoscalerResult): number => (a.podToReady.mean > 0 ? a.podToReady.split.waitingForNode.mean / a.podToReady.mean : 0);
  if (waitShare(slow) >= 0.5) {
    out.push(
      `${slow.name}'s pods spent ${formatPercent(waitShare(slow), 0)} of their time-to-ready waiting for a node ` +
        `(p99 wait ${formatDuration(slow.podToReady.split.waitingForNode.p99)}; ${fast.name}: ${formatDuration(fast.podToReady.split.waitingForNode.p99)}).`,
    );
  }
  // A quantile over no samples is no number to compare.
  if (slow.nodeLaunchLatency.count > 0 && fast.nodeLaunchLatency.count > 0 && slow.nodeLaunchLatency.p50 > fast.nodeLaunchLatency.p50 * 1.2) {
    out.push(`${slow.name}'s nodes took ${formatDuration(slow.nodeLaunchLatency.p50)} (p50) from launch request to Ready; ${fast.name}'s ${formatDuration(fast.nodeLaunchLatency.p50)}.`);
  }
  if (slow.decisionLatency.count > 0 && fast.decisionLatency.count > 0 && slow.decisionLatency.p99 > fast.decisionLatency.p99 * 1.2) {
    out.push(`${slow.name} took ${formatDuration(slow.decisionLatency.p99)} (p99) to decide to scale up; ${fast.name} ${formatDuration(fast.decisionLatency.p99)}.`);
  }
  const ps = ctx.peakPending[slow.name];
  const pf = ctx.peakPending[fast.name];
  if (ps && pf && ps.value > pf.value) {
    out.push(`Pending pods peaked at ${formatCount(ps.value)} for ${slow.name} (at ${ctx.clock(ps.atS)}) against ${formatCount(pf.value)} for ${fast.name}.`);
  }
  const slowest = slow.slowestPods[0];
  if (slowest) {
    const why = explainSlowPod(slowest, ctx.clock);
    out.push(`${slow.name}'s slowest pod, ${slowest.pod}, took ${formatDuration(slowest.podToReadyS)}: ${why.headline}${why.detail ? ` (${why.detail})` : ''}.`);
  }
  const [cheap, dear] = lead.cost.totalUSD <= rival.cost.totalUSD ? [lead, rival] : [rival, lead];
  const spot = (a: AutoscalerResult): number => (a.cost.totalUSD > 0 ? (a.cost.byCapacityType['spot'] ?? 0) / a.cost.totalUSD : 0);
  if (cheap.cost.totalUSD < dear.cost.totalUSD) {
    const parts = [`${cheap.name} spent ${formatPercent(spot(cheap), 0)} of its cost on Spot (${dear.name}: ${formatPercent(spot(dear), 0)})`];
    if (cheap.cost.idleShare < dear.cost.idleShare) parts.push(`left ${formatPercent(cheap.cost.idleShare, 0)} of paid CPU idle against ${formatPercent(dear.cost.idleShare, 0)}`);
    out.push(parts.join(' and ') + '.');
  }
  return out;
}

function minBy<T extends object>(items: readonly T[], f: (x: T) => number): T {
  let best = items[0]!;
  for (const x of items) if (f(x) < f(best)) best = x;
  return best;
}
