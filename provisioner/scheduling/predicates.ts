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
  /** Smallest count of the workload over the eligible domains of `key` for this spec. */
  minCount(spec: PodSpec, key: TopologyKey): number;
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
  if (!antiAffinityAllows(spec, node, topology)) return "node(s) didn't match pod anti-affinity rules";
  return null;
}

function countIn(spec: PodSpec, key: TopologyKey, node: CandidateNode, topology: TopologyCounts): number {
  if (key === LABEL.hostname) return node.countOf(spec.workload);
  const zone = node.labels[LABEL.zone];
  return zone === undefined ? 0 : topology.zoneCount(spec.workload, zone);
}

export function spreadAllows(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): boolean {
  for (const c of spec.topologySpread) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    if (countIn(spec, c.topologyKey, node, topology) + 1 - topology.minCount(spec, c.topologyKey) > c.maxSkew) return false;
  }
  return true;
}

export function antiAffinityAllows(spec: PodSpec, node: CandidateNode, topology: TopologyCounts): boolean {
  for (const key of spec.antiAffinity) if (countIn(spec, key, node, topology) > 0) return false;
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
    if (c.whenUnsatisfiable === 'ScheduleAnyway') s -= countIn(spec, c.topologyKey, node, topology) * 0.01;
  }
  return s;
}
