import type { Clock, Timer } from '../../provisioner/runtime/clock.js';
import { EventQueue } from './event-queue.js';

/**
 * Simulated time: nothing happens until the owner steps the clock, which then jumps straight to the next due timer.
 * A 24-hour day costs only as much as the events in it.
 */
export class VirtualClock implements Clock {
  private readonly queue = new EventQueue();
  private current: number;
  private fired = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Timers fired so far: the simulator's unit of work, reported by the benchmark. */
  get firedCount(): number {
    return this.fired;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    if (!Number.isFinite(delayMs)) throw new RangeError(`timer delay must be finite, got ${delayMs}`);
    const entry = this.queue.push(this.current + Math.max(0, delayMs), fn);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /**
   * Fires every timer due at or before `untilMs`, in time order, then leaves the clock at `untilMs`. With
   * `maxTimers`, stops early after firing that many and returns false; calling again carries on where it stopped,
   * so a run sliced this way fires exactly the same timers in the same order.
   */
  runUntil(untilMs: number, maxTimers = Infinity): boolean {
    for (let fired = 0; ; ) {
      const next = this.queue.peek();
      if (next === undefined || next.at > untilMs) break;
      if (fired >= maxTimers) return false;
      this.queue.pop();
      if (next.cancelled) continue;
      this.current = next.at;
      this.fired++;
      fired++;
      next.fn();
    }
    this.current = Math.max(this.current, untilMs);
    return true;
  }

  /** Advances by `ms`, firing what falls due: the way tests step time instead of sleeping. */
  advance(ms: number): void {
    this.runUntil(this.current + ms);
  }
}
