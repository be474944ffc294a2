import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { armLatencies, cdf } from '../../../reports/model/latency.js';
import { log } from '../../support/event-log.js';

const created = (t: number, pod: string, extra: { priority?: number; initial?: boolean } = {}): RunEvent => ({
  t,
  autoscaler: 'a',
  type: 'pod.created',
  pod,
  workload: 'w',
  cpuMilli: 100,
  memoryMiB: 128,
  gpu: 0,
  priority: extra.priority ?? 0,
  ...(extra.initial ? { initial: true } : {}),
});
const ready = (t: number, pod: string): RunEvent => ({ t, autoscaler: 'a', type: 'pod.ready', pod });

describe('armLatencies', () => {
  it('measures pod-to-ready from creation to the first Ready, in seconds', () => {
    expect(armLatencies([created(1_000, 'p'), ready(4_500, 'p'), ready(9_000, 'p')]).podToReady).toEqual([3.5]);
  });

  it('leaves out pods from before the scenario and negative-priority placeholders, as results.json does', () => {
    const events = [created(0, 'old', { initial: true }), created(0, 'pause', { priority: -10 }), created(0, 'web'), ready(2_000, 'old'), ready(60_000, 'pause'), ready(3_000, 'web')];
    expect(armLatencies(events).podToReady).toEqual([3]);
  });

  it('counts a node never Ready with its wait until it was terminated or the log ended, as results.json does', () => {
    const events = log('a')
      .node('up', 10, { readyAt: 50 })
      .node('gone', 20, { readyAt: null })
      .node('booting', 30, { readyAt: null })
      .terminated('gone', 620)
      .end(1_000);
    expect(armLatencies(events).nodeLaunch).toEqual([40, 600, 970]);
  });
});

describe('cdf', () => {
  it('ends on the slowest sample however many samples it thins out', () => {
    const samples = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000 / 100);
    samples[31_337] = 4_321;
    const c = cdf(samples, 300);
    expect(c.x.length).toBeLessThanOrEqual(300);
    expect(c.x.at(-1)).toBe(4_321);
    expect(c.y.at(-1)).toBe(1);
  });
});
