import { describe, expect, it } from 'vitest';
import type { AutoscalerResult, Quantiles } from '../../../harness/metrics/results.js';
import { verdict } from '../../../reports/model/verdict.js';
import { makeReportFixture } from '../../support/report-fixture.js';

const ctx = { peakPending: {}, clock: (t: number) => `t+${t}` };
const base = makeReportFixture({ durationS: 1_800, peakPods: 120 }).results.autoscalers;

/** The fixture's two arms with chosen SLO outcomes: cluster-autoscaler is the slower one. */
function arms(passed: { ca: boolean; k: boolean }): [AutoscalerResult, AutoscalerResult] {
  const [ca, k] = structuredClone(base) as [AutoscalerResult, AutoscalerResult];
  ca.slo.passed = passed.ca;
  k.slo.passed = passed.k;
  return [ca, k];
}

describe('verdict', () => {
  it('names the only autoscaler that met its SLOs as the winner', () => {
    const v = verdict(arms({ ca: false, k: true }), ctx);
    expect(v.winner).toBe('karpenter');
    expect(v.headline).toBe('karpenter won: the only autoscaler that met its SLOs.');
  });

  it('says by how much, with the p99 and the cost of both', () => {
    const [ca, k] = arms({ ca: false, k: true });
    const v = verdict([ca, k], ctx);
    expect(v.margins[0]).toMatchObject({ label: 'p99 pod-to-ready', lead: { name: 'karpenter' }, rival: { name: 'cluster-autoscaler' }, ahead: true });
    expect(v.margins[0]!.relative).toMatch(/faster$/);
    expect(v.margins[1]!.relative).toMatch(k.cost.totalUSD < ca.cost.totalUSD ? /cheaper$/ : /more expensive$/);
  });

  it('explains that the slower autoscaler waited for nodes', () => {
    expect(verdict(arms({ ca: false, k: true }), ctx).reasons).toContainEqual(expect.stringMatching(/^cluster-autoscaler's pods spent \d+% of their time-to-ready waiting for a node/));
  });

  it('declares no winner when one is faster and the other cheaper', () => {
    const [ca, k] = arms({ ca: true, k: true });
    ca.cost.totalUSD = k.cost.totalUSD / 2;
    const v = verdict([ca, k], ctx);
    expect(v.winner).toBeNull();
    expect(v.headline).toBe('No outright winner: karpenter was faster, cluster-autoscaler was cheaper.');
  });

  it('crowns the faster and cheaper one when both met their SLOs', () => {
    const v = verdict(arms({ ca: true, k: true }), ctx);
    expect(v.headline).toBe('karpenter won: faster and cheaper, and every autoscaler met its SLOs.');
  });
});

/** Wait quantiles (seconds) of a pod group in results.json. */
const waits = (q: { p50: number; p90: number }): Quantiles => ({ count: 20, p50: q.p50, p90: q.p90, p99: q.p90, max: q.p90, mean: q.p50 });

describe('verdict on an arm that gave pods up', () => {
  function givingUp(): [AutoscalerResult, AutoscalerResult] {
    const [ca, k] = arms({ ca: true, k: true });
    ca.cost.totalUSD = k.cost.totalUSD * 2;
    k.pods = { created: 100, ready: 80, neverReady: 0, abandoned: 20 };
    ca.pods = { created: 100, ready: 100, neverReady: 0, abandoned: 0 };
    return [ca, k];
  }

  it('names no winner when the faster, cheaper arm looks fast only because pods were given up', () => {
    const v = verdict(givingUp(), ctx);
    expect(v.winner).toBeNull();
    expect(v.headline).toBe('No outright winner: karpenter looks fast only because pods were given up (20 of 100 pods, 20%, deleted before they were ever Ready).');
  });

  it('says why first: how many pods the arm gave up and that they count with their wait', () => {
    expect(verdict(givingUp(), ctx).reasons[0]).toMatch(/^karpenter gave up 20 of 100 pods, 20%, deleted before they were ever Ready; they count in its pod-to-ready/);
  });

  it('names no winner when the pods it gave up had waited longer than its Ready pods', () => {
    const [ca, k] = givingUp();
    Object.assign(k.pods, { readyWait: waits({ p50: 40, p90: 60 }), abandonedWait: waits({ p50: 1_200, p90: 1_190 }) });
    const v = verdict([ca, k], ctx);
    expect(v.winner).toBeNull();
    expect(v.headline).toBe('No outright winner: karpenter looks fast only because pods were given up (20 of 100 pods, 20%, deleted before they were ever Ready after a median wait of 20 m 0 s against p90 1 m 0 s for its pods that became Ready).');
  });

  it('keeps the winner and accuses no one when the pods it gave up were deleted after short waits', () => {
    const [ca, k] = givingUp();
    Object.assign(k.pods, { readyWait: waits({ p50: 40, p90: 60 }), abandonedWait: waits({ p50: 20, p90: 38 }) });
    const v = verdict([ca, k], ctx);
    expect(v.winner).toBe('karpenter');
    expect(v.reasons.join('\n')).not.toMatch(/given up/);
  });

  it('keeps the winner when the share given up is below the flag', () => {
    const [ca, k] = givingUp();
    k.pods = { created: 100, ready: 99, neverReady: 0, abandoned: 1 };
    expect(verdict([ca, k], ctx).winner).toBe('karpenter');
  });
});
