import { CoreV1Api, SchedulingV1Api, type KubeConfig } from '@kubernetes/client-node';
import { sleep, stopwatch } from '../../clock/wall-clock.js';
import { RunError } from '../../runner/errors.js';
import { codeOf, describeApiError } from '../live/api-errors.js';
import { RUN_LABEL } from './run-label.js';

export interface CleanupResult {
  /** What was deleted, `Kind name`, in order. */
  deleted: string[];
}

/** How long a deleted namespace may take to go (its pods' grace periods, finalizers); wall ms. */
export const NAMESPACE_GONE_MS = 5 * 60_000;

/**
 * Deletes exactly what carries RUN_LABEL=<runId>: the run's namespaces (and with them everything in them) and its
 * cluster-scoped objects (PriorityClasses), nothing else, and waits until the namespaces are gone, so that a
 * second run can start at once. Idempotent: a run already cleaned up deletes nothing. Works from the labels alone,
 * so it cleans up after a run that was killed (SIGKILL) as after one that finished.
 */
export async function cleanupRun(kc: KubeConfig, runId: string, o: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<CleanupResult> {
  const core = kc.makeApiClient(CoreV1Api);
  const scheduling = kc.makeApiClient(SchedulingV1Api);
  const labelSelector = `${RUN_LABEL}=${runId}`;
  const deleted: string[] = [];
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (codeOf(err) === 404) return undefined;
      throw new RunError(`cleanup of run ${runId}: ${what} failed (${describeApiError(err)})`, 'check the kubeconfig and its permissions, then run the cleanup again', { cause: err });
    }
  };
  const namespaces = (await call('listing namespaces', () => core.listNamespace({ labelSelector })))?.items ?? [];
  for (const ns of namespaces) {
    const name = ns.metadata!.name!;
    if (ns.metadata?.deletionTimestamp === undefined) {
      await call(`deleting namespace ${name}`, () => core.deleteNamespace({ name }));
      deleted.push(`Namespace ${name}`);
      o.log?.(`deleted namespace ${name}`);
    }
  }
  const classes = (await call('listing priority classes', () => scheduling.listPriorityClass({ labelSelector })))?.items ?? [];
  for (const pc of classes) {
    const name = pc.metadata!.name!;
    await call(`deleting PriorityClass ${name}`, () => scheduling.deletePriorityClass({ name }));
    deleted.push(`PriorityClass ${name}`);
    o.log?.(`deleted PriorityClass ${name}`);
  }
  const timeout = o.timeoutMs ?? NAMESPACE_GONE_MS;
  const elapsed = stopwatch();
  for (;;) {
    const left = (await call('listing namespaces', () => core.listNamespace({ labelSelector })))?.items ?? [];
    if (left.length === 0) break;
    if (elapsed() > timeout) {
      throw new RunError(
        `cleanup of run ${runId}: namespace ${left.map((n) => n.metadata?.name).join(', ')} still terminating after ${Math.round(timeout / 1000)} s`,
        `a finalizer or a pod that will not stop holds it: see kubectl get all -n ${left[0]?.metadata?.name}, then run the cleanup again`,
      );
    }
    await sleep(500);
  }
  return { deleted };
}
