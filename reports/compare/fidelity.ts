/**
 * Sim vs live agreement (issue 14, "fidelity"): the same scenario and seed played on the sim and on a live target
 * must agree per arm on pod-to-ready p50 and p99 within 15% and on peak nodes within 10%. A difference is the live
 * figure relative to the sim's. Pure: it reads two saved runs and judges nothing else.
 */
import type { AutoscalerResult, Results } from '../../harness/metrics/results.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';

/** The agreement goals, as shares of the sim's figure. */
export const FIDELITY_GOALS = { podToReady: 0.15, peakNodes: 0.1 } as const;

/** What `buildFidelity` reads of a saved run (reports/run-dir.ts SavedRun has it). */
export interface FidelityRun {
  dir: string;
  results: Results;
  meta: RunMeta;
  /** Present for a multi-seed run, which has no single figure to set against a live run. */
  seeds?: readonly Results[];
}

export interface FidelityFigure {
  metric: 'podToReady.p50' | 'podToReady.p99' | 'nodes.peak';
  label: string;
  unit: 's' | 'nodes';
  sim: number;
  live: number;
  /** (live - sim) / sim; 0 when both are 0, Infinity when only the sim's is 0. */
  difference: number;
  goal: number;
  pass: boolean;
}

export interface ArmFidelity {
  name: string;
  figures: FidelityFigure[];
  pass: boolean;
}

export interface Fidelity {
  scenario: string;
  seed: number;
  liveTarget: string;
  /** The live run's --speed, when it had one. */
  speed?: number;
  arms: ArmFidelity[];
  /** Arms in only one of the runs: not judged, and the agreement is not met while any is missing. */
  unmatched: string[];
  pass: boolean;
}

/**
 * Why two runs cannot be set against each other as sim vs live, one reason a line; empty when they can. Which of
 * the two is the sim run is found from their targets, so the order they are given in does not matter.
 */
export function fidelityMismatch(a: FidelityRun, b: FidelityRun): string[] {
  const out: string[] = [];
  const targets = [a.results.scenario.target, b.results.scenario.target];
  const sims = targets.filter((t) => t === 'sim').length;
  if (sims !== 1) out.push(`sim vs live needs one sim run and one live run; these ran on ${targets.join(' and ')}`);
  for (const run of [a, b]) if (run.seeds && run.seeds.length > 1) out.push(`${run.dir} is a run on ${run.seeds.length} seeds; a live run plays one, so give a single-seed run`);
  const [sa, sb] = [a.results.scenario, b.results.scenario];
  if (sa.name !== sb.name) out.push(`different scenarios: '${sa.name}' vs '${sb.name}'`);
  else if (a.meta.scenarioDigest && b.meta.scenarioDigest && a.meta.scenarioDigest !== b.meta.scenarioDigest) {
    out.push(`different scenario contents: both are '${sa.name}' but their digests differ (${a.meta.scenarioDigest.slice(0, 19)}… vs ${b.meta.scenarioDigest.slice(0, 19)}…)`);
  }
  if (sa.seed !== sb.seed) out.push(`different seeds: ${sa.seed} vs ${sb.seed}`);
  return out;
}

/** The agreement of a sim run and a live run; the caller has checked `fidelityMismatch` is empty. */
export function buildFidelity(a: FidelityRun, b: FidelityRun): Fidelity {
  const [sim, live] = a.results.scenario.target === 'sim' ? [a, b] : [b, a];
  const simArms = new Map(sim.results.autoscalers.map((x) => [x.name, x]));
  const liveArms = new Map(live.results.autoscalers.map((x) => [x.name, x]));
  const arms: ArmFidelity[] = [];
  for (const [name, s] of simArms) {
    const l = liveArms.get(name);
    if (!l) continue;
    const figures = figuresOf(s, l);
    arms.push({ name, figures, pass: figures.every((f) => f.pass) });
  }
  const unmatched = [...new Set([...simArms.keys(), ...liveArms.keys()])].filter((n) => !(simArms.has(n) && liveArms.has(n)));
  return {
    scenario: live.results.scenario.name,
    seed: live.results.scenario.seed,
    liveTarget: live.results.scenario.target,
    ...(live.meta.speed === undefined ? {} : { speed: live.meta.speed }),
    arms,
    unmatched,
    pass: arms.length > 0 && unmatched.length === 0 && arms.every((x) => x.pass),
  };
}

