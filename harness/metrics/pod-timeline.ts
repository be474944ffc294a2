import type { PodDeleted, RunEvent } from '../../provisioner/runtime/events.js';

/** One pod's life as the event log tells it (times in ms since the run's epoch). */
export interface PodTimeline {
  pod: string;
  workload: string;
  cpuMilli: number;
  memoryMiB: number;
  priority: number;
  created: number;
  unschedulable: number | null;
  scheduled: number | null;
  node: string | null;
  ready: number | null;
  deleted: number | null;
  deleteReason: PodDeleted['reason'] | null;
}

export interface NodeTimeline {
  node: string;
  instanceType: string;
  zone: string;
  capacityType: string;
  pricePerHour: number;
  cpuMilli: number;
  memoryMiB: number;
  /** Allocatable CPU (capacity less kube-reserved, system-reserved and eviction threshold) where the log has it. */
  allocatableCpuMilli: number;
  owner: string;
  initial: boolean;
  launched: number;
  registered: number | null;
  ready: number | null;
  terminated: number | null;
}

/** Folds one arm's events into per-pod and per-node timelines: the raw material of every metric. */
export function timelines(events: readonly RunEvent[], autoscaler: string): { pods: Map<string, PodTimeline>; nodes: Map<string, NodeTimeline> } {
  const pods = new Map<string, PodTimeline>();
  const nodes = new Map<string, NodeTimeline>();
  for (const e of events) {
    if (e.autoscaler !== autoscaler) continue;
    switch (e.type) {
      case 'pod.created':
        pods.set(e.pod, {
          pod: e.pod, workload: e.workload, cpuMilli: e.cpuMilli, memoryMiB: e.memoryMiB, priority: e.priority,
          created: e.t, unschedulable: null, scheduled: null, node: null, ready: null, deleted: null, deleteReason: null,
        });
        break;
      case 'pod.unschedulable': {
        const p = pods.get(e.pod);
        if (p && p.unschedulable === null && p.scheduled === null) p.unschedulable = e.t;
        break;
      }
      case 'pod.scheduled': {
        const p = pods.get(e.pod);
        if (p && p.scheduled === null) {
          p.scheduled = e.t;
          p.node = e.node;
        }
        break;
      }
      case 'pod.ready': {
        const p = pods.get(e.pod);
        if (p && p.ready === null) p.ready = e.t;
        break;
      }
      case 'pod.deleted': {
        const p = pods.get(e.pod);
        if (p && p.deleted === null) {
          p.deleted = e.t;
          p.deleteReason = e.reason;
        }
        break;
      }
      case 'node.launched':
        nodes.set(e.node, {
          node: e.node, instanceType: e.instanceType, zone: e.zone, capacityType: e.capacityType,
          pricePerHour: e.pricePerHour, cpuMilli: e.cpuMilli, memoryMiB: e.memoryMiB,
          allocatableCpuMilli: e.allocatableCpuMilli ?? e.cpuMilli, owner: e.owner, initial: e.initial,
          launched: e.t, registered: null, ready: null, terminated: null,
        });
        break;
      case 'node.registered': {
        const n = nodes.get(e.node);
        if (n && n.registered === null) n.registered = e.t;
        break;
      }
      case 'node.ready': {
        const n = nodes.get(e.node);
        if (n && n.ready === null) n.ready = e.t;
        break;
      }
      case 'node.terminated': {
        const n = nodes.get(e.node);
        if (n && n.terminated === null) n.terminated = e.t;
        break;
      }
      default:
        break;
    }
  }
  return { pods, nodes };
}

/**
 * The pods latency metrics cover. Pods Ready before the run started, and placeholders with negative priority
 * (over-provisioning pods, which exist to be preempted), are not what users wait for. A pod that existed before the
 * run but was not yet Ready (nothing could hold it) waits during the run like any other, so it counts.
 */
export function measuredPods(events: readonly RunEvent[], autoscaler: string, pods: ReadonlyMap<string, PodTimeline>): PodTimeline[] {
  const initial = new Set<string>();
  for (const e of events) if (e.autoscaler === autoscaler && e.type === 'pod.created' && e.initial) initial.add(e.pod);
  const readyAtStart = (p: PodTimeline): boolean => initial.has(p.pod) && p.ready !== null && p.ready <= p.created;
  return [...pods.values()].filter((p) => !readyAtStart(p) && p.priority >= 0);
}

/**
 * How a pod's wait ended. `ready`: it became Ready (whatever happened after). `abandoned`: it was deleted or
 * preempted before it was ever Ready (the HPA scaled it away, a node under it went, a higher priority took its
 * place). `never-ready`: still not Ready when the run ended (a deletion by the run's own teardown counts as that).
 */
export type PodOutcome = 'ready' | 'abandoned' | 'never-ready';

export function outcomeOf(p: PodTimeline): PodOutcome {
  if (p.ready !== null) return 'ready';
  return p.deleted !== null && p.deleteReason !== 'run-end' ? 'abandoned' : 'never-ready';
}

/**
 * When the pod stopped waiting: Ready, deleted before Ready, or `end` for a pod still waiting. Null for a pod still
 * waiting when no end is given.
 */
export function waitEndOf(p: PodTimeline, end?: number): number | null {
  if (p.ready !== null) return p.ready;
  if (p.deleted !== null) return end === undefined ? p.deleted : Math.min(p.deleted, end);
  return end ?? null;
}

export interface WaitSplit {
  total: number;
  waitingForNode: number;
  scheduling: number;
  startup: number;
}

/**
 * Splits a pod's wait: time until the node it landed on was Ready (if it had to wait), scheduling, start-up.
 * Every pod counts, so an arm that leaves pods stuck or gives them up cannot look fast: a pod deleted before it was
 * Ready counts with its wait until the deletion, one still waiting at `end` with its wait so far (without `end`
 * such a pod is left out).
 */
export function splitOf(p: PodTimeline, nodes: ReadonlyMap<string, NodeTimeline>, end?: number): WaitSplit | null {
  const until = waitEndOf(p, end);
  if (until === null) return null;
  const total = until - p.created;
  if (p.scheduled === null || p.scheduled > until) {
    return p.unschedulable !== null ? { total, waitingForNode: total, scheduling: 0, startup: 0 } : { total, waitingForNode: 0, scheduling: total, startup: 0 };
  }
  const startup = until - p.scheduled;
  const toSchedule = p.scheduled - p.created;
  let waitingForNode = 0;
  if (p.unschedulable !== null && p.node !== null) {
    const nodeReady = nodes.get(p.node)?.ready ?? p.scheduled;
    waitingForNode = Math.min(toSchedule, Math.max(0, nodeReady - p.created));
  }
  return { total, waitingForNode, scheduling: toSchedule - waitingForNode, startup };
}

/** The part of the wait that dominated, as a phrase; for a pod that never became Ready, how it ended too. */
export function dominantPhaseOf(p: PodTimeline, s: WaitSplit): string {
  const parts: Array<[string, number]> = [
    ['waiting for a node', s.waitingForNode],
    ['scheduling', s.scheduling],
    ['start-up', s.startup],
  ];
  const top = parts.sort((a, b) => b[1] - a[1])[0]![0];
  switch (outcomeOf(p)) {
    case 'ready':
      return top === 'waiting for a node' ? 'waited for a node' : top;
    case 'abandoned':
      return `abandoned while ${top === 'start-up' ? 'starting up' : top}`;
    case 'never-ready':
      return `never ready (${top === 'start-up' ? 'starting up' : top})`;
  }
}
