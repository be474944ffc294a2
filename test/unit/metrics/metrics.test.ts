import { describe, expect, it } from 'vitest';
import { LowerBound, type PricedShape } from '../../../harness/metrics/lower-bound.js';
import { podToReady } from '../../../harness/metrics/pod-latency.js';
import { quantilesOfMs } from '../../../harness/metrics/quantiles.js';
import { minutesInViolation, requestTotals } from '../../../harness/metrics/requests.js';
import type { RunEvent, TrafficSample } from '../../../provisioner/runtime/events.js';

const A = 'arm';
const ev = (e: Record<string, unknown>): RunEvent => ({ autoscaler: A, ...e }) as unknown as RunEvent;

describe('quantiles', () => {
  it('uses nearest rank and reports seconds', () => {
    const q = quantilesOfMs(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    expect(q).toMatchObject({ count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
  });
});

describe('pod-to-ready', () => {
  it('splits a pod that waited for a node into waiting, scheduling and start-up', () => {
    const events = [
      ev({ t: 0, type: 'pod.created', pod: 'p', workload: 'w', cpuMilli: 100, memoryMiB: 100, gpu: 0, priority: 0 }),
      ev({ t: 0, type: 'pod.unschedulable', pod: 'p', reason: 'Insufficient cpu' }),
      ev({ t: 2_000, type: 'node.launched', node: 'n', instanceType: 'm5.large', zone: 'z', capacityType: 'spot', pricePerHour: 0.05, cpuMilli: 2000, memoryMiB: 8192, owner: 'default', initial: false }),
      ev({ t: 50_000, type: 'node.ready', node: 'n' }),
      ev({ t: 51_000, type: 'pod.scheduled', pod: 'p', node: 'n' }),
      ev({ t: 60_000, type: 'pod.ready', pod: 'p' }),
    ];
    const r = podToReady(events, A);
    expect(r.p50).toBe(60);
    expect(r.split.waitingForNode.p50).toBe(50);
    expect(r.split.scheduling.p50).toBe(1);
    expect(r.split.startup.p50).toBe(9);
  });

  it('counts a pod still waiting when the log ends with its wait so far, so a stuck arm cannot look fast', () => {
    const events = [
      ev({ t: 0, type: 'pod.created', pod: 'stuck', workload: 'w', cpuMilli: 100, memoryMiB: 100, gpu: 0, priority: 0 }),
      ev({ t: 0, type: 'pod.unschedulable', pod: 'stuck', reason: 'Insufficient cpu' }),
      ev({ t: 600_000, type: 'run.finished' }),
    ];
    const r = podToReady(events, A);
    expect(r.p99).toBe(600);
    expect(r.split.waitingForNode.p99).toBe(600);
  });

  it('counts a pod deleted before it was Ready with its wait until the deletion', () => {
    const events = [
      ev({ t: 0, type: 'pod.created', pod: 'gone', workload: 'w', cpuMilli: 100, memoryMiB: 100, gpu: 0, priority: 0 }),
      ev({ t: 0, type: 'pod.unschedulable', pod: 'gone', reason: 'Insufficient cpu' }),
      ev({ t: 1_100_000, type: 'pod.deleted', pod: 'gone', reason: 'scale-down' }),
      ev({ t: 1_800_000, type: 'run.finished' }),
    ];
    const r = podToReady(events, A);
    expect(r.count).toBe(1);
    expect(r.p99).toBe(1_100);
    expect(r.split.waitingForNode.p99).toBe(1_100);
  });

  it('counts no node wait for a pod that was never unschedulable', () => {
    const events = [
      ev({ t: 0, type: 'pod.created', pod: 'p', workload: 'w', cpuMilli: 100, memoryMiB: 100, gpu: 0, priority: 0 }),
      ev({ t: 100, type: 'pod.scheduled', pod: 'p', node: 'n' }),
      ev({ t: 5_100, type: 'pod.ready', pod: 'p' }),
    ];
    expect(podToReady(events, A).split.waitingForNode.max).toBe(0);
  });
});

describe('requests', () => {
  const sample = (t: number, rps: number, servedRps: number, latencyMs: number): TrafficSample =>
    ({ t, autoscaler: A, type: 'traffic.sample', workload: 'w', rps, servedRps, latencyMs, windowMs: 60_000 }) as TrafficSample;

  it('totals requests and failures over sample windows', () => {
    const r = requestTotals([sample(0, 100, 100, 50), sample(60_000, 100, 90, 400)]);
    expect(r).toMatchObject({ total: 12_000, failed: 600, successRate: 0.95 });
  });

  it('counts the minutes whose windows broke the success-rate SLO', () => {
    expect(minutesInViolation([sample(0, 100, 100, 50), sample(60_000, 100, 90, 50)], { minSuccessRate: 0.99 })).toBe(1);
  });
});

describe('the cost lower bound', () => {
  const type = (_name: string, cpu: number, memory: number, price: number): PricedShape => ({ cpuMilli: cpu, memoryMiB: memory, pricePerHour: price });

  it('prices a demand matching one type at that type, pro rata', () => {
    const lb = new LowerBound([type('a', 2000, 8192, 0.1)]);
    expect(lb.costPerHour(1000, 4096)).toBeCloseTo(0.05, 6);
  });

  it('mixes a CPU-heavy and a memory-heavy type when that is cheaper than either alone', () => {
    const lb = new LowerBound([type('c', 4000, 4096, 0.1), type('r', 1000, 16384, 0.1)]);
    const mixed = lb.costPerHour(5000, 20480);
    expect(mixed).toBeCloseTo(0.2, 6);
    expect(mixed).toBeLessThan(Math.min((20480 / 4096) * 0.1, (5000 / 1000) * 0.1));
  });

  it('is 0 when a free offering could cover any demand, never a price the arm did not pay', () => {
    const lb = new LowerBound([type('a', 2000, 8192, 0.1), type('kwok', 4000, 16384, 0)]);
    expect(lb.costPerHour(1000, 4096)).toBe(0);
  });
});
