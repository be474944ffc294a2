/**
 * A worker thread's entry: runs one RunJob (workerData) and reports progress, the results or the failure to the
 * main thread, which stays free to see a signal at once and terminate this thread (see run-job.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BurstlabError, EXIT } from './errors.js';
import { produceRun, type RunJob } from './produce-run.js';
import type { WorkerMessage } from './run-job.js';

const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

try {
  const results = await produceRun(workerData as RunJob, {
    onProgress: (fraction, arm) => post({ type: 'progress', fraction, arm }),
    onSimulated: () => post({ type: 'simulated' }),
    onStep: (text) => post({ type: 'step', text }),
  });
  post({ type: 'done', results });
} catch (err) {
  const cause = err instanceof Error ? err.cause : undefined;
  post({
    type: 'failed',
    exitCode: err instanceof BurstlabError ? err.exitCode : EXIT.runError,
    message: err instanceof Error ? err.message : String(err),
    ...(err instanceof BurstlabError && err.hint ? { hint: err.hint } : {}),
    ...(cause instanceof Error ? { cause: cause.message } : err instanceof BurstlabError ? {} : { cause: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  });
}
