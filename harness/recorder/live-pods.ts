import type { V1Container, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { EventBody, PodDeleted } from '../../provisioner/runtime/events.js';
import { podConstraints } from './live-constraints.js';
import { cpuMilli, memoryMiB, parseQuantity } from './live-quantity.js';
import { apiWindow, eventTime, type ApiTime } from './live-time.js';

/** What has been recorded for one pod, so each event is emitted once however many updates the watch delivers. */
export interface PodSeen {
  created: boolean;
  unschedulable: boolean;
  scheduled: boolean;
  ready: boolean;
  deleted: boolean;
}

export interface Timed {
  t: number;
  body: EventBody;
}

/** The pod's name in the log: namespace/name, so two namespaces never collide. */
export function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

/**
 * The events one observation of a pod adds, in lifecycle order. `gone` is true for a watch DELETED event;
 * `initial` for pods that existed before recording started (the informers' first list).
 * Times follow live-time.ts: the watch time clamped into the API's whole-second stamp for that transition.
 */
export function podEvents(pod: V1Pod, seen: PodSeen, watchMs: number, epochMs: number, gone = false, initial = false, speed = 1): Timed[] {
  const out: Timed[] = [];
  const name = podKey(pod);
  const at = (stamp: ApiTime): number => eventTime(watchMs, apiWindow(stamp, epochMs, speed));
  const conditions = pod.status?.conditions ?? [];
  const condition = (type: string): V1PodCondition | undefined => conditions.find((c) => c.type === type);

  if (!seen.created) {
    seen.created = true;
    const r = podRequests(pod);
    out.push({
      t: at(pod.metadata?.creationTimestamp),
      body: {
        type: 'pod.created',
        pod: name,
        workload: workloadOf(pod),
        ...r,
        priority: pod.spec?.priority ?? 0,
        ...(initial ? { initial: true } : {}),
        ...podConstraints(pod),
      },
    });
  }
  const scheduledCond = condition('PodScheduled');
  const nodeName = pod.spec?.nodeName;
  if (!seen.unschedulable && !seen.scheduled && !nodeName && scheduledCond?.status === 'False' && scheduledCond.reason === 'Unschedulable') {
    seen.unschedulable = true;
    out.push({ t: at(scheduledCond.lastTransitionTime), body: { type: 'pod.unschedulable', pod: name, reason: scheduledCond.message || scheduledCond.reason } });
  }
  if (!seen.scheduled && nodeName) {
    seen.scheduled = true;
    const stamp = scheduledCond?.status === 'True' ? scheduledCond.lastTransitionTime : undefined;
    out.push({ t: at(stamp), body: { type: 'pod.scheduled', pod: name, node: nodeName } });
  }
  const readyCond = condition('Ready');
  if (!seen.ready && readyCond?.status === 'True') {
    seen.ready = true;
    out.push({ t: at(readyCond.lastTransitionTime), body: { type: 'pod.ready', pod: name } });
  }
  // pod.deleted means gone from the API, its node's room free: the watch's DELETED event, which has no API
  // timestamp (deletionTimestamp is when graceful termination was asked to end, not when it did).
  if (!seen.deleted && gone) {
    seen.deleted = true;
    out.push({ t: eventTime(watchMs, undefined), body: { type: 'pod.deleted', pod: name, reason: deleteReason(pod) } });
  }
  return out;
}

/** The workload a pod belongs to: its Deployment (the ReplicaSet's name without the template hash), else its owner. */
export function workloadOf(pod: V1Pod): string {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return pod.metadata?.name ?? '';
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -hash.length - 1);
  return owner.name;
}

/** Effective requests as the scheduler counts them: the larger of the containers' sum and any init container. */
export function podRequests(pod: V1Pod): { cpuMilli: number; memoryMiB: number; gpu: number } {
  const sum = (cs: V1Container[] | undefined, key: string): number =>
    (cs ?? []).reduce((a, c) => a + (parseQuantity(c.resources?.requests?.[key]) ?? 0), 0);
  const maxInit = (key: string): number =>
    (pod.spec?.initContainers ?? []).reduce((m, c) => Math.max(m, parseQuantity(c.resources?.requests?.[key]) ?? 0), 0);
  const eff = (key: string): number => Math.max(sum(pod.spec?.containers, key), maxInit(key));
  return { cpuMilli: cpuMilli(eff('cpu')), memoryMiB: memoryMiB(eff('memory')), gpu: Math.round(eff('nvidia.com/gpu')) };
}

/** Why a pod went away, from the DisruptionTarget condition Kubernetes sets on pods it removes. */
function deleteReason(pod: V1Pod): PodDeleted['reason'] {
  const disruption = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True')?.reason;
  if (disruption === 'PreemptionByScheduler') return 'preempted';
  if (disruption === 'EvictionByEvictionAPI' || pod.status?.reason === 'Evicted') return 'evicted';
  if (disruption === 'DeletionByTaintManager' || disruption === 'TerminationByKubelet' || disruption === 'DeletionByPodGC') return 'node-terminated';
  return 'scale-down';
}
