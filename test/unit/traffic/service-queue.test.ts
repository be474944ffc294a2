import { describe, expect, it } from 'vitest';
import { serve } from '../../../harness/traffic/capacity.js';
import { ServiceQueue, type Admission } from '../../../harness/traffic/service-queue.js';

const BASE = 40;
const TIMEOUT = 1_000;

function queue(readyPods: number, capacityRpsPerPod = 50, maxHeld = 100_000): ServiceQueue {
  const q = new ServiceQueue({ capacityRpsPerPod, baseLatencyMs: BASE, timeoutMs: TIMEOUT, maxHeld });
  q.setReadyPods(readyPods);
  return q;
}

/** Offers `rps` for `seconds`, evenly spaced, releasing each request when it is answered; returns every admission. */
function offer(q: ServiceQueue, rps: number, seconds: number, fromMs = 0): Admission[] {
  const out: Admission[] = [];
  const answers: number[] = [];
  for (let i = 0; i < rps * seconds; i++) {
    const now = fromMs + (i * 1000) / rps;
    while (answers.length > 0 && answers[0]! <= now) {
      answers.shift();
      q.release();
    }
    const a = q.admit(now);
    out.push(a);
    if (a.reason !== 'queue-full') {
      answers.push(now + a.latencyMs);
      answers.sort((x, y) => x - y);
    }
  }
  return out;
}

describe('the Service stand-in queue', () => {
  it('serves load within capacity at the sim model latency for its utilisation', () => {
    const last = offer(queue(2), 50, 5).slice(-50);
    expect(last.every((a) => a.served)).toBe(true);
    const expected = serve(50, 2, 50, BASE, TIMEOUT).latencyMs;
    for (const a of last) expect(a.latencyMs).toBeCloseTo(expected, 0);
  });

  it('serves the capacity and fails the rest once overloaded, as the sim does', () => {
    const steady = offer(queue(2), 200, 10).slice(-200 * 5);
    const served = steady.filter((a) => a.served).length / 5;
    expect(served).toBeGreaterThan(95);
    expect(served).toBeLessThanOrEqual(101);
    expect(steady.filter((a) => !a.served).every((a) => a.reason === 'timeout' && a.latencyMs === TIMEOUT)).toBe(true);
  });

  it('queues a burst beyond capacity rather than failing it at once', () => {
    const burst = offer(queue(2), 200, 0.25);
    expect(burst.every((a) => a.served)).toBe(true);
  });

  it('fails every request at the timeout while no endpoint is ready', () => {
    const all = offer(queue(0), 20, 1);
    expect(all.every((a) => !a.served && a.reason === 'no-endpoints' && a.latencyMs === TIMEOUT)).toBe(true);
  });

  it('follows the ready endpoints: more pods serve what fewer could not', () => {
    const q = queue(1);
    const before = offer(q, 100, 5).slice(-100);
    q.setReadyPods(4);
    const after = offer(q, 100, 5, 10_000).slice(-100);
    expect(before.some((a) => !a.served)).toBe(true);
    expect(after.every((a) => a.served)).toBe(true);
  });

  it('refuses at once beyond the requests it may hold, and holds no place for them', () => {
    const q = queue(0, 50, 3);
    const a = [q.admit(0), q.admit(1), q.admit(2), q.admit(3)];
    expect(a.map((x) => x.reason)).toEqual(['no-endpoints', 'no-endpoints', 'no-endpoints', 'queue-full']);
    expect(a[3]!.latencyMs).toBe(0);
    expect(q.holding).toBe(3);
    q.release();
    expect(q.admit(4).reason).toBe('no-endpoints');
  });

  it('serves at the base latency when the workload has no capacity limit', () => {
    const a = offer(queue(1, Infinity), 500, 1);
    expect(a.every((x) => x.served && x.latencyMs === BASE)).toBe(true);
  });
});
