import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { EventBody } from '../../../provisioner/runtime/events.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import { parseQuantity } from '../../recorder/live-quantity.js';
import { KARPENTER_API } from './karpenter-crds.js';

/** What this watcher reads of a karpenter.sh/v1 NodeClaim. */
export interface WatchedNodeClaim extends KubernetesObject {
  spec?: {
    requirements?: Array<{ key: string; operator: string; values?: string[] }>;
    resources?: { requests?: Record<string, string> };
  };
}

/**
 * The claim.created a NodeClaim made by a controller burstlab does not drive (upstream Karpenter) stands for, in the
 * bundled arm's vocabulary: its NodePool, the instance types it may still launch as (its
 * node.kubernetes.io/instance-type requirement, cheapest first in the catalog's order, unknown names last) and its
 * pods (Karpenter requests `pods: <count>` for the pods it planned on the claim, daemonset pods included).
 */
export function claimCreatedOf(claim: WatchedNodeClaim, catalog: Catalog): EventBody {
  const order = new Map(catalog.names().map((n, i) => [n, i]));
  const types = claim.spec?.requirements?.find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')?.values ?? [];
  const rank = (t: string): number => order.get(t) ?? Infinity;
  return {
    type: 'claim.created',
    claim: claim.metadata?.name ?? '',
    nodepool: claim.metadata?.labels?.['karpenter.sh/nodepool'] ?? 'unknown',
    instanceTypes: [...types].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)),
    pods: Math.round(parseQuantity(claim.spec?.resources?.requests?.pods) ?? 0),
  };
}

export interface NodeClaimWatch {
  /** Errors the watch hit and recovered from. */
  errors: string[];
  stop(): Promise<void>;
}

/** After a watch error, how long (scenario time) before resuming. */
const RESTART_MS = 500;

/**
 * Watches NodeClaims and emits claim.created once for each new one, so that decision latency (pod unschedulable to
 * launch request) and node launch latency (launch request to Ready) are measured for upstream Karpenter as for the
 * bundled arm: the live recorder takes a node's launch request from its claim's claim.created. Claims that exist
 * when the watch starts are not new and are not emitted. Resolves once the watch has listed and is watching.
 */
export async function watchNodeClaims(kc: KubeConfig, clock: Clock, recorder: Recorder, catalog: Catalog): Promise<NodeClaimWatch> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const { group, version } = KARPENTER_API;
  const informer = makeInformer<WatchedNodeClaim>(
    kc,
    `/apis/${group}/${version}/nodeclaims`,
    () => custom.listClusterCustomObject({ group, version, plural: 'nodeclaims' }) as Promise<KubernetesListObject<WatchedNodeClaim>>,
  );
  const seen = new Set<string>();
  const errors: string[] = [];
  let listed = false;
  let stopped = false;
  const observe = (claim: WatchedNodeClaim): void => {
    const uid = claim.metadata?.uid ?? claim.metadata?.name ?? '';
    if (seen.has(uid)) return;
    seen.add(uid);
    if (listed && !stopped) recorder.emit(claimCreatedOf(claim, catalog));
  };
  informer.on('add', observe);
  informer.on('update', observe);
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    errors.push(`nodeclaim watch: ${err instanceof Error ? err.message : String(err)}`);
    clock.setTimer(RESTART_MS, () => void (stopped ? undefined : informer.start().catch(() => undefined)));
  });
  await informer.start();
  for (const claim of informer.list()) seen.add(claim.metadata?.uid ?? claim.metadata?.name ?? '');
  listed = true;
  return {
    errors,
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}
