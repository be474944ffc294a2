/**
 * results.json of a multi-seed run: each compared metric and each SLO check of each arm as the median of the
 * seeds with its spread (min-max). The per-seed results.json files stay exactly as a single-seed run writes them.
 *
 * SLO rule: a check passes when its median over the seeds passes; how many seeds failed it is shown beside it, so
 * one unlucky seed neither hides nor decides the verdict.
 */
import type { Results } from './results.js';

export const SEEDS_RESULTS_SCHEMA = 'burstlab/results-seeds/v1';

export const SEEDS_SLO_RULE = 'an SLO check passes when the median of its metric over the seeds passes; beside it, how many seeds failed it';

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface SeedsSloCheck {
  metric: string;
  op: '<=' | '>=';
  threshold: number;
  /** Over the seeds where the metric has a value; null when no seed has one (then the check fails). */
  actual: Spread | null;
  passed: boolean;
  seedsFailed: number;
}

export interface SeedsArm {
  name: string;
  kind: string;
  /** Every metric results.json compares (its `comparison.metrics`) over the seeds where this arm has a value for it. */
  metrics: Record<string, Spread>;
  slo: { passed: boolean; seedsFailed: number; checks: SeedsSloCheck[] };
}

export interface SeedsResults {
  schema: typeof SEEDS_RESULTS_SCHEMA;
  scenario: Omit<Results['scenario'], 'seed'> & { seeds: number[] };
  /** Each seed's own results.json and events.jsonl, relative to this file. */
  runs: Array<{ seed: number; dir: string }>;
  sloRule: string;
  pricing: Results['pricing'];
  autoscalers: SeedsArm[];
}

export function seedDir(seed: number): string {
  return `seeds/${seed}`;
}

/** The middle value; the mean of the two middle values for an even count. */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error('spread of no values');
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: Math.round(median * 1e6) / 1e6, min: sorted[0]!, max: sorted[n - 1]!, n };
}

/** Aggregates the results of the same scenario run on several seeds (in seed order as given). */
export function aggregateSeeds(perSeed: readonly Results[]): SeedsResults {
  const first = perSeed[0];
  if (!first) throw new Error('no seeds to aggregate');
  const { seed: _seed, ...scenario } = first.scenario;
  return {
    schema: SEEDS_RESULTS_SCHEMA,
    scenario: { ...scenario, seeds: perSeed.map((r) => r.scenario.seed) },
    runs: perSeed.map((r) => ({ seed: r.scenario.seed, dir: seedDir(r.scenario.seed) })),
    sloRule: SEEDS_SLO_RULE,
    pricing: first.pricing,
    autoscalers: first.autoscalers.map((arm, i) => {
      const arms = perSeed.map((r) => r.autoscalers[i]!);
      const metrics: Record<string, Spread> = {};
      // A seed where this arm has no value for a metric (no samples, no bound) adds nothing to its spread: n says how
      // many seeds did; a metric no seed has a value for is left out.
      for (const metric of new Set(perSeed.flatMap((r) => r.comparison.metrics.map((m) => m.metric)))) {
        const values = perSeed.flatMap((r) => {
          const v = r.comparison.metrics.find((m) => m.metric === metric)?.values[arm.name];
          return v === undefined || v === null ? [] : [v];
        });
        if (values.length > 0) metrics[metric] = spreadOf(values);
      }
      const checks = arm.slo.checks.map((c, k): SeedsSloCheck => {
        const seedChecks = arms.map((a) => a.slo.checks[k]!);
        const values = seedChecks.flatMap((s) => (s.actual === null ? [] : [s.actual]));
        const actual = values.length > 0 ? spreadOf(values) : null;
        const passed = actual !== null && (c.op === '<=' ? actual.median <= c.threshold : actual.median >= c.threshold);
        return { metric: c.metric, op: c.op, threshold: c.threshold, actual, passed, seedsFailed: seedChecks.filter((s) => !s.passed).length };
      });
      return {
        name: arm.name,
        kind: arm.kind,
        metrics,
        slo: { passed: checks.every((c) => c.passed), seedsFailed: arms.filter((a) => !a.slo.passed).length, checks },
      };
    }),
  };
}
