import { stopwatch, yieldToEventLoop } from '../clock/wall-clock.js';
import { InterruptedError } from './errors.js';

/** The InterruptedError an aborted signal stands for; an abort without one (a plain `abort()`) counts as SIGINT. */
export function interruption(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT');
}

export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw interruption(signal);
}

/** Awaited between slices of long synchronous work; rejects with an InterruptedError once the run is stopped. */
export type Checkpoint = () => Promise<void>;

/**
 * Signal handlers only run when the event loop turns, so work that runs for seconds without awaiting anything
 * ignores Ctrl-C. A checkpoint is cheap to call often: it yields to the event loop only when `sliceMs` of real time
 * has passed since it last did, and throws as soon as the signal is aborted.
 */
export function checkpointFor(signal: AbortSignal, sliceMs = 50): Checkpoint {
  let sinceYield = stopwatch();
  return async () => {
    if (sinceYield() >= sliceMs) {
      await yieldToEventLoop();
      sinceYield = stopwatch();
    }
    throwIfInterrupted(signal);
  };
}

let uninterruptibleDepth = 0;
let deferredExit: number | undefined;
const exitHooks = new Set<() => void>();

/**
 * Runs `fn` so that a forced exit (a second Ctrl-C) waits until it is over: for the few renames that swap a run into
 * place, which must never stop half-way.
 */
export async function uninterruptible<T>(fn: () => Promise<T>): Promise<T> {
  uninterruptibleDepth++;
  try {
    return await fn();
  } finally {
    uninterruptibleDepth--;
    if (uninterruptibleDepth === 0 && deferredExit !== undefined) {
      const code = deferredExit;
      deferredExit = undefined;
      forceExit(code);
    }
  }
}

/** Synchronous cleanup that a forced exit still does (removing a partial folder); returns the way to unregister it. */
export function onForcedExit(hook: () => void): () => void {
  exitHooks.add(hook);
  return () => void exitHooks.delete(hook);
}

/** Exits with `code` now, after the registered cleanups, or as soon as the running uninterruptible section ends. */
export function forceExit(code: number): void {
  if (uninterruptibleDepth > 0) {
    deferredExit = code;
    return;
  }
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // Best effort: the process is going away, and a later run cleans what is left (a dead process's .partial).
    }
  }
  process.exit(code);
}
