import { describe, expect, it } from 'vitest';
import { HpaCalculator } from '../../../harness/sim/hpa.js';

function hpa(o: Partial<{ min: number; max: number; target: number }> = {}): HpaCalculator {
  return new HpaCalculator({
    minReplicas: o.min ?? 2,
    maxReplicas: o.max ?? 1000,
    targetRpsPerPod: o.target ?? 100,
    syncPeriod: 15_000,
    tolerance: 0.1,
    scaleUp: { stabilizationWindow: 0, percent: 100, pods: 4, period: 15_000 },
    scaleDown: { stabilizationWindow: 300_000, percent: 100, period: 15_000 },
  });
}

describe('the HPA replica calculation', () => {
  it('asks for ceil(rps / target per pod)', () => {
    expect(hpa().recommend(0, 950, 8)).toBe(10);
  });

  it('keeps the count within the 10% tolerance', () => {
    expect(hpa().recommend(0, 1050, 10)).toBe(10);
  });

  it('at most doubles (or adds four) per 15-second period when scaling up', () => {
    const h = hpa();
    expect(h.recommend(0, 100_000, 10)).toBe(20);
    expect(h.recommend(15_000, 100_000, 20)).toBe(40);
    expect(hpa().recommend(0, 100_000, 2)).toBe(6);
  });

  it('holds a scale-down until the 300-second stabilization window has passed', () => {
    const h = hpa();
    expect(h.recommend(0, 5_000, 50)).toBe(50);
    expect(h.recommend(15_000, 1_000, 50)).toBe(50);
    let n = 50;
    for (let t = 30_000; t <= 330_000; t += 15_000) n = h.recommend(t, 1_000, n);
    expect(n).toBe(10);
  });

  it('never scales below the current count when replicas were raised from outside within the period', () => {
    const h = hpa();
    expect(h.recommend(0, 2_000, 10)).toBe(20);
    expect(h.recommend(5_000, 100_000, 100)).toBeGreaterThanOrEqual(100);
  });

  it('stays within min and max replicas', () => {
    expect(hpa({ min: 3 }).recommend(0, 0, 3)).toBe(3);
    expect(hpa({ max: 12 }).recommend(0, 100_000, 10)).toBe(12);
  });

  it('climbs to a raised minimum within the scale-up rate limit, as upstream does', () => {
    const h = hpa();
    h.setMinReplicas(30);
    expect(h.recommend(0, 0, 10)).toBe(20);
    expect(h.recommend(15_000, 0, 20)).toBe(30);
  });
});
