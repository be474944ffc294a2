/**
 * Two runs of the same scenario side by side (last night vs tonight): per autoscaler, how each key metric moved
 * and whether its SLOs still hold. Run A is the baseline, run B the candidate; changes are B relative to A.
 */
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import { formatValue, type Unit } from '../format.js';
import { armColor, type ChartData, type ChartSpec } from '../model/charts.js';
import { keyMetrics } from '../model/key-metrics.js';
import { armLatencies, cdf } from '../model/latency.js';
import { buildTimelines, eventsByArm } from '../model/timeline.js';
import { epochOffsetMinutes, formatOffset } from '../format.js';
import type { SavedRun } from '../run-dir.js';

/** Moves smaller than this are noise between seeds, not a change worth flagging. */
export const CHANGE_THRESHOLD = 0.05;

export interface RunLabel {
  label: string;
  dir: string;
  startedAt: string;
  scenario: string;
  seed: number;
  target: string;
}

export interface MetricChange {
  key: string;
  label: string;
  unit: Unit;
  a: string;
  b: string;
  change: string;
  verdict: 'better' | 'worse' | 'same' | 'info';
}

export interface ArmComparison {
  name: string;
  color: string;
  slo: { a: boolean | null; b: boolean | null };
  metrics: MetricChange[];
}

export interface CompareModel {
  a: RunLabel;
  b: RunLabel;
  headline: string;
  regressions: number;
  improvements: number;
  arms: ArmComparison[];
  charts: ChartData;
}

export function buildCompareModel(a: SavedRun, b: SavedRun, labels: { a: string; b: string }): CompareModel {
  const names = [...new Set([...a.results.autoscalers.map((x) => x.name), ...b.results.autoscalers.map((x) => x.name)])];
  const arms = names.map((name, i) => armComparison(name, armColor(i), a.results.autoscalers.find((x) => x.name === name), b.results.autoscalers.find((x) => x.name === name)));
  const regressions = arms.reduce((n, arm) => n + arm.metrics.filter((m) => m.verdict === 'worse').length + (arm.slo.a === true && arm.slo.b === false ? 1 : 0), 0);
  const improvements = arms.reduce((n, arm) => n + arm.metrics.filter((m) => m.verdict === 'better').length + (arm.slo.a === false && arm.slo.b === true ? 1 : 0), 0);
  const sloBroken = arms.filter((arm) => arm.slo.a === true && arm.slo.b === false).map((arm) => arm.name);
  const headline = sloBroken.length
    ? `${labels.b} broke SLOs that held in ${labels.a}: ${sloBroken.join(', ')}.`
    : regressions === 0
      ? `No regressions in ${labels.b} against ${labels.a}${improvements ? ` (${improvements} improvement${improvements === 1 ? '' : 's'})` : ''}.`
      : `${regressions} metric${regressions === 1 ? '' : 's'} worse in ${labels.b} than in ${labels.a} by more than ${CHANGE_THRESHOLD * 100}%, ${improvements} better.`;
  return {
    a: runLabel(a, labels.a),
    b: runLabel(b, labels.b),
    headline,
    regressions,
    improvements,
    arms,
    charts: compareCharts(a, b, names, labels),
  };
}

function runLabel(run: SavedRun, label: string): RunLabel {
  const s = run.results.scenario;
  return { label, dir: run.dir, startedAt: run.meta.startedAt, scenario: s.name, seed: s.seed, target: s.target };
}

function armComparison(name: string, color: string, a: AutoscalerResult | undefined, b: AutoscalerResult | undefined): ArmComparison {
  const slo = { a: a ? a.slo.passed : null, b: b ? b.slo.passed : null };
  if (!a || !b) return { name, color, slo, metrics: [] };
  const rows = keyMetrics([a, b]);
  const metrics = rows.map((r): MetricChange => {
    const [va, vb] = r.values as [number, number];
    const rel = va === 0 ? (vb === 0 ? 0 : Infinity) : (vb - va) / Math.abs(va);
    const moved = r.unit === 'percent' ? Math.abs(vb - va) >= 0.001 : Math.abs(rel) >= CHANGE_THRESHOLD;
    const verdict = r.better === null ? 'info' : !moved ? 'same' : (vb < va) === (r.better === 'lower') ? 'better' : 'worse';
    return { key: r.key, label: r.label, unit: r.unit, a: r.formatted[0]!, b: r.formatted[1]!, change: changeText(va, vb, r.unit), verdict };
  });
  return { name, color, slo, metrics };
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
