import type { Clock } from '../../provisioner/runtime/clock.js';
import type { EventBody, RunEvent } from '../../provisioner/runtime/events.js';
import type { Recorder } from '../../provisioner/runtime/recorder.js';

/**
 * Stamps each event with the clock's time (or the explicit one it is given; whole milliseconds) and the arm's name,
 * and keeps them in time order: an event stamped earlier than ones already kept goes after those at its time.
 */
export class MemoryRecorder implements Recorder {
  readonly events: RunEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly autoscaler: string,
  ) {}

  emit(body: EventBody, atMs?: number): void {
    const event = { t: Math.round(atMs ?? this.clock.now()), autoscaler: this.autoscaler, ...body } as RunEvent;
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.t > event.t) i--;
    this.events.splice(i, 0, event);
  }
}

/**
 * Stamps each event like MemoryRecorder and hands it on at once, keeping nothing: for a log streamed to disk. What
 * is handed on cannot be reordered, so it refuses an explicit time before one it has already handed on.
 */
export class StreamRecorder implements Recorder {
  private lastT = -Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly autoscaler: string,
    private readonly sink: (event: RunEvent) => void,
  ) {}

  emit(body: EventBody, atMs?: number): void {
    const t = Math.round(atMs ?? this.clock.now());
    if (t < this.lastT) throw new Error(`a streamed ${body.type} event at ${t} ms comes after one at ${this.lastT} ms: a stream cannot go back`);
    this.lastT = t;
    this.sink({ t, autoscaler: this.autoscaler, ...body } as RunEvent);
  }
}
