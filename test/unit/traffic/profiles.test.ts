import { describe, expect, it } from 'vitest';
import { serve } from '../../../harness/traffic/capacity.js';
import { rpsAt } from '../../../harness/traffic/profiles.js';
import type { TrafficSpec } from '../../../scenarios/schema/scenario-schema.js';

const MIN = 60_000;
const at = (h: number, m = 0): number => (h * 60 + m) * MIN;

const market: TrafficSpec = {
  workload: 'api', noise: 0, profile: 'market-open',
  open: at(9, 15), close: at(15, 30), offHours: 100, preOpen: 1_000, peak: 50_000, plateau: 10_000, closeSurge: 30_000,
  preOpenWindow: 45 * MIN, spikeWindow: 30 * MIN, closeWindow: 45 * MIN, afterCloseWindow: 60 * MIN,
};

describe('the market-open profile', () => {
  it('is at its off-hours trough overnight', () => {
    expect(rpsAt(market, at(3))).toBe(100);
  });

  it('ramps toward the pre-open level before the open', () => {
    const r = rpsAt(market, at(9));
    expect(r).toBeGreaterThan(100);
    expect(r).toBeLessThan(1_000);
  });

  it('jumps exponentially to the peak within the first minutes of trading', () => {
    expect(rpsAt(market, at(9, 16))).toBeLessThan(rpsAt(market, at(9, 17)));
    expect(rpsAt(market, at(9, 18))).toBeCloseTo(50_000, -2);
  });

  it('settles to the plateau by the end of the spike window and holds it', () => {
    expect(rpsAt(market, at(9, 45))).toBeLessThan(10_500);
    expect(rpsAt(market, at(12))).toBe(10_000);
  });

  it('surges toward the close and falls back after it', () => {
    expect(rpsAt(market, at(15, 29))).toBeGreaterThan(25_000);
    expect(rpsAt(market, at(17))).toBeLessThan(1_000);
  });

  it('drops straight to off-hours when the after-close window is zero', () => {
    expect(rpsAt({ ...market, afterCloseWindow: 0 }, at(15, 30))).toBe(100);
  });
});

describe('the simple profiles', () => {
  it('ramps linearly between its start and end', () => {
    expect(rpsAt({ workload: 'w', noise: 0, profile: 'ramp', from: 0, to: 100, start: 0, end: 10 * MIN }, 5 * MIN)).toBe(50);
  });

  it('steps at its instant', () => {
    const step: TrafficSpec = { workload: 'w', noise: 0, profile: 'step', from: 1, to: 9, at: MIN };
    expect([rpsAt(step, MIN - 1), rpsAt(step, MIN)]).toEqual([1, 9]);
  });

  it('rises, holds and decays around a spike', () => {
    const spike: TrafficSpec = { workload: 'w', noise: 0, profile: 'spike', base: 10, peak: 110, at: MIN, rise: MIN, hold: MIN, decay: MIN };
    expect([rpsAt(spike, 0), rpsAt(spike, 1.5 * MIN), rpsAt(spike, 2.5 * MIN), rpsAt(spike, 3.5 * MIN), rpsAt(spike, 5 * MIN)]).toEqual([10, 60, 110, 60, 10]);
  });
});

describe('the capacity emulator', () => {
  it('serves everything under capacity with latency rising as pods fill', () => {
    const light = serve(100, 10, 100, 40, 10_000);
    const busy = serve(900, 10, 100, 40, 10_000);
    expect(light.servedRps).toBe(100);
    expect(busy.latencyMs).toBeGreaterThan(light.latencyMs);
  });

  it('fails the load beyond what the ready pods can serve', () => {
    expect(serve(1_500, 10, 100, 40, 10_000)).toEqual({ servedRps: 1_000, latencyMs: 10_000 });
  });
});
