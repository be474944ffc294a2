import { describe, expect, it } from 'vitest';
import { LiveRecorder } from '../../../harness/recorder/live-recorder.js';
import { SampleWindows, type RequestOutcome, type TrafficSampleBody } from '../../../harness/traffic/sample-windows.js';

function windows(o: { speed?: number; rateScale?: number; windows?: number; fromMs?: number; workloads?: string[] } = {}): { w: SampleWindows; out: TrafficSampleBody[] } {
  const out: TrafficSampleBody[] = [];
  const w = new SampleWindows({
    workloads: o.workloads ?? ['web'], startMs: 0, windowMs: 10_000, windows: o.windows ?? 3,
    speed: o.speed ?? 1, rateScale: o.rateScale ?? 1, emit: (s) => out.push(s),
    ...(o.fromMs === undefined ? {} : { fromMs: o.fromMs }),
  });
  return { w, out };
}

/** `n` requests of `web`, seq from `seq`, sent evenly over [fromMs, toMs). */
function requests(seq: number, n: number, fromMs: number, toMs: number, over: Partial<RequestOutcome> = {}): RequestOutcome[] {
  return Array.from({ length: n }, (_, i) => ({ workload: 'web', seq: seq + i, sentMs: fromMs + ((toMs - fromMs) * i) / n, latencyMs: 40, ok: true, ...over }));
}

describe('traffic samples from measured requests', () => {
  it('gives a window the rate sent in it, the rate that succeeded, and the 95th percentile latency of all', () => {
    const { w, out } = windows();
    const sent = [
      ...requests(0, 90, 0, 9_000, { latencyMs: 50 }),
      ...requests(90, 10, 9_000, 10_000, { latencyMs: 1_000, ok: false }),
    ];
    for (const r of sent) w.add(r);
    w.expire(10_000);
    expect(out).toEqual([{ type: 'traffic.sample', workload: 'web', rps: 10, servedRps: 9, latencyMs: 1_000, windowMs: 10_000 }]);
  });

  it('scales rates back up by rateScale and to scenario seconds by speed', () => {
    const { w, out } = windows({ speed: 10, rateScale: 0.5 });
    for (const r of requests(0, 50, 0, 10_000)) w.add(r);
    w.expire(10_000);
    // 50 requests in 1 wall second at half rate: 100 scenario rps.
    expect(out[0]!.rps).toBe(100);
  });

  it('emits a window as soon as every request sent in it has reported, and not before', () => {
    const { w, out } = windows();
    const [first, late, next] = [requests(0, 4, 0, 8_000), requests(4, 1, 9_000, 9_001)[0]!, requests(5, 1, 10_500, 10_501)[0]!];
    for (const r of first) w.add(r);
    w.add(next);
    expect(out).toHaveLength(0);
    w.add(late);
    expect(out).toHaveLength(1);
    expect(out[0]!.rps).toBe(0.5);
  });

  it('emits a window whose requests never all reported once expire says they cannot still be pending', () => {
    const { w, out } = windows();
    for (const r of requests(1, 3, 0, 5_000)) w.add(r);
    w.expire(9_999);
    expect(out).toHaveLength(0);
    w.expire(10_000);
    expect(out.map((s) => s.rps)).toEqual([0.3]);
  });

  it('emits windows with nothing sent as zero load, latency unmeasured', () => {
    const { w, out } = windows();
    w.expire(20_000);
    expect(out).toEqual([
      { type: 'traffic.sample', workload: 'web', rps: 0, servedRps: 0, latencyMs: 0, windowMs: 10_000 },
      { type: 'traffic.sample', workload: 'web', rps: 0, servedRps: 0, latencyMs: 0, windowMs: 10_000 },
    ]);
  });

  it('cuts the first window where the load began and the last where it stopped, and drops windows never begun', () => {
    const { w, out } = windows({ fromMs: 5_000 });
    for (const r of requests(0, 10, 5_000, 10_000)) w.add(r);
    for (const r of requests(10, 4, 10_000, 12_000)) w.add(r);
    w.finish(12_000);
    expect(out.map((s) => [s.windowMs, s.rps])).toEqual([[5_000, 2], [2_000, 2]]);
  });

  it('keeps workloads apart and counts results for a window already emitted as outside', () => {
    const { w, out } = windows({ workloads: ['web', 'api'], windows: 2 });
    w.add({ workload: 'api', seq: 0, sentMs: 100, latencyMs: 10, ok: true });
    w.expire(10_000);
    w.add({ workload: 'web', seq: 0, sentMs: 9_000, latencyMs: 10, ok: true });
    w.finish(20_000);
    expect(out.map((s) => [s.workload, s.rps])).toEqual([['web', 0], ['api', 0.1], ['web', 0], ['api', 0]]);
    expect(w.outside).toBe(1);
  });

  it('counts a request sent just after the last window in it: it was due there and sent late', () => {
    const { w, out } = windows({ windows: 1 });
    w.add({ workload: 'web', seq: 0, sentMs: 10_003, latencyMs: 10, ok: true });
    w.finish(20_000);
    expect(out.map((s) => s.rps)).toEqual([0.1]);
    expect(w.outside).toBe(0);
  });

  it('logs every window of an overloaded run once, at its start, though its timed-out requests report out of order long after', () => {
    // A live arm's shape: 15 s windows over 90 s, requests time out after 40 s of scenario time from 45 s on, the
    // log taken once the load has stopped. Emitted when known, the late windows would sit past the end.
    let now = 0;
    const recorder = new LiveRecorder({ now: () => now, epochMs: 0 }, 'ca');
    const w = new SampleWindows({
      workloads: ['web'], startMs: 0, windowMs: 15_000, windows: 6, speed: 4, rateScale: 1,
      emit: (sample, atMs) => recorder.emit(sample, atMs),
    });
    const sent = Array.from({ length: 90 }, (_, seq) => {
      const sentMs = seq * 1_000;
      const timedOut = sentMs >= 45_000 && seq % 3 !== 0;
      return { workload: 'web', seq, sentMs, latencyMs: timedOut ? 10_000 : 50, ok: !timedOut };
    });
    const reportedAt = (r: RequestOutcome): number => r.sentMs + r.latencyMs * 4;
    for (const r of [...sent].sort((a, b) => reportedAt(a) - reportedAt(b))) {
      now = reportedAt(r);
      w.add(r);
    }
    now = 90_000 + 40_000;
    w.finish(now);
    const samples = recorder.events().filter((e) => e.t <= 90_000);
    expect(samples.map((e) => e.t)).toEqual([0, 15_000, 30_000, 45_000, 60_000, 75_000]);
    expect(samples.map((e) => (e.type === 'traffic.sample' ? [e.rps, e.servedRps] : []))).toEqual([
      [4, 4], [4, 4], [4, 4], [4, 1.3], [4, 1.3], [4, 1.3],
    ]);
    expect(w.unreported()).toBe(0);
  });

  it('counts requests that never reported though a later one of their workload did', () => {
    const { w } = windows();
    w.add(requests(0, 1, 0, 1)[0]!);
    w.add(requests(3, 1, 3_000, 3_001)[0]!);
    w.finish(5_000);
    expect(w.unreported()).toBe(2);
  });
});
