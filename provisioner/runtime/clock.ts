/**
 * Time as every component sees it. Components never read the wall clock or start timers on their own:
 * the simulator hands them a VirtualClock, live targets a WallClock, so the same provisioner code runs on both.
 */
export interface Clock {
  /** Milliseconds since the run's epoch. */
  now(): number;
  /**
   * Calls `fn` once, `delayMs` from now. Timers due at the same instant fire in the order they were set.
   *
   * `fn` may be asynchronous (a control loop that awaits the CloudProvider): the clock owns a promise it returns (any
   * other return value is ignored).
   * The virtual clock lets it settle before it fires the next timer, so the continuation runs at the instant the
   * timer fired, before anything else due then; a rejection fails the run. The wall clock hands a rejection to its
   * error handler. Either way a component never leaves a promise of its own unobserved.
   */
  setTimer(delayMs: number, fn: () => unknown): Timer;
}

export interface Timer {
  cancel(): void;
}
