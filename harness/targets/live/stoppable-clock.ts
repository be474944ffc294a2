import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';

/**
 * The run's clock as one controller sees it: `stop()` cancels every timer the controller still has set and makes
 * later ones no-ops, so its control loops (batching, disruption rounds, scans) end with it, whatever they were doing.
 * Delays of any length work, however long the underlying clock's timers may be.
 */
/** The longest delay one timer of the underlying clock may be given (setTimeout's limit). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class StoppableClock implements Clock {
  private readonly timers = new Set<Timer>();
  private stopped = false;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimer(delayMs: number, fn: () => unknown): Timer {
    if (this.stopped) return { cancel: () => undefined };
    // Node's timers overflow past 2^31 - 1 ms (24.8 days) and fire at once; a NodePool's expireAfter is 720h by
    // default. A longer delay is waited in steps.
    const step = Math.min(delayMs, MAX_TIMER_MS);
    let current: Timer;
    const handle: Timer = { cancel: () => (current.cancel(), this.timers.delete(handle)) };
    current = this.inner.setTimer(step, () => {
      this.timers.delete(handle);
      if (this.stopped) return undefined;
      if (step < delayMs) {
        current = this.setTimer(delayMs - step, fn);
        return undefined;
      }
      // A promise it returns goes to the underlying clock, which owns it (provisioner/runtime/clock.ts).
      return fn();
    });
    this.timers.add(handle);
    return handle;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
