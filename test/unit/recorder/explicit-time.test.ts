import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { LiveRecorder } from '../../../harness/recorder/live-recorder.js';
import { MemoryRecorder, StreamRecorder } from '../../../harness/recorder/recorder.js';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import type { TrafficSampleBody } from '../../../harness/traffic/sample-windows.js';

const sample: TrafficSampleBody = { type: 'traffic.sample', workload: 'web', rps: 100, servedRps: 100, latencyMs: 40, windowMs: 15_000 };
const finished = { type: 'run.finished' } as const;

describe('recording an event at an explicit time', () => {
  it('keeps the memory log in time order, an earlier-stamped event after those at its time', () => {
    const clock = new VirtualClock();
    const rec = new MemoryRecorder(clock, 'ca');
    clock.advance(30_000);
    rec.emit(finished);
    rec.emit(sample, 15_000);
    rec.emit({ ...sample, workload: 'api' }, 30_000);
    expect(rec.events.map((e) => [e.t, e.type === 'traffic.sample' ? e.workload : e.type])).toEqual([[15_000, 'web'], [30_000, 'run.finished'], [30_000, 'api']]);
  });

  it('hands a streamed event on with its explicit time, and refuses one before an event already handed on', () => {
    const clock = new VirtualClock();
    const out: RunEvent[] = [];
    const rec = new StreamRecorder(clock, 'ca', (e) => out.push(e));
    clock.advance(30_000);
    rec.emit(sample, 15_000);
    rec.emit(finished);
    expect(out.map((e) => e.t)).toEqual([15_000, 30_000]);
    expect(() => rec.emit(sample, 29_999)).toThrow(/cannot go back/);
  });

  it('stamps a live event at its explicit time and sorts it among those recorded before it', () => {
    let now = 30_000;
    const rec = new LiveRecorder({ now: () => now, epochMs: 0 }, 'ca');
    rec.emit(finished);
    now = 70_000;
    rec.emit(sample, 15_000);
    expect(rec.events().map((e) => e.t)).toEqual([15_000, 30_000]);
  });
});
