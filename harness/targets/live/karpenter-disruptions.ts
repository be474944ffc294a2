import { CoreV1Api, CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesListObject, type V1Node } from '@kubernetes/client-node';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { DisruptionMethod, DisruptionReason, EventBody } from '../../../provisioner/runtime/events.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import { NODE_VIEWER_PRICE_LABEL, PRICE_ANNOTATION } from '../../recorder/live-nodes.js';
import { KARPENTER_API } from './karpenter-crds.js';
import type { WatchedNodeClaim } from './nodeclaim-events.js';

/** What this watcher reads of a NodeClaim's status. */
interface DisruptedNodeClaim extends WatchedNodeClaim {
  status?: { nodeName?: string; conditions?: Array<{ type: string; status: string; reason?: string; lastTransitionTime?: string }> };
}

/** The condition Karpenter's disruption queue sets on every candidate of a command it starts (v1 API). */
export const DISRUPTION_REASON_CONDITION = 'DisruptionReason';

/**
 * How long after one candidate is marked others count as the same command: upstream marks a command's candidates
 * in parallel, within milliseconds, and starts one command at a time. Scenario ms.
 */
const GROUP_MS = 500;
const RESTART_MS = 500;

/** The reason Karpenter marked a NodeClaim for disruption with, once it has (undefined before). */
export function disruptionReasonOf(claim: DisruptedNodeClaim): DisruptionReason | undefined {
  const c = claim.status?.conditions?.find((x) => x.type === DISRUPTION_REASON_CONDITION && x.status === 'True');
  const reason = c?.reason;
  return reason === 'Empty' || reason === 'Underutilized' || reason === 'Drifted' ? reason : undefined;
}

/** Upstream's reason as the bundled arm's method: several candidates marked together are a multi-node command. */
export function methodOf(reason: DisruptionReason, candidates: number): DisruptionMethod {
  if (reason === 'Empty') return 'emptiness';
  if (reason === 'Drifted') return 'drift';
  return candidates > 1 ? 'multi-node-consolidation' : 'single-node-consolidation';
}

export interface DisruptionWatch {
  errors: string[];
  stop(): Promise<void>;
}

/**
 * Watches a real Karpenter's NodeClaims for its disruption decisions and emits each as disruption.decided, in the
 * bundled arm's vocabulary: the NodeClaims it marks with the DisruptionReason condition (Empty, Underutilized,
 * Drifted) within GROUP_MS of each other are one command. The API shows the candidates, not the replacements upstream
 * launches for them, so `replacements` is empty and `savingsPerHour` is the removed nodes' price for an Empty
 * command only (0 otherwise: a warning of the arm says so); `pods` counts the non-DaemonSet pods on the nodes then.
 */
export const DISRUPTION_WATCH_WARNING =
  "upstream Karpenter's disruption decisions are read from its NodeClaims' DisruptionReason condition, which names the candidates only: their replacements are not listed, and savings are counted for Empty decisions alone";

export async function watchKarpenterDisruptions(kc: KubeConfig, clock: Clock, recorder: Recorder): Promise<DisruptionWatch> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const { group, version } = KARPENTER_API;
  const informer = makeInformer<DisruptedNodeClaim>(
    kc,
    `/apis/${group}/${version}/nodeclaims`,
    () => custom.listClusterCustomObject({ group, version, plural: 'nodeclaims' }) as Promise<KubernetesListObject<DisruptedNodeClaim>>,
  );
  const marked = new Set<string>();
  const errors: string[] = [];
  let pending: { reason: DisruptionReason; t: number; nodes: string[] } | undefined;
  let stopped = false;
  let listed = false;

  const flush = async (): Promise<void> => {
    const group = pending;
    pending = undefined;
    if (!group || stopped) return;
    let pods = 0;
    let price = 0;
    for (const node of group.nodes) {
      try {
        const list = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
        pods += list.items.filter((p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet') && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
        price += priceOf(await core.readNode({ name: node }));
      } catch (err) {
        errors.push(`reading node ${node} of a disruption: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (stopped) return;
    const body: EventBody = {
      type: 'disruption.decided',
      method: methodOf(group.reason, group.nodes.length),
      reason: group.reason,
      nodes: group.nodes,
      replacements: [],
      replacementTypes: [],
      savingsPerHour: group.reason === 'Empty' ? price : 0,
      pods,
    };
    recorder.emit(body, group.t);
  };

  const observe = (claim: DisruptedNodeClaim): void => {
    const uid = claim.metadata?.uid ?? claim.metadata?.name ?? '';
    const reason = disruptionReasonOf(claim);
    if (!reason || marked.has(uid) || stopped) return;
    marked.add(uid);
    // Marked before the watch began: not this run's decision.
    if (!listed) return;
    const node = claim.status?.nodeName ?? claim.metadata?.name ?? '';
    if (pending && pending.reason === reason) {
      pending.nodes.push(node);
      return;
    }
    if (pending) void flush();
    pending = { reason, t: clock.now(), nodes: [node] };
    clock.setTimer(GROUP_MS, () => void flush());
  };
  informer.on('add', observe);
  informer.on('update', observe);
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    errors.push(`nodeclaim disruption watch: ${err instanceof Error ? err.message : String(err)}`);
    clock.setTimer(RESTART_MS, () => void (stopped ? undefined : informer.start().catch(() => undefined)));
  });
  await informer.start();
  for (const claim of informer.list()) if (disruptionReasonOf(claim)) marked.add(claim.metadata?.uid ?? claim.metadata?.name ?? '');
  listed = true;
  return {
    errors,
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}

function priceOf(node: V1Node): number {
  return Number(node.metadata?.annotations?.[PRICE_ANNOTATION] ?? node.metadata?.labels?.[NODE_VIEWER_PRICE_LABEL] ?? 0) || 0;
}
