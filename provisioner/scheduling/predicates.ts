import { LABEL } from '../api/labels.js';
import type { PodSpec, TopologyKey } from '../api/pod.js';
import { firstShortfall, RESOURCE_NAMES, type Resources } from '../api/resources.js';
import { untoleratedTaint, type Taint } from '../api/taints.js';

/** What the filters need of a node, real or planned. */
export interface CandidateNode {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  free(): Resources;
  countOf(workload: string): number;
}

/**
 * Pods of a workload per topology domain, and the domains that count for a spec (kube-scheduler counts the domains
 * of nodes that match the pod's node affinity; Karpenter adds the zones a new node could be launched in).
 */
export interface TopologyCounts {
  zoneCount(workload: string, zone: string): number;
  /** Smallest count of the selected workloads' pods over the eligible domains of `key` for this spec. */
  minCount(spec: PodSpec, key: TopologyKey, selects: readonly string[]): number;
  /** Whether any pod of the selected workloads is placed anywhere (a self-selecting affinity's first pod goes anywhere). */
  anyPlaced(selects: readonly string[]): boolean;
}

/**
 * kube-scheduler's filters, in its order, for one pod on one node: unschedulable is checked by the caller
 * (cordon and readiness differ between the sim and the solver). Returns the reason it is rejected, or null.
 */
export function rejection(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): string | null {
  const taint = untoleratedTaint(node.taints, spec.tolerations);
  if (taint) return `node(s) had untolerated taint {${taint.key}${taint.value ? `: ${taint.value}` : ''}}`;
  if (!spec.nodeRequirements.matches(node.labels)) return "node(s) didn't match Pod's node affinity/selector";
  const short = firstShortfall(spec.requests, node.free());
  if (short) return short === 'pods' ? 'Too many pods' : `Insufficient ${RESOURCE_NAMES[short]}`;
  if (!spreadAllows(spec, node, topology)) return "node(s) didn't match pod topology spread constraints";
  if (!affinityAllows(spec, node, topology)) return "node(s) didn't match pod affinity rules";
  if (!antiAffinityAllows(spec, node, topology)) return "node(s) didn't match pod anti-affinity rules";
  return null;
}

/** Pods of the selected workloads in the node's domain of `key`. */
export function countIn(key: TopologyKey, selects: readonly string[], node: CandidateNode, topology: TopologyCounts): number {
  let n = 0;
  if (key === LABEL.hostname) {
    for (const w of selects) n += node.countOf(w);
    return n;
  }
  const zone = node.labels[LABEL.zone];
  if (zone === undefined) return 0;
  for (const w of selects) n += topology.zoneCount(w, zone);
  return n;
}

/** A spread's skew after placing the pod: it adds one to its domain only if the selector matches the pod itself. */
export function spreadAllows(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): boolean {
  for (const c of spec.topologySpread) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const self = c.selects.includes(spec.workload) ? 1 : 0;
    if (countIn(c.topologyKey, c.selects, node, topology) + self - topology.minCount(spec, c.topologyKey, c.selects) > c.maxSkew) return false;
  }
  return true;
}

export function antiAffinityAllows(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): boolean {
  for (const t of spec.antiAffinity) if (countIn(t.topologyKey, t.selects, node, topology) > 0) return false;
  return true;
}

/**
 * Required pod affinity: the node's domain already holds a selected pod; or no selected pod is placed anywhere and
 * the term selects the pod itself, which kube-scheduler lets go anywhere so that the first of a group can start.
 */
export function affinityAllows(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): boolean {
  for (const t of spec.affinity) {
    if (countIn(t.topologyKey, t.selects, node, topology) > 0) continue;
    if (t.selects.includes(spec.workload) && !topology.anyPlaced(t.selects)) continue;
    return false;
  }
  return true;
}

/**
 * kube-scheduler's default scoring, reduced to what decides placement here: LeastAllocated (the mean free share of
 * CPU and memory after placing the pod) plus a penalty for ScheduleAnyway spread skew. Higher is better.
 */
export function score(spec: PodSpec, node: CandidateNode & { readonly allocatable: Resources }, topology: TopologyCounts): number {
  const free = node.free();
  const cpu = (free.cpu - spec.requests.cpu) / node.allocatable.cpu;
  const mem = (free.memory - spec.requests.memory) / node.allocatable.memory;
  let s = (cpu + mem) / 2;
  for (const c of spec.topologySpread) {
    if (c.whenUnsatisfiable === 'ScheduleAnyway') s -= countIn(c.topologyKey, c.selects, node, topology) * 0.01;
  }
  return s;
}
