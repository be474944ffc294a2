import type { Clock } from '../../provisioner/runtime/clock.js';
import type { EventBody, RunEvent } from '../../provisioner/runtime/events.js';
import type { Recorder } from '../../provisioner/runtime/recorder.js';

/** Stamps each event with the clock's time (whole milliseconds) and the arm's name, and keeps them in order. */
export class MemoryRecorder implements Recorder {
  readonly events: RunEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly autoscaler: string,
  ) {}

  emit(body: EventBody): void {
    this.events.push({ t: Math.round(this.clock.now()), autoscaler: this.autoscaler, ...body } as RunEvent);
  }
}

/** Stamps each event like MemoryRecorder and hands it on at once, keeping nothing: for a log streamed to disk. */
export class StreamRecorder implements Recorder {
  constructor(
    private readonly clock: Clock,
    private readonly autoscaler: string,
    private readonly sink: (event: RunEvent) => void,
  ) {}

  emit(body: EventBody): void {
    this.sink({ t: Math.round(this.clock.now()), autoscaler: this.autoscaler, ...body } as RunEvent);
  }
}
