/**
 * Time as every component sees it. Components never read the wall clock or start timers on their own:
 * the simulator hands them a VirtualClock, live targets a WallClock, so the same provisioner code runs on both.
 */
export interface Clock {
  /** Milliseconds since the run's epoch. */
  now(): number;
  /** Calls `fn` once, `delayMs` from now. Timers due at the same instant fire in the order they were set. */
  setTimer(delayMs: number, fn: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}
