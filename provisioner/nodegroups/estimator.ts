import { LABEL } from '../api/labels.js';
import type { PodRef, PodSpec } from '../api/pod.js';
import { add, fits, type Resources } from '../api/resources.js';
import { untoleratedTaint } from '../api/taints.js';
import { templateLabels, type NodeGroup } from './node-group.js';

/** Whether a pod could run on an empty node of the group at all (taints, affinity, zones, size). */
export function fitsTemplate(pod: PodRef, group: NodeGroup, overhead: Resources): boolean {
  if (untoleratedTaint(group.taints, pod.spec.tolerations)) return false;
  const skip = new Set([LABEL.zone, LABEL.hostname]);
  if (!pod.spec.nodeRequirements.matchesExcept(templateLabels(group), skip)) return false;
  if (!group.zones.some((z) => pod.spec.nodeRequirements.allows(LABEL.zone, z))) return false;
  return fits(add(overhead, pod.spec.requests), group.type.allocatable);
}

export interface Estimate {
  nodes: number;
  pods: PodRef[];
  /** Requests of the pods placed, for the least-waste expander. */
  requested: Resources;
}

/**
 * Cluster Autoscaler's binpacking estimator: how many new nodes of the group the pods need, placing them largest
 * first onto the first new node with room (first-fit decreasing), at most `maxNodes` nodes. Pods with anti-affinity
 * or hostname spread on their own workload take a node each.
 */
export function estimate(pods: readonly PodRef[], group: NodeGroup, overhead: Resources, maxNodes: number): Estimate {
  const bins: Array<{ requested: Resources; workloads: Map<string, number> }> = [];
  const placed: PodRef[] = [];
  const total: Resources = { cpu: 0, memory: 0, pods: 0, gpu: 0 };
  const sorted = [...pods].sort((a, b) => b.spec.requests.cpu - a.spec.requests.cpu || b.spec.requests.memory - a.spec.requests.memory);
  // Bins only fill, so a bin too full for a spec stays too full: pods of one spec resume where the previous one went.
  const cursor = new Map<PodSpec, number>();
  const templateFits = new Map<PodSpec, boolean>();
  for (const pod of sorted) {
    let fitsGroup = templateFits.get(pod.spec);
    if (fitsGroup === undefined) templateFits.set(pod.spec, (fitsGroup = fitsTemplate(pod, group, overhead)));
    if (!fitsGroup) continue;
    const perHost = hostLimit(pod);
    let at = cursor.get(pod.spec) ?? 0;
    while (at < bins.length && !((bins[at]!.workloads.get(pod.spec.workload) ?? 0) < perHost && fits(add(bins[at]!.requested, pod.spec.requests), group.type.allocatable))) at++;
    cursor.set(pod.spec, at);
    let bin = bins[at];
    if (!bin) {
      if (bins.length >= maxNodes) continue;
      bin = { requested: { ...overhead }, workloads: new Map() };
      bins.push(bin);
    }
    bin.requested = add(bin.requested, pod.spec.requests);
    bin.workloads.set(pod.spec.workload, (bin.workloads.get(pod.spec.workload) ?? 0) + 1);
    placed.push(pod);
    total.cpu += pod.spec.requests.cpu;
    total.memory += pod.spec.requests.memory;
    total.pods += 1;
    total.gpu += pod.spec.requests.gpu;
  }
  return { nodes: bins.length, pods: placed, requested: total };
}

function hostLimit(pod: PodRef): number {
  if (pod.spec.antiAffinity.some((t) => t.topologyKey === LABEL.hostname && t.selects.includes(pod.spec.workload))) return 1;
  let limit = Infinity;
  for (const c of pod.spec.topologySpread) {
    if (c.topologyKey === LABEL.hostname && c.whenUnsatisfiable === 'DoNotSchedule' && c.selects.includes(pod.spec.workload)) limit = Math.min(limit, c.maxSkew);
  }
  return limit;
}
