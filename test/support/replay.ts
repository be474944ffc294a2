/**
 * Invariant checks that replay an event log: they read only events (and the catalog for sizes), so they hold the
 * simulator to the same contract a live target's log must meet.
 */
import type { RunEvent } from '../../harness/recorder/events.js';
import type { Resources } from '../../provisioner/api/resources.js';
import { testCatalog } from './builders.js';

export interface Overpack {
  node: string;
  t: number;
  requested: Resources;
  allocatable: Resources;
}

/** Every moment a node held more requests (daemonset overhead included) than its instance type's allocatable. */
export function overpacked(events: readonly RunEvent[], arm: string, overhead: Resources): Overpack[] {
  const nodeType = new Map<string, string>();
  const used = new Map<string, Resources>();
  const podReq = new Map<string, Resources>();
  const podNode = new Map<string, string>();
  const out: Overpack[] = [];
  for (const e of events) {
    if (e.autoscaler !== arm) continue;
    if (e.type === 'node.launched') {
      nodeType.set(e.node, e.instanceType);
      used.set(e.node, { ...overhead });
    } else if (e.type === 'pod.created') {
      podReq.set(e.pod, { cpu: e.cpuMilli, memory: e.memoryMiB, pods: 1, gpu: e.gpu });
    } else if (e.type === 'pod.scheduled') {
      const u = used.get(e.node)!;
      const r = podReq.get(e.pod)!;
      podNode.set(e.pod, e.node);
      u.cpu += r.cpu;
      u.memory += r.memory;
      u.pods += r.pods;
      u.gpu += r.gpu;
      const a = testCatalog().get(nodeType.get(e.node)!)!.allocatable;
      if (u.cpu > a.cpu || u.memory > a.memory || u.pods > a.pods || u.gpu > a.gpu) out.push({ node: e.node, t: e.t, requested: { ...u }, allocatable: a });
    } else if (e.type === 'pod.deleted') {
      const node = podNode.get(e.pod);
      if (!node) continue;
      const u = used.get(node)!;
      const r = podReq.get(e.pod)!;
      u.cpu -= r.cpu;
      u.memory -= r.memory;
      u.pods -= r.pods;
      u.gpu -= r.gpu;
      podNode.delete(e.pod);
    }
  }
  return out;
}

/** The largest total CPU capacity (millicores) of live nodes owned by `owner` at any moment. */
export function peakOwnedCpu(events: readonly RunEvent[], arm: string, owner: string): number {
  const cpu = new Map<string, number>();
  let total = 0;
  let peak = 0;
  for (const e of events) {
    if (e.autoscaler !== arm) continue;
    if (e.type === 'node.launched' && e.owner === owner) {
      cpu.set(e.node, e.cpuMilli);
      total += e.cpuMilli;
      peak = Math.max(peak, total);
    } else if (e.type === 'node.terminated' && cpu.has(e.node)) {
      total -= cpu.get(e.node)!;
      cpu.delete(e.node);
    }
  }
  return peak;
}
