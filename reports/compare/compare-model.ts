/**
 * Two runs of the same scenario side by side (last night vs tonight): per autoscaler, how each key metric moved
 * and whether its SLOs still hold. Run A is the baseline, run B the candidate; changes are B relative to A.
 * Multi-seed runs are compared by their medians and spreads; reports/compare/noise.ts says what counts as a change.
 */
import { spreadOf, type Spread } from '../../harness/metrics/aggregate.js';
import type { Results, SloCheck } from '../../harness/metrics/results.js';
import { formatCount, formatValue, unitForMetric, type Unit } from '../format.js';
import { armColor, type ChartData, type ChartSpec } from '../model/charts.js';
import { keyMetrics } from '../model/key-metrics.js';
import { armLatencies, cdf } from '../model/latency.js';
import { buildTimelines, eventsByArm } from '../model/timeline.js';
import { epochOffsetMinutes, formatOffset } from '../format.js';
import type { SavedRun } from '../run-dir.js';
import { decide, DEFAULT_RELATIVE_THRESHOLD, type UserThresholds, type Verdict } from './noise.js';
import { buildFidelity, fidelityHeadline, type Fidelity } from './fidelity.js';

export interface RunLabel {
  label: string;
  dir: string;
  startedAt: string;
  scenario: string;
  seeds: number[];
  target: string;
}

export interface MetricChange {
  key: string;
  label: string;
  unit: Unit;
  a: string;
  b: string;
  change: string;
  verdict: Verdict;
  why: string;
}

export interface SloChange {
  metric: string;
  /** Held in A, missed in B (or the reverse for 'fixed'). */
  kind: 'broken' | 'fixed';
  /** Whether the metric behind it moved beyond noise; a flip within noise is not a regression. */
  significant: boolean;
  why: string;
}

export interface ArmComparison {
  name: string;
  color: string;
  slo: { a: boolean | null; b: boolean | null };
  sloChanges: SloChange[];
  metrics: MetricChange[];
}

export interface CompareModel {
  a: RunLabel;
  b: RunLabel;
  headline: string;
  /** Different scenarios, targets or seeds: what makes the comparison less than like for like. */
  warnings: string[];
  /** The noise rule applied, in one sentence. */
  rule: string;
  regressions: number;
  improvements: number;
  /** Moves past the default threshold that single runs on different seeds cannot tell from seed noise. */
  possibleNoise: number;
  arms: ArmComparison[];
  charts: ChartData;
  /** A sim run against a live run of the same scenario and seed: their agreement (reports/compare/fidelity.ts). */
  fidelity?: Fidelity;
}

