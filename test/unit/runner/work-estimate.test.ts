import { describe, expect, it } from 'vitest';
import { plannedWork, RunProgress, type PlannedWork } from '../../../harness/runner/work-estimate.js';
import { scenario } from '../../support/scenarios.js';

/** A one-hour scenario whose traffic jumps 200x at half time, scaled by an HPA. */
function spikeAtHalfTime() {
  return scenario({
    duration: '1h',
    workloads: [{ name: 'web', replicas: 2, resources: { cpu: '250m', memory: '256Mi' }, hpa: { minReplicas: 2, maxReplicas: 400, targetRpsPerPod: 50 } }],
    traffic: [{ workload: 'web', profile: 'spike', base: 100, peak: 20000, at: '30m', rise: '1m', hold: '20m', decay: '5m' }],
  });
}

/** A clock the test moves by hand, in milliseconds. */
function manualClock(): { now: () => number; set(ms: number): void } {
  let t = 0;
  return { now: () => t, set: (ms) => void (t = ms) };
}

const even: PlannedWork = { shareAt: (f) => f };

describe('plannedWork', () => {
  it('puts most of the work where the plan creates pods, not spread over simulated time', () => {
    const plan = plannedWork(spikeAtHalfTime());
    expect(plan.shareAt(0.49)).toBeLessThan(0.3);
    expect(plan.shareAt(0.53)).toBeGreaterThan(0.6);
  });

  it('spreads the work evenly when no pods are added along the way', () => {
    const plan = plannedWork(scenario({ duration: '1h' }));
    expect(plan.shareAt(0.5)).toBeCloseTo(0.5, 1);
  });

  it('grows from 0 to 1 and never goes back', () => {
    const plan = plannedWork(spikeAtHalfTime());
    const shares = Array.from({ length: 101 }, (_, i) => plan.shareAt(i / 100));
    expect(shares[0]).toBeGreaterThanOrEqual(0);
    expect(shares[100]).toBe(1);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]!);
  });
});

describe('RunProgress', () => {
  it('gives a second arm that runs three times slower its share of the wall time, not half the bar', () => {
    const clock = manualClock();
    const progress = new RunProgress(even, 2, clock.now);
    clock.set(1000);
    expect(progress.at(0, 1)).toBeCloseTo(0.5);
    clock.set(2500);
    // 2.5 s done of 1 s + 3 s: 62.5%, where equal shares per arm would claim 75%.
    expect(progress.at(1, 0.5)).toBeCloseTo(0.625);
  });

  it('follows the planned work inside an arm rather than its simulated time', () => {
    const clock = manualClock();
    const progress = new RunProgress({ shareAt: (f) => (f < 0.5 ? f * 0.2 : 0.1 + (f - 0.5) * 1.8) }, 1, clock.now);
    clock.set(900);
    expect(progress.at(0, 0.9)).toBeCloseTo(0.82);
  });

  it('does not believe a fast start over idle hours: an arm takes at least as long as the ones before it', () => {
    const clock = manualClock();
    const progress = new RunProgress(even, 2, clock.now);
    clock.set(1000);
    progress.at(0, 1);
    clock.set(1010);
    expect(progress.at(1, 0.5)).toBeLessThan(0.6);
  });

  it('never goes back, even when an estimate grows', () => {
    const clock = manualClock();
    const progress = new RunProgress(even, 1, clock.now);
    clock.set(100);
    const early = progress.at(0, 0.5);
    clock.set(10_000);
    expect(progress.at(0, 0.51)).toBeGreaterThanOrEqual(early);
  });

  it('reaches 1 when the last arm finishes', () => {
    const clock = manualClock();
    const progress = new RunProgress(even, 2, clock.now);
    clock.set(10);
    progress.at(0, 1);
    clock.set(5000);
    expect(progress.at(1, 1)).toBe(1);
  });
});
