/** What the reports of a multi-seed run add: each key metric's median and spread per arm, and the median SLO verdict. */
import { spreadOf, type SeedsResults, type Spread } from '../../harness/metrics/aggregate.js';
import type { Results } from '../../harness/metrics/results.js';
import { formatValue } from '../format.js';
import { keyMetrics } from '../model/key-metrics.js';

export interface SeedsRow {
  key: string;
  label: string;
  /** Per arm: "median [min–max]". */
  cells: string[];
  spreads: Spread[];
}

export interface SeedsModel {
  seeds: number[];
  /** The seed whose charts and slowest pods the rest of the report shows. */
  representative: number;
  arms: string[];
  rows: SeedsRow[];
  slo: Array<{ arm: string; passed: boolean; seedsFailed: number; failing: string[] }>;
  rule: string;
}

export function buildSeedsModel(agg: SeedsResults, perSeed: readonly Results[]): SeedsModel {
  const tables = perSeed.map((r) => keyMetrics(r.autoscalers, r.comparison.metrics));
  const rows = tables[0]!.map((row, k): SeedsRow => {
    const spreads = row.values.map((_, arm) => spreadOf(tables.map((t) => t[k]!.values[arm]!)));
    const f = (v: number): string => (Number.isFinite(v) ? formatValue(v, row.unit) : '–');
    return { key: row.key, label: row.label, spreads, cells: spreads.map((s) => (s.min === s.max ? f(s.median) : `${f(s.median)} [${f(s.min)}–${f(s.max)}]`)) };
  });
  return {
    seeds: agg.scenario.seeds,
    representative: agg.scenario.seeds[0]!,
    arms: agg.autoscalers.map((a) => a.name),
    rows,
    slo: agg.autoscalers.map((a) => ({
      arm: a.name,
      passed: a.slo.passed,
      seedsFailed: a.slo.seedsFailed,
      failing: a.slo.checks.filter((c) => !c.passed).map((c) => c.metric),
    })),
    rule: agg.sloRule,
  };
}
