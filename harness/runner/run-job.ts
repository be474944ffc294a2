import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Results } from '../metrics/results.js';
import { BurstlabError, RunError } from './errors.js';
import { checkpointFor, interruption } from './interrupt.js';
import { produceRun, type RunHooks, type RunJob } from './produce-run.js';

export type WorkerMessage =
  | { type: 'progress'; fraction: number; arm: string }
  | { type: 'simulated' }
  | { type: 'step'; text: string }
  | { type: 'done'; results: Results }
  | { type: 'failed'; exitCode: number; message: string; hint?: string; cause?: string };

/** A BurstlabError thrown in the worker, rebuilt on this side of the thread boundary with its exit code and hint. */
class WorkerError extends BurstlabError {
  constructor(
    readonly exitCode: number,
    message: string,
    hint?: string,
    cause?: string,
  ) {
    super(message, hint, cause === undefined ? undefined : { cause: new Error(cause) });
  }
}

/**
 * Runs a job on a worker thread and stops it within milliseconds when `signal` aborts.
 *
 * Signal handlers run on the main thread's event loop, and parts of a run are long synchronous stretches that no
 * checkpoint can split without reaching deep into the simulator, metrics and reports (one scheduling pass of a big
 * warm-up, computing results, building the report model). On a worker, none of that blocks the main thread:
 * `terminate()` stops the worker even mid-computation, and the caller then removes the partial folder.
 *
 * Running from the TypeScript sources (the tests), there is no compiled worker file: the job runs in this thread,
 * with checkpoints between slices of its work.
 */
export async function runJob(job: RunJob, signal: AbortSignal, hooks: Pick<RunHooks, 'onProgress' | 'onSimulated' | 'onStep'> = {}): Promise<Results> {
  const entry = new URL('./run-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(entry))) return produceRun(job, { ...hooks, checkpoint: checkpointFor(signal) });
  if (signal.aborted) throw interruption(signal);
  const worker = new Worker(entry, { workerData: job });
  let onAbort = (): void => {};
  try {
    return await new Promise<Results>((resolve, reject) => {
      onAbort = (): void => void worker.terminate().then(() => reject(interruption(signal)), () => reject(interruption(signal)));
      signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') hooks.onProgress?.(m.fraction, m.arm);
        else if (m.type === 'simulated') hooks.onSimulated?.();
        else if (m.type === 'step') hooks.onStep?.(m.text);
        else if (m.type === 'done') resolve(m.results);
        else reject(new WorkerError(m.exitCode, m.message, m.hint, m.cause));
      });
      worker.on('error', (err) => reject(new RunError('the run stopped unexpectedly', 'this is a bug in burstlab, or the machine ran out of memory', { cause: err })));
      worker.on('exit', (code) => {
        if (!signal.aborted) reject(new RunError(`the run stopped unexpectedly (worker exit ${code})`, 'this is a bug in burstlab: please report it with the scenario file'));
      });
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