function figuresOf(sim: AutoscalerResult, live: AutoscalerResult): FidelityFigure[] {
  const figure = (metric: FidelityFigure['metric'], label: string, unit: FidelityFigure['unit'], s: number, l: number, goal: number): FidelityFigure => {
    const difference = relativeDifference(s, l);
    // A difference of exactly the goal passes, whatever the floating-point rounding of (live - sim) / sim.
    return { metric, label, unit, sim: s, live: l, difference, goal, pass: Math.abs(difference) <= goal + 1e-9 };
  };
  return [
    figure('podToReady.p50', 'pod-to-ready p50', 's', sim.podToReady.p50, live.podToReady.p50, FIDELITY_GOALS.podToReady),
    figure('podToReady.p99', 'pod-to-ready p99', 's', sim.podToReady.p99, live.podToReady.p99, FIDELITY_GOALS.podToReady),
    figure('nodes.peak', 'peak nodes', 'nodes', sim.nodes.peak, live.nodes.peak, FIDELITY_GOALS.peakNodes),
  ];
}

/** The live figure relative to the sim's. */
export function relativeDifference(sim: number, live: number): number {
  if (sim === live) return 0;
  if (sim === 0) return live > 0 ? Infinity : -Infinity;
  return (live - sim) / Math.abs(sim);
}

export function formatDifference(d: number): string {
  if (d === 0) return '±0%';
  if (!Number.isFinite(d)) return d > 0 ? '+∞' : '−∞';
  const pct = Math.abs(d * 100);
  return `${d > 0 ? '+' : '−'}${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}

export function formatFigure(v: number, unit: FidelityFigure['unit']): string {
  return unit === 's' ? `${v.toFixed(1)} s` : String(v);
}

/** One figure as "pod-to-ready p99 25.9 s → 38.1 s (+47%, goal ±15%) MISS". */
export function describeFigure(f: FidelityFigure): string {
  return `${f.label} ${formatFigure(f.sim, f.unit)} → ${formatFigure(f.live, f.unit)} (${formatDifference(f.difference)}, goal ±${Math.round(f.goal * 100)}%) ${f.pass ? 'ok' : 'MISS'}`;
}

/**
 * The one line a live run's report carries: "sim vs live (kwok, seed 11): cluster-autoscaler agrees; karpenter
 * misses: pod-to-ready p99 25.9 s → 38.1 s (+47%, goal ±15%)".
 */
export function fidelityLine(f: Fidelity): string {
  const head = `sim vs live (${f.liveTarget}${f.speed !== undefined && f.speed !== 1 ? ` at speed ${f.speed}` : ''}, seed ${f.seed})`;
  const arms = f.arms.map((arm) => {
    const missed = arm.figures.filter((x) => !x.pass);
    return missed.length === 0 ? `${arm.name} agrees (${arm.figures.map((x) => `${shortLabel(x)} ${formatDifference(x.difference)}`).join(', ')})` : `${arm.name} misses: ${missed.map(describeFigure).join('; ')}`;
  });
  if (f.unmatched.length > 0) arms.push(`not in both runs: ${f.unmatched.join(', ')}`);
  return `${head}: ${arms.length > 0 ? arms.join('; ') : 'no arm in both runs'}`;
}

/** "Sim and kwok do not agree: 2 of 6 figures outside their goals." */
export function fidelityHeadline(f: Fidelity): string {
  const figures = f.arms.flatMap((arm) => arm.figures);
  const missed = figures.filter((x) => !x.pass).length;
  const unmatched = f.unmatched.length ? ` (not in both runs: ${f.unmatched.join(', ')})` : '';
  return f.pass ? `Sim and ${f.liveTarget} agree: all ${figures.length} figures within their goals.` : `Sim and ${f.liveTarget} do not agree: ${missed} of ${figures.length} figures outside their goals${unmatched}.`;
}

function shortLabel(f: FidelityFigure): string {
  return f.metric === 'nodes.peak' ? 'peak nodes' : f.metric.replace('podToReady.', '');
}
