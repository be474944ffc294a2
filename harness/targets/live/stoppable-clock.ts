import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';

/**
 * The run's clock as one controller sees it: `stop()` cancels every timer the controller still has set and makes
 * later ones no-ops, so its control loops (batching, disruption rounds, scans) end with it, whatever they were doing.
 */
export class StoppableClock implements Clock {
  private readonly timers = new Set<Timer>();
  private stopped = false;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    if (this.stopped) return { cancel: () => undefined };
    const timer: Timer = this.inner.setTimer(delayMs, () => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    });
    this.timers.add(timer);
    return { cancel: () => (timer.cancel(), this.timers.delete(timer)) };
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
