import { describe, expect, it } from 'vitest';
import { aggregateSeeds, spreadOf } from '../../../harness/metrics/aggregate.js';
import type { Results } from '../../../harness/metrics/results.js';
import { makeReportFixture } from '../../support/report-fixture.js';

/** Five seeds of one run whose first arm's p99 is the given value on each seed, against an SLO of p99 <= 120 s. */
function seedsWithP99(p99s: Array<number | null>): Results[] {
  const base = makeReportFixture({ durationS: 1_800, peakPods: 60, seed: 3 }).results;
  return p99s.map((p99, i) => {
    const r = structuredClone(base);
    r.scenario.seed = 100 + i;
    const arm = r.autoscalers[0]!;
    arm.podToReady.p99 = p99 ?? 0;
    r.comparison.metrics.find((m) => m.metric === 'podToReady.p99')!.values[arm.name] = p99;
    const check = { metric: 'podToReady.p99', op: '<=' as const, threshold: 120, actual: p99, passed: p99 !== null && p99 <= 120 };
    arm.slo = { passed: check.passed, checks: [check] };
    return r;
  });
}

describe('aggregateSeeds', () => {
  it('takes the middle value as the median, and the mean of the two middle values for an even count', () => {
    expect(spreadOf([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(spreadOf([40, 10, 20, 30])).toEqual({ median: 25, min: 10, max: 40, n: 4 });
  });

  it('reports every compared metric of each arm as its median and spread over the seeds', () => {
    const seeds = seedsWithP99([100, 130, 90, 110, 125]);
    const agg = aggregateSeeds(seeds);
    expect(agg.scenario.seeds).toEqual([100, 101, 102, 103, 104]);
    expect(agg.autoscalers[0]!.metrics['podToReady.p99']).toEqual({ median: 110, min: 90, max: 130, n: 5 });
    for (const arm of agg.autoscalers) expect(Object.keys(arm.metrics)).toEqual(seeds[0]!.comparison.metrics.map((m) => m.metric));
  });

  it('passes an SLO that holds on the median though two of five seeds failed it, and says how many failed', () => {
    const check = aggregateSeeds(seedsWithP99([100, 130, 90, 110, 125])).autoscalers[0]!.slo;
    expect(check.passed).toBe(true);
    expect(check.checks[0]).toMatchObject({ passed: true, seedsFailed: 2, actual: { median: 110 } });
    expect(check.seedsFailed).toBe(2);
  });

  it('judges an SLO on the seeds where its metric has a value', () => {
    expect(aggregateSeeds(seedsWithP99([100, null, 110])).autoscalers[0]!.slo.checks[0]).toMatchObject({ passed: true, seedsFailed: 1, actual: { median: 105, n: 2 } });
  });

  it('fails an SLO whose metric has no value on any seed', () => {
    expect(aggregateSeeds(seedsWithP99([null, null])).autoscalers[0]!.slo.checks[0]).toMatchObject({ passed: false, seedsFailed: 2, actual: null });
  });

  it('fails an SLO that fails on the median though two of five seeds passed it', () => {
    const check = aggregateSeeds(seedsWithP99([100, 130, 90, 140, 125])).autoscalers[0]!.slo;
    expect(check.passed).toBe(false);
    expect(check.checks[0]).toMatchObject({ passed: false, seedsFailed: 3, actual: { median: 125 } });
  });
});

describe('aggregateSeeds over seeds where a metric has no value', () => {
  it('spreads it over the seeds that have one, n saying how many, and never as 0', () => {
    const seeds = seedsWithP99([100, 130, 90]);
    const name = seeds[0]!.autoscalers[0]!.name;
    seeds.forEach((r, i) => {
      r.comparison.metrics.find((m) => m.metric === 'cost.totalUSD')!.values[name] = i === 1 ? null : 1.5 + i;
    });
    expect(aggregateSeeds(seeds).autoscalers[0]!.metrics['cost.totalUSD']).toEqual({ median: 2.5, min: 1.5, max: 3.5, n: 2 });
  });

  it('leaves it out for an arm that has no value on any seed', () => {
    const seeds = seedsWithP99([100, 130]);
    const name = seeds[0]!.autoscalers[0]!.name;
    for (const r of seeds) r.comparison.metrics.find((m) => m.metric === 'cost.totalUSD')!.values[name] = null;
    expect(aggregateSeeds(seeds).autoscalers[0]!.metrics).not.toHaveProperty(['cost.totalUSD']);
  });
});
