import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { RunMarker } from './run-markers.js';
import { RUN_TAG } from './tags.js';

/** What happened to a run's namespace at cleanup. */
export type NamespaceOutcome = 'deleted' | 'absent' | 'not-the-runs' | 'no-kubeconfig';

/**
 * Deletes the run's namespace, and only if it carries the run's label (burstlab.dev/run): a namespace of the same
 * name that burstlab did not create is left alone (DESIGN.md principle 8). Its objects go with it.
 */
export async function deleteRunNamespace(marker: Pick<RunMarker, 'runId' | 'namespace' | 'kubeconfig' | 'context'>): Promise<NamespaceOutcome> {
  if (!marker.kubeconfig) return 'no-kubeconfig';
  const kc = new KubeConfig();
  kc.loadFromFile(marker.kubeconfig);
  if (marker.context) kc.setCurrentContext(marker.context);
  const core = kc.makeApiClient(CoreV1Api);
  try {
    const ns = await core.readNamespace({ name: marker.namespace });
    if (ns.metadata?.labels?.[RUN_TAG] !== marker.runId) return 'not-the-runs';
    await core.deleteNamespace({ name: marker.namespace });
    return 'deleted';
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return 'absent';
    throw err;
  }
}