export interface CompareOptions {
  thresholds?: UserThresholds;
  /** Set the runs' agreement beside the changes: the caller has checked they are a sim and a live run that match. */
  simVsLive?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function buildCompareModel(a: SavedRun, b: SavedRun, labels: { a: string; b: string }, options: CompareOptions = {}): CompareModel {
  const thresholds = options.thresholds ?? { byMetric: {} };
  const seedsA = a.seeds ?? [a.results];
  const seedsB = b.seeds ?? [b.results];
  const la = runLabel(a, labels.a);
  const lb = runLabel(b, labels.b);
  const single = seedsA.length === 1 && seedsB.length === 1;
  const seedNoiseUnmeasured = single && la.seeds[0] !== lb.seeds[0];
  const names = [...new Set([...a.results.autoscalers.map((x) => x.name), ...b.results.autoscalers.map((x) => x.name)])];
  const arms = names.map((name, i) => armComparison(name, armColor(i), seedsA, seedsB, { thresholds, seedNoiseUnmeasured }));
  const regressions = arms.reduce((n, arm) => n + arm.metrics.filter((m) => m.verdict === 'worse').length + arm.sloChanges.filter((c) => c.kind === 'broken' && c.significant).length, 0);
  const improvements = arms.reduce((n, arm) => n + arm.metrics.filter((m) => m.verdict === 'better').length + arm.sloChanges.filter((c) => c.kind === 'fixed' && c.significant).length, 0);
  const possibleNoise = arms.reduce((n, arm) => n + arm.metrics.filter((m) => m.verdict === 'noise').length, 0);
  const broken = arms.flatMap((arm) => arm.sloChanges.filter((c) => c.kind === 'broken').map((c) => `${arm.name} ${c.metric}${c.significant ? '' : ' (within noise)'}`));

  const rule = thresholds.all || Object.keys(thresholds.byMetric).length
    ? `A change must pass your --threshold${single ? '' : ' and put every seed of one run beyond every seed of the other (min–max spreads apart)'}.`
    : single
      ? `Single-seed runs have no spread: a change must move more than the default noise threshold of ${DEFAULT_RELATIVE_THRESHOLD * 100}% (rates and shares: of their failed or idle share); set --threshold to change it, or run --seeds N to measure the noise.`
      : 'A change must put every seed of one run beyond every seed of the other (min–max spreads apart); a single-seed run counts as a spread of one.';

  let headline: string;
  if (regressions > 0) {
    headline = `${plural(regressions, 'regression')} in ${labels.b} against ${labels.a}${improvements ? `, ${plural(improvements, 'improvement')}` : ''}.`;
  } else if (possibleNoise > 0) {
    headline = `No regression can be called: ${plural(possibleNoise, 'metric')} moved past ${DEFAULT_RELATIVE_THRESHOLD * 100}%, but ${labels.a} and ${labels.b} are single runs on different seeds (${la.seeds[0]} vs ${lb.seeds[0]}), which cannot tell a change from seed noise. Run both with --seeds 5, or on the same seed.`;
  } else {
    headline = `No regressions in ${labels.b} against ${labels.a}${improvements ? ` (${plural(improvements, 'improvement')})` : ''}.`;
  }
  if (broken.length) headline += ` SLOs missed in ${labels.b} that held in ${labels.a}: ${broken.join(', ')}.`;
  const fidelity = options.simVsLive ? buildFidelity(a, b) : undefined;
  // A live run is not a later version of the sim run: what differs is a disagreement to explain, not a regression.
  if (fidelity) headline = `${fidelityHeadline(fidelity)} The changes below are live against sim, not regressions.`;
  return {
    a: la,
    b: lb,
    headline,
    warnings: comparabilityWarnings(a, b, la, lb),
    rule,
    regressions,
    improvements,
    possibleNoise,
    arms,
    charts: compareCharts(a, b, names, labels),
    ...(fidelity ? { fidelity } : {}),
  };
}

function runLabel(run: SavedRun, label: string): RunLabel {
  const s = run.results.scenario;
  return { label, dir: run.dir, startedAt: run.meta.startedAt, scenario: s.name, seeds: (run.seeds ?? [run.results]).map((r) => r.scenario.seed), target: s.target };
}

/** What makes two runs less than like for like, said before any number is read. */
function comparabilityWarnings(a: SavedRun, b: SavedRun, la: RunLabel, lb: RunLabel): string[] {
  const out: string[] = [];
  if (la.scenario !== lb.scenario) {
    out.push(`different scenarios: ${la.label} ran '${la.scenario}', ${lb.label} ran '${lb.scenario}'; differences include the scenario change`);
  } else if (a.meta.scenarioDigest && b.meta.scenarioDigest && a.meta.scenarioDigest !== b.meta.scenarioDigest) {
    out.push(`different scenarios: both are named '${la.scenario}' but their contents differ (scenario digest ${a.meta.scenarioDigest.slice(0, 19)}… vs ${b.meta.scenarioDigest.slice(0, 19)}…); differences include the scenario change`);
  } else if (!a.meta.scenarioDigest || !b.meta.scenarioDigest) {
    out.push(`cannot check that both runs used the same scenario file: ${!a.meta.scenarioDigest ? la.label : lb.label} predates scenario digests in run.json`);
  }
  if (la.target !== lb.target) out.push(`different targets: ${la.label} ran on ${la.target}, ${lb.label} on ${lb.target}`);
  if (la.seeds.length === 1 && lb.seeds.length === 1 && la.seeds[0] !== lb.seeds[0]) {
    out.push(`different seeds (${la.seeds[0]} vs ${lb.seeds[0]}) and one seed each: seed noise is not measured`);
  }
  return out;
}

interface ArmOptions {
  thresholds: UserThresholds;
  seedNoiseUnmeasured: boolean;
}

function armComparison(name: string, color: string, seedsA: Results[], seedsB: Results[], o: ArmOptions): ArmComparison {
  const armA = seedsA.map((r) => r.autoscalers.find((x) => x.name === name));
  const armB = seedsB.map((r) => r.autoscalers.find((x) => x.name === name));
  const inA = armA.every((x) => x !== undefined);
  const inB = armB.every((x) => x !== undefined);
  const slo = { a: inA ? sloVerdict(seedsA, name) : null, b: inB ? sloVerdict(seedsB, name) : null };
  if (!inA || !inB) return { name, color, slo, sloChanges: [], metrics: [] };
  const rowsA = seedsA.map((r) => keyMetrics(r.autoscalers, r.comparison.metrics));
  const rowsB = seedsB.map((r) => keyMetrics(r.autoscalers, r.comparison.metrics));
  const idxA = seedsA[0]!.autoscalers.findIndex((x) => x.name === name);
  const idxB = seedsB[0]!.autoscalers.findIndex((x) => x.name === name);
  const metrics: MetricChange[] = [];
  for (const row of rowsA[0]!) {
    if (!rowsB[0]!.some((r) => r.key === row.key)) continue;
    const sa = spreadOf(rowsA.map((t) => t.find((r) => r.key === row.key)!.values[idxA]!));
    const sb = spreadOf(rowsB.map((t) => t.find((r) => r.key === row.key)!.values[idxB]!));
    if (!Number.isFinite(sa.median) || !Number.isFinite(sb.median)) continue;
    const shown = showPair(sa, sb, row.unit);
    const d = decide({ a: sa, b: sb, unit: row.unit, better: row.better, user: o.thresholds.byMetric[row.key] ?? o.thresholds.all, seedNoiseUnmeasured: o.seedNoiseUnmeasured, shown });
    metrics.push({ key: row.key, label: row.label, unit: row.unit, a: shown[0], b: shown[1], change: d.verdict === 'same' && shown[0] === shown[1] ? '±0' : changeText(sa.median, sb.median, row.unit), verdict: d.verdict, why: d.why });
  }
  return { name, color, slo, sloChanges: sloChanges(seedsA, seedsB, name, o), metrics };
}

/** A single-seed run's SLO verdict, or a multi-seed run's on the median (harness/metrics/aggregate.ts). */
function sloVerdict(seeds: Results[], name: string): boolean {
  const checks = seeds.map((r) => r.autoscalers.find((x) => x.name === name)!.slo.checks);
  return checks[0]!.every((c, k) => medianPasses(c, checks.map((cs) => cs[k]!.actual)));
}

/** Fails when no seed has a value, as a single run's check does. */
function medianPasses(c: SloCheck, actuals: ReadonlyArray<number | null>): boolean {
  const values = valuesOf(actuals);
  if (values.length === 0) return false;
  const m = spreadOf(values).median;
  return c.op === '<=' ? m <= c.threshold : m >= c.threshold;
}

function valuesOf(actuals: ReadonlyArray<number | null>): number[] {
  return actuals.flatMap((v) => (v === null ? [] : [v]));
}

function sloChanges(seedsA: Results[], seedsB: Results[], name: string, o: ArmOptions): SloChange[] {
  const checksA = seedsA.map((r) => r.autoscalers.find((x) => x.name === name)!.slo.checks);
  const checksB = seedsB.map((r) => r.autoscalers.find((x) => x.name === name)!.slo.checks);
  const out: SloChange[] = [];
  checksB[0]!.forEach((cb, k) => {
    const ka = checksA[0]!.findIndex((c) => c.metric === cb.metric && c.op === cb.op);
    if (ka < 0) return;
    const va = checksA.map((cs) => cs[ka]!.actual);
    const vb = checksB.map((cs) => cs[k]!.actual);
    const passA = medianPasses(checksA[0]![ka]!, va);
    const passB = medianPasses(cb, vb);
    if (passA === passB) return;
    const unit = unitForMetric(cb.metric);
    if (valuesOf(va).length === 0 || valuesOf(vb).length === 0) {
      out.push({ metric: cb.metric, kind: passA ? 'broken' : 'fixed', significant: true, why: 'the metric has no value in one of the runs' });
      return;
    }
    const sa = spreadOf(valuesOf(va));
    const sb = spreadOf(valuesOf(vb));
    const d = decide({ a: sa, b: sb, unit, better: cb.op === '<=' ? 'lower' : 'higher', user: o.thresholds.byMetric[cb.metric] ?? o.thresholds.all, seedNoiseUnmeasured: o.seedNoiseUnmeasured, shown: showPair(sa, sb, unit) });
    out.push({ metric: cb.metric, kind: passA ? 'broken' : 'fixed', significant: d.verdict === 'worse' || d.verdict === 'better', why: d.why });
  });
  return out;
}

/** The two values as shown: "median [min–max]" for a multi-seed run; more digits when they would read the same. */
function showPair(a: Spread, b: Spread, unit: Unit): [string, string] {
  const show = (s: Spread, f: (v: number) => string): string => (s.n > 1 && s.min !== s.max ? `${f(s.median)} [${f(s.min)}–${f(s.max)}]` : f(s.median));
  const plain: [string, string] = [show(a, (v) => formatValue(v, unit)), show(b, (v) => formatValue(v, unit))];
  if (plain[0] !== plain[1] || a.median === b.median) return plain;
  return [show(a, (v) => precise(v, unit)), show(b, (v) => precise(v, unit))];
}

function precise(v: number, unit: Unit): string {
  switch (unit) {
    case 'duration':
      return `${v.toFixed(v < 10 ? 2 : 1)} s`;
    case 'minutes':
      return `${v.toFixed(1)} min`;
    case 'usd':
      return `$${v.toPrecision(4)}`;
    case 'percent':
      return `${(v * 100).toFixed(3)}%`;
    case 'ratio':
      return `${v.toFixed(3)}×`;
    case 'ms':
      return `${v.toFixed(1)} ms`;
    case 'count':
      return Number.isInteger(v) ? formatCount(v) : v.toFixed(2);
  }
}

function changeText(a: number, b: number, unit: Unit): string {
  if (a === b) return '±0';
  if (unit === 'percent') return `${b > a ? '+' : '−'}${(Math.abs(b - a) * 100).toFixed(2)} pp`;
  if (a === 0) return `+${formatValue(b, unit)}`;
  const pct = ((b - a) / Math.abs(a)) * 100;
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

function compareCharts(a: SavedRun, b: SavedRun, names: string[], labels: { a: string; b: string }): ChartData {
  const durationS = Math.max(a.results.scenario.durationS, b.results.scenario.durationS);
  const ta = buildTimelines(eventsByArm(a.events, names), durationS);
  const tb = buildTimelines(eventsByArm(b.events, names), durationS);
  const la = eventsByArm(a.events, names);
  const lb = eventsByArm(b.events, names);
  const both = (id: string, kind: ChartSpec['kind'], unit: ChartSpec['unit'], pick: (run: 'a' | 'b', arm: number) => number[] | undefined): ChartSpec => ({
    id,
    kind,
    unit,
    series: names.flatMap((name, i) => [
      { label: `${name} · ${labels.a}`, color: armColor(i), values: pick('a', i) ?? [], dash: true },
      { label: `${name} · ${labels.b}`, color: armColor(i), values: pick('b', i) ?? [] },
    ]),
  });
  const cdfs = names.flatMap((name) => [cdf(armLatencies(la.get(name) ?? []).podToReady), cdf(armLatencies(lb.get(name) ?? []).podToReady)]);
  const xs = [...new Set(cdfs.flatMap((c) => c.x))].sort((p, q) => p - q);
  const index = new Map(xs.map((v, i) => [v, i]));
  const cdfChart: ChartSpec = {
    id: 'compare-cdf',
    kind: 'cdf',
    unit: 'fraction',
    x: xs,
    series: cdfs.map((c, k) => {
      const values = new Array<number | null>(xs.length).fill(null);
      c.x.forEach((v, j) => (values[index.get(v)!] = c.y[j]!));
      const arm = Math.floor(k / 2);
      return { label: `${names[arm]} · ${k % 2 ? labels.b : labels.a}`, color: armColor(arm), values, dash: k % 2 === 0 };
    }),
  };
  const started = b.events.find((e) => e.type === 'run.started');
  const epoch = started?.type === 'run.started' ? started.epoch : b.meta.startedAt;
  const offset = epochOffsetMinutes(epoch);
  const epochMs = Number.isFinite(Date.parse(epoch)) ? Date.parse(epoch) : 0;
  return {
    time: { x: tb.x, shiftS: epochMs / 1000 + offset * 60, zone: formatOffset(offset) },
    faults: [],
    phases: b.results.phases,
    charts: [
      both('compare-pending', 'time', 'count', (run, i) => (run === 'a' ? ta : tb).arms[i]?.pendingPods),
      both('compare-cost', 'time', 'usd', (run, i) => (run === 'a' ? ta : tb).arms[i]?.cumulativeCostUSD),
      cdfChart,
    ],
  };
}
