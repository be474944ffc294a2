import { describe, expect, it } from 'vitest';
import { spreadOf } from '../../../harness/metrics/aggregate.js';
import { buildCompareModel } from '../../../reports/compare/compare-model.js';
import { decide, parseThresholds, type DecideInput } from '../../../reports/compare/noise.js';
import { formatValue } from '../../../reports/format.js';
import type { SavedRun } from '../../../reports/run-dir.js';
import { makeReportFixture } from '../../support/report-fixture.js';

/** A single-seed comparison of one metric, shown as the reports format it. */
function single(a: number, b: number, o: Partial<DecideInput> & Pick<DecideInput, 'unit' | 'better'>): DecideInput {
  return { a: spreadOf([a]), b: spreadOf([b]), user: undefined, seedNoiseUnmeasured: false, shown: [formatValue(a, o.unit), formatValue(b, o.unit)], ...o };
}

function run(dir: string, seed: number, edit: (r: SavedRun['results']) => void = () => {}): SavedRun {
  const f = makeReportFixture({ durationS: 1_800, peakPods: 120, seed: 1 });
  f.results.scenario.seed = seed;
  edit(f.results);
  return { dir, ...f, meta: { ...f.meta, scenarioDigest: 'sha256:same' } };
}

describe('what compare calls a change', () => {
  it('shows more digits where two different values would read the same, so "7 min -> 7 min" is never a -10% change', () => {
    const a = run('a', 7, (r) => (r.autoscalers[0]!.sloMinutesInViolation = 7.4));
    const b = run('b', 7, (r) => (r.autoscalers[0]!.sloMinutesInViolation = 6.7));
    const row = buildCompareModel(a, b, { a: 'a', b: 'b' }).arms[0]!.metrics.find((m) => m.key === 'sloMinutesInViolation')!;
    expect([row.a, row.b]).toEqual(['7.4 min', '6.7 min']);
    expect(row.change).toBe('−9.5%');
    expect(row.verdict).toBe('same');
  });

  it('calls nothing a change when the values read the same even with more digits', () => {
    const a = run('a', 7, (r) => (r.autoscalers[0]!.sloMinutesInViolation = 7.01));
    const b = run('b', 7, (r) => (r.autoscalers[0]!.sloMinutesInViolation = 6.99));
    const row = buildCompareModel(a, b, { a: 'a', b: 'b' }).arms[0]!.metrics.find((m) => m.key === 'sloMinutesInViolation')!;
    expect(row).toMatchObject({ a: '7.0 min', b: '7.0 min', change: '±0', verdict: 'same' });
  });

  it('judges rates and shares on their bad side: -0.02 pp of a 99.90% success rate is worse, +0.12 pp of a 47% idle share is not', () => {
    expect(decide(single(0.999, 0.9988, { unit: 'percent', better: 'higher' })).verdict).toBe('worse');
    expect(decide(single(0.4747, 0.4759, { unit: 'percent', better: 'lower' })).verdict).toBe('same');
  });

  it('calls no regression between single runs on different seeds, and says that seed noise is unmeasured', () => {
    const d = decide(single(120, 170, { unit: 'duration', better: 'lower', seedNoiseUnmeasured: true }));
    expect(d.verdict).toBe('noise');
    expect(d.why).toContain('cannot tell that from seed noise');
  });

  it('applies a threshold the user sets even between single runs on different seeds', () => {
    expect(decide(single(120, 170, { unit: 'duration', better: 'lower', seedNoiseUnmeasured: true, user: { relative: 0.2 } })).verdict).toBe('worse');
    expect(decide(single(120, 140, { unit: 'duration', better: 'lower', user: { relative: 0.2 } })).verdict).toBe('same');
  });

  it('treats overlapping seed spreads as no change however far the medians moved', () => {
    const d = decide({ a: spreadOf([100, 110, 150]), b: spreadOf([140, 150, 160]), unit: 'duration', better: 'lower', user: undefined, seedNoiseUnmeasured: false, shown: ['a', 'b'] });
    expect(d).toMatchObject({ verdict: 'same' });
    expect(d.why).toContain('spread');
  });

  it('calls a regression when every seed of the candidate is worse than every seed of the baseline', () => {
    const d = decide({ a: spreadOf([100, 110, 120]), b: spreadOf([125, 130, 140]), unit: 'duration', better: 'lower', user: undefined, seedNoiseUnmeasured: false, shown: ['a', 'b'] });
    expect(d.verdict).toBe('worse');
  });

  it('reads --threshold for every metric or per metric, in percent or percentage points, and rejects anything else', () => {
    expect(parseThresholds(['10%', 'podToReady.p99=5%', 'requests.successRate=0.1pp'])).toEqual({
      all: { relative: 0.1 },
      byMetric: { 'podToReady.p99': { relative: 0.05 }, 'requests.successRate': { pp: 0.001 } },
    });
    expect(() => parseThresholds(['ten', '0.5pp', '=3%'])).toThrow(/'ten' is not a threshold; '0.5pp': a threshold in percentage points names its metric[^;]*; '=3%' is not a threshold/);
  });
});
