import type { Clock, Timer } from '../../provisioner/runtime/clock.js';
import { EventQueue } from './event-queue.js';

/**
 * Simulated time: nothing happens until the owner steps the clock, which then jumps straight to the next due timer.
 * A 24-hour day costs only as much as the events in it.
 *
 * Asynchronous work (a timer callback that returns a promise, a CloudProvider call the sim's cloud hands to
 * `track`) is settled between timers: while any is outstanding, `runUntil` stops after the timer that fired and the
 * owner awaits `settle()`, which lets the whole microtask queue run before the next timer fires. Continuations
 * therefore run at the virtual instant of the timer that started them and before any other timer due then, in the
 * order the microtask queue gives them — which depends only on the order of the calls, never on the wall clock — so
 * a run replays byte for byte. While nothing is outstanding (most timers), runUntil never stops and costs nothing
 * extra.
 */
export class VirtualClock implements Clock {
  private readonly queue = new EventQueue();
  private current: number;
  private fired = 0;
  /** Promises not yet settled: callbacks' results and tracked CloudProvider calls. */
  private outstanding = 0;
  /** Work was tracked since the last settle(): its continuations may not have run yet. */
  private fresh = false;
  /** The first rejection of a callback's promise: the run's failure, thrown by settle(). */
  private failure: { error: unknown } | null = null;

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

  /** Asynchronous work has not settled yet: `settle()` before firing more timers. */
  get unsettled(): boolean {
    return this.outstanding > 0 || this.fresh || this.failure !== null;
  }

  setTimer(delayMs: number, fn: () => unknown): Timer {
    if (!Number.isFinite(delayMs)) throw new RangeError(`timer delay must be finite, got ${delayMs}`);
    const entry = this.queue.push(this.current + Math.max(0, delayMs), fn);
    const use = entry.reuses;
    return {
      cancel: () => {
        if (entry.reuses === use) entry.cancelled = true;
      },
    };
  }

  /**
   * Counts `promise` as outstanding work until it settles, so no timer fires before its continuations have run. Its
   * rejection stays the business of whoever awaits it (the sim's cloud tracks the promises it hands out).
   */
  track(promise: Promise<unknown>): void {
    this.outstanding++;
    this.fresh = true;
    const done = (): void => void this.outstanding--;
    promise.then(done, done);
  }

  /**
   * Fires every timer due at or before `untilMs`, in time order, then leaves the clock at `untilMs`. Returns false
   * when it stopped early — after `maxTimers` timers, or after a timer that left asynchronous work unsettled (then
   * `settle()` first) — and calling again carries on where it stopped, so a run sliced this way fires exactly the
   * same timers in the same order.
   */
  runUntil(untilMs: number, maxTimers = Infinity): boolean {
    if (this.fresh || this.failure) return false;
    for (let fired = 0; ; ) {
      const next = this.queue.peek();
      if (next === undefined || next.at > untilMs) break;
      if (fired >= maxTimers) return false;
      this.queue.pop();
      if (next.cancelled) continue;
      this.current = next.at;
      this.fired++;
      fired++;
      const result = next.fn();
      if (result instanceof Promise) this.own(result);
      if (this.unsettled) return false;
    }
    this.current = Math.max(this.current, untilMs);
    return true;
  }

  /**
   * Lets every continuation that is ready run: one macrotask turn drains the microtask queue completely, including
   * microtasks queued by microtasks. Rethrows a callback's rejection.
   */
  async settle(): Promise<void> {
    this.fresh = false;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      throw error;
    }
  }

  /** Like runUntil to the end, settling asynchronous work between timers. */
  async runUntilSettled(untilMs: number): Promise<void> {
    while (!this.runUntil(untilMs)) await this.settle();
  }

  /** Advances by `ms`, firing what falls due: the way tests step time instead of sleeping. Synchronous callbacks only. */
  advance(ms: number): void {
    if (!this.runUntil(this.current + ms)) {
      throw new Error('VirtualClock.advance: a timer started asynchronous work; use `await clock.advanceSettled(ms)`');
    }
  }

  /** Advances by `ms` like `advance`, settling asynchronous work between timers (and once more at the end). */
  async advanceSettled(ms: number): Promise<void> {
    await this.runUntilSettled(this.current + ms);
    await this.settle();
  }

  private own(promise: Promise<void>): void {
    this.outstanding++;
    this.fresh = true;
    promise.then(
      () => void this.outstanding--,
      (error: unknown) => {
        this.outstanding--;
        this.failure ??= { error };
      },
    );
  }
}
