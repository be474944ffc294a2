import { KubeConfig } from '@kubernetes/client-node';
import { cleanupRun } from '../cluster/cleanup.js';
import type { RunMarker } from './run-markers.js';

/** What happened to a run's objects on the cluster at cleanup. */
export type NamespaceOutcome = 'deleted' | 'absent' | 'no-kubeconfig';

/**
 * Deletes the run's namespace and cluster-scoped objects, exactly those labelled with the run (the cluster target's
 * cleanup: burstlab.io/run=<id>); anything else on the cluster is left alone (DESIGN.md principle 8).
 */
export async function deleteRunNamespace(marker: Pick<RunMarker, 'runId' | 'kubeconfig' | 'context'>): Promise<NamespaceOutcome> {
  if (!marker.kubeconfig) return 'no-kubeconfig';
  const kc = new KubeConfig();
  kc.loadFromFile(marker.kubeconfig);
  if (marker.context) kc.setCurrentContext(marker.context);
  const result = await cleanupRun(kc, marker.runId);
  return result.deleted.length > 0 ? 'deleted' : 'absent';
}
