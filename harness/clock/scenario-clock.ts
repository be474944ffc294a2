import type { Clock, Timer } from '../../provisioner/runtime/clock.js';

/**
 * Scenario time on a live target, compressed by `speed`: one wall second is `speed` scenario seconds, so `now()`
 * reads scenario ms since t = 0 and a timer of N scenario ms fires after N / speed wall ms.
 *
 * A live arm warms up before t = 0 (the cluster reaches the scenario's starting state), with its controllers
 * already running on this clock. Until `begin()`, t = 0 is provisionally `warmUpMs` of wall time away, so the
 * clock reads negative and rising; `begin()` moves t = 0 to the present. Time only ever jumps forward, so a
 * controller that keeps instants from the warm-up sees them as long past, never as in the future.
 */
export class ScenarioClock implements Clock {
  private epoch: number;
  private begun = false;
  private readonly beginListeners: Array<(epochMs: number) => void> = [];

  constructor(
    readonly speed: number,
    warmUpMs: number,
  ) {
    if (!(speed >= 1) || !Number.isFinite(speed)) throw new RangeError(`speed must be a finite number >= 1, got ${speed}`);
    this.epoch = Date.now() + warmUpMs;
  }

  /** The wall instant (ms since 1970) of scenario t = 0: API timestamps convert with it and `speed`. */
  get epochMs(): number {
    return this.epoch;
  }

  /** True from t = 0 on. */
  get started(): boolean {
    return this.begun;
  }

  now(): number {
    return (Date.now() - this.epoch) * this.speed;
  }

  /**
   * Starts the scenario now (if the warm-up ran over its budget, at the provisional t = 0 already past), or at
   * `epochMs`: a controller in another process follows its parent's clock by beginning at the parent's epoch.
   */
  begin(epochMs?: number): void {
    if (this.begun) return;
    this.begun = true;
    this.epoch = epochMs ?? Math.min(this.epoch, Date.now());
    for (const fn of this.beginListeners.splice(0)) fn(this.epoch);
  }

  /** Calls `fn` with the epoch once t = 0 is set (at once if it is): how another process learns where t = 0 is. */
  onBegin(fn: (epochMs: number) => void): void {
    if (this.begun) fn(this.epoch);
    else this.beginListeners.push(fn);
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const handle = setTimeout(fn, Math.max(0, delayMs / this.speed));
    return { cancel: () => clearTimeout(handle) };
  }
}
