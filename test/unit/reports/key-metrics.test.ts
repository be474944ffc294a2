import { describe, expect, it } from 'vitest';
import { keyMetrics } from '../../../reports/model/key-metrics.js';
import { makeReportFixture } from '../../support/report-fixture.js';

const arms = makeReportFixture({ durationS: 1_800, peakPods: 120 }).results.autoscalers;
const row = (rows: ReturnType<typeof keyMetrics>, key: string) => rows.find((r) => r.key === key)!;

describe('keyMetrics', () => {
  it('marks the lower p99 as best and says how far the other is behind', () => {
    const [ca, k] = structuredClone(arms);
    ca!.podToReady.p99 = 300;
    k!.podToReady.p99 = 75;
    const r = row(keyMetrics([ca!, k!]), 'podToReady.p99');
    expect(r.best).toEqual([false, true]);
    expect(r.formatted).toEqual(['5 m 0 s', '1 m 15 s']);
    expect(r.deltas).toEqual(['4.0×', '']);
  });

  it('marks nothing when every arm has the same value', () => {
    const [ca, k] = structuredClone(arms);
    ca!.pods.neverReady = 0;
    k!.pods.neverReady = 0;
    expect(row(keyMetrics([ca!, k!]), 'pods.neverReady').best).toEqual([false, false]);
  });

  it("takes the better direction from results.json's comparison when it names one", () => {
    const rows = keyMetrics(arms, [{ metric: 'nodes.peak', better: 'lower', values: {}, winner: null }]);
    expect(row(rows, 'nodes.peak').better).toBe('lower');
    expect(row(keyMetrics(arms), 'nodes.peak').better).toBeNull();
  });

  it('adds metrics results.json compares that the table does not already show', () => {
    const rows = keyMetrics(arms, [{ metric: 'cost.spotShare', better: 'higher', values: { 'cluster-autoscaler': 0, karpenter: 0.9 }, winner: 'karpenter' }]);
    const extra = row(rows, 'cost.spotShare');
    expect(extra.group).toBe('Other compared metrics');
    expect(extra.formatted).toEqual(['0.00%', '90.00%']);
    expect(extra.best).toEqual([false, true]);
  });
});

describe('keyMetrics without request SLOs', () => {
  it('leaves out minutes in SLO violation when no arm has a value for it', () => {
    const [ca, k] = structuredClone(arms);
    ca!.sloMinutesInViolation = null;
    k!.sloMinutesInViolation = null;
    expect(keyMetrics([ca!, k!]).map((r) => r.key)).not.toContain('sloMinutesInViolation');
  });

  it('shows pods given up before Ready next to pods never ready', () => {
    const [ca, k] = structuredClone(arms);
    ca!.pods.abandoned = 12;
    k!.pods.abandoned = 0;
    expect(row(keyMetrics([ca!, k!]), 'pods.abandoned').best).toEqual([false, true]);
  });
});
