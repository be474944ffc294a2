import { describe, expect, it } from 'vitest';
import type { Results, SloCheck } from '../../../harness/metrics/results.js';
import { ANSI, PLAIN } from '../../../harness/runner/colour.js';
import { verdictLine } from '../../../harness/runner/verdict-line.js';
import { makeReportFixture } from '../../support/report-fixture.js';

const check = (o: Partial<SloCheck>): SloCheck => ({ metric: 'podToReady.p99', op: '<=', threshold: 180, actual: 60, passed: true, ...o });

/** The fixture's run, with cluster-autoscaler's and karpenter's SLO checks replaced. */
function results(ca: SloCheck[], k: SloCheck[]): Results {
  const r = structuredClone(makeReportFixture({ durationS: 1_800, peakPods: 120 }).results);
  r.scenario.name = 'market-open';
  const [a, b] = r.autoscalers;
  a!.name = 'cluster-autoscaler';
  b!.name = 'karpenter';
  a!.slo = { passed: ca.every((c) => c.passed), checks: ca };
  b!.slo = { passed: k.every((c) => c.passed), checks: k };
  return r;
}

describe('verdictLine', () => {
  it('names each failed check with the measured value on the wrong side of its threshold', () => {
    const r = results([check({ actual: 215.23, passed: false })], [check({})]);
    expect(verdictLine(r, PLAIN)).toBe('market-open: cluster-autoscaler FAIL (podToReady.p99 215.2 s > 180 s), karpenter pass; winner karpenter\n');
  });

  it('lists several failures of one arm, rates as percentages', () => {
    const r = results([check({ actual: 200, passed: false }), check({ metric: 'requests.successRate', op: '>=', threshold: 0.995, actual: 0.9812, passed: false })], [check({})]);
    expect(verdictLine(r, PLAIN)).toMatch(/cluster-autoscaler FAIL \(podToReady\.p99 200 s > 180 s; requests\.successRate 98\.12% < 99\.5%\)/);
  });

  it('says when an arm has no SLOs to pass or fail', () => {
    expect(verdictLine(results([], []), PLAIN)).toMatch(/^market-open: cluster-autoscaler no SLOs set, karpenter no SLOs set; /);
  });

  it('paints FAIL red and pass green when colour is on', () => {
    const line = verdictLine(results([check({ actual: 215, passed: false })], [check({})]), ANSI);
    expect(line).toContain(ANSI.red('FAIL'));
    expect(line).toContain(ANSI.green('pass'));
  });
});
