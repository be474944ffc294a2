import type { RunEvent } from '../recorder/events.js';

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
}

export interface NodeTimeline {
  node: string;
  instanceType: string;
  zone: string;
  capacityType: string;
  pricePerHour: number;
  cpuMilli: number;
  memoryMiB: number;
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
          created: e.t, unschedulable: null, scheduled: null, node: null, ready: null, deleted: null,
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
        if (p && p.deleted === null) p.deleted = e.t;
        break;
      }
      case 'node.launched':
        nodes.set(e.node, {
          node: e.node, instanceType: e.instanceType, zone: e.zone, capacityType: e.capacityType,
          pricePerHour: e.pricePerHour, cpuMilli: e.cpuMilli, memoryMiB: e.memoryMiB, owner: e.owner, initial: e.initial,
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
 * Splits a pod's wait: time until the node it landed on was Ready (if it had to wait), scheduling, start-up.
 * A pod still not Ready at `end` (and not deleted) counts with its wait so far, so an arm that leaves pods stuck
 * cannot look fast; without `end` such pods are left out.
 */
export function splitOf(
  p: PodTimeline,
  nodes: ReadonlyMap<string, NodeTimeline>,
  end?: number,
): { total: number; waitingForNode: number; scheduling: number; startup: number } | null {
  if (p.ready === null && (p.deleted !== null || end === undefined)) return null;
  const ready = p.ready ?? end!;
  const total = ready - p.created;
  if (p.scheduled === null) {
    return p.unschedulable !== null ? { total, waitingForNode: total, scheduling: 0, startup: 0 } : { total, waitingForNode: 0, scheduling: total, startup: 0 };
  }
  const startup = ready - p.scheduled;
  const toSchedule = p.scheduled - p.created;
  let waitingForNode = 0;
  if (p.unschedulable !== null && p.node !== null) {
    const nodeReady = nodes.get(p.node)?.ready ?? p.scheduled;
    waitingForNode = Math.min(toSchedule, Math.max(0, nodeReady - p.created));
  }
  return { total, waitingForNode, scheduling: toSchedule - waitingForNode, startup };
}
