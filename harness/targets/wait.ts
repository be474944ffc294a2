import { sleep, stopwatch } from '../clock/wall-clock.js';
import { RunError } from '../runner/errors.js';

/** Polls `done` every `everyMs` until it holds; a RunError naming `what` and `progress()` after `timeoutMs`. */
export async function waitUntil(what: string, done: () => boolean, timeoutMs: number, progress: () => string = () => '', everyMs = 50): Promise<number> {
  const elapsed = stopwatch();
  while (!done()) {
    if (elapsed() > timeoutMs) {
      const detail = progress();
      throw new RunError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${detail ? ` (${detail})` : ''}`, 'see the component logs in the cluster folder');
    }
    await sleep(everyMs);
  }
  return elapsed();
}
