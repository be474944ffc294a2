import { describe, expect, it } from 'vitest';
import { ExtremaSampler, gridFor, gridX } from '../../../reports/model/downsample.js';
import { buildTimelines, DEFAULT_BUCKETS, eventsByArm } from '../../../reports/model/timeline.js';
import { armLatencies, cdf, histogram } from '../../../reports/model/latency.js';
import { makeReportFixture } from '../../support/report-fixture.js';

describe('ExtremaSampler', () => {
  it('keeps a one-instant spike among a hundred thousand quiet states', () => {
    const grid = gridFor(100_000, 100);
    const sampler = new ExtremaSampler(grid, 1);
    for (let t = 0; t < 100_000; t++) sampler.observe(t, [t === 54_321 ? 999 : 1]);
    const [values] = sampler.finish();
    expect(values).toHaveLength(200);
    expect(Math.max(...values!)).toBe(999);
    expect(values!.filter((v) => v === 999)).toHaveLength(1);
  });

  it('keeps the lowest and highest state of a bucket in the order they happened', () => {
    const sampler = new ExtremaSampler({ startS: 0, endS: 10, buckets: 1 }, 1);
    sampler.observe(1, [5]);
    sampler.observe(2, [9]);
    sampler.observe(3, [0]);
    sampler.observe(4, [5]);
    expect(sampler.finish()[0]).toEqual([9, 0]);
  });

  it('carries the last state through buckets with no events', () => {
    const sampler = new ExtremaSampler({ startS: 0, endS: 4, buckets: 4 }, 1);
    sampler.observe(0.5, [3]);
    expect(sampler.finish()[0]).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
  });

  it('keeps stacked layers from the same instant, so the total peak survives', () => {
    const sampler = new ExtremaSampler({ startS: 0, endS: 10, buckets: 1 }, 2);
    sampler.observe(1, [8, 0]);
    sampler.observe(2, [5, 5]);
    sampler.observe(3, [0, 7]);
    const [a, b] = sampler.finish();
    const totals = a!.map((v, i) => v + b![i]!);
    expect(Math.max(...totals)).toBe(10);
    expect(totals).toContain(7);
  });

  it('ends the x axis on the last instant of the run', () => {
    expect(gridX({ startS: 0, endS: 100, buckets: 4 }).at(-1)).toBe(100);
  });
});

describe('a downsampled 24-hour run with more than 5,000 pods at peak', () => {
  const run = makeReportFixture({ durationS: 86_400, peakPods: 5_200 });
  const names = run.results.autoscalers.map((a) => a.name);
  const byArm = eventsByArm(run.events, names);
  const timelines = buildTimelines(byArm, 86_400);

  it('charts far fewer points than the log has events', () => {
    expect(run.events.length).toBeGreaterThan(100_000);
    expect(timelines.x.length).toBe(2 * DEFAULT_BUCKETS);
  });

  it('still shows the exact peak of pending pods for every autoscaler', () => {
    for (const arm of timelines.arms) {
      expect(arm.peaks.pendingPods.value).toBeGreaterThan(100);
      expect(Math.max(...arm.pendingPods)).toBe(arm.peaks.pendingPods.value);
    }
  });

  it('still shows the peak node count in the stacked capacity-type chart', () => {
    for (const arm of timelines.arms) {
      const totals = timelines.x.map((_, i) => arm.nodesByCapacityType.reduce((s, col) => s + col[i]!, 0));
      expect(Math.max(...totals)).toBe(arm.peaks.nodes.value);
    }
  });

  it('ends the latency CDF on the slowest pod, as results.json reports it', () => {
    for (const a of run.results.autoscalers) {
      const samples = armLatencies(byArm.get(a.name)!).podToReady;
      const curve = cdf(samples);
      expect(curve.x.length).toBeLessThanOrEqual(300);
      expect(curve.x.at(-1)).toBeCloseTo(a.slowestPods[0]!.podToReadyS, 2);
      expect(curve.y.at(-1)).toBe(1);
    }
  });

  it('counts every pod in the histogram', () => {
    const samples = Object.fromEntries(names.map((n) => [n, armLatencies(byArm.get(n)!).podToReady]));
    const h = histogram(samples);
    for (const n of names) expect(h.counts[n]!.reduce((s, c) => s + c, 0)).toBe(samples[n]!.length);
  });
});
