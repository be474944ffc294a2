import type { Clock } from '../runtime/clock.js';
import type { Recorder } from '../runtime/recorder.js';
import type { CloudProvider } from './cloud-provider.js';

/** The first retry of a failed termination; each next one waits twice as long, up to the cap. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

export interface TerminateDeps {
  clock: Clock;
  recorder: Recorder;
  cloud: CloudProvider;
}

/**
 * Asks the cloud to terminate an instance and does not give up: a rejected delete is logged (cloud.error, with the
 * wait before the next try) and made again after 5 s, 10 s, 20 s... up to 5 minutes apart, until the cloud accepts
 * it. Safe because CloudProvider.delete is idempotent; necessary because a refused termination leaves the instance
 * running and billed. The caller does not wait: the node is already drained and leaves the cluster state when the
 * cloud takes the instance away, whenever that is.
 */
export function terminate(deps: TerminateDeps, name: string, reason: string, retryMs = FIRST_RETRY_MS): void {
  deps.cloud.delete(name, reason).catch((err: unknown) => {
    deps.recorder.emit({ type: 'cloud.error', operation: 'delete', node: name, error: err instanceof Error ? err.message : String(err), retryInMs: retryMs });
    deps.clock.setTimer(retryMs, () => terminate(deps, name, reason, Math.min(retryMs * 2, MAX_RETRY_MS)));
  });
}
