import type { Clock, Timer } from '../../provisioner/runtime/clock.js';

/**
 * Real time for live targets, measured from the moment the run starts. A timer callback's rejected promise goes to
 * `onError` (by default it is rethrown as an uncaught exception: a controller bug must not pass silently).
 */
export class WallClock implements Clock {
  readonly epochMs: number;

  constructor(
    epochMs: number = Date.now(),
    private readonly onError: (error: unknown) => void = (error) => queueMicrotask(() => {
      throw error;
    }),
  ) {
    this.epochMs = epochMs;
  }

  now(): number {
    return Date.now() - this.epochMs;
  }

  setTimer(delayMs: number, fn: () => unknown): Timer {
    const handle = setTimeout(() => {
      const result = fn();
      if (result instanceof Promise) result.catch(this.onError);
    }, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  }
}

/** The current wall time as an ISO string, for run metadata that must never reach deterministic outputs. */
export function wallTimeIso(): string {
  return new Date().toISOString();
}

/** Resolves after `ms` of real time; for live targets that poll an API. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A monotonic stopwatch in milliseconds, for benchmarks and progress output. */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => performance.now() - start;
}

/** Lets pending I/O and signal handlers run between slices of a long synchronous computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Calls `fn` every `ms` of real time until the returned function is called; never keeps the process alive by itself. */
export function repeatEvery(ms: number, fn: () => void): () => void {
  const handle = setInterval(fn, ms);
  handle.unref();
  return () => clearInterval(handle);
}
