import { LABEL } from '../../provisioner/api/labels.js';
import type { PodSpec, TopologyKey } from '../../provisioner/api/pod.js';
import { fits, type Resources } from '../../provisioner/api/resources.js';
import { rejection, score, type TopologyCounts } from '../../provisioner/scheduling/predicates.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import type { StatePod } from '../../provisioner/state/state-pod.js';
import { CycleNodeIndex, firstAtOrAfter } from './node-index.js';
import { nextStartIndex, numFeasibleNodesToFind } from './node-sampling.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { World } from './world.js';

/**
 * kube-scheduler's behaviour for the sim: a queue ordered by priority then age; each pod filtered against the Ready,
 * uncordoned nodes (resources, node affinity, taints, topology spread, anti-affinity) from where the previous search
 * stopped, until `percentageOfNodesToScore` of them are found feasible; the best of those by LeastAllocated wins
 * (the first found on a tie); pods that fit nowhere are marked unschedulable once per pending episode, and a
 * higher-priority pod may preempt lower-priority ones. Pods of one spec that failed in a cycle are not retried in that
 * cycle: the cluster only fills up within it.
 */
export class SimScheduler {
  private queued = false;
  /** Pods waiting for the victims they preempted to be gone. */
  private readonly preempting = new Map<StatePod, StatePod[]>();
  /** kube-scheduler's nextStartNodeIndex: the position in the node list where the next search starts. */
  private nextStart = 0;
  /** The last cycle's node index, reused while the schedulable nodes stay the same. */
  private index: CycleNodeIndex | null = null;

  constructor(
    private readonly world: World,
    private readonly pods: PodLifecycle,
  ) {}

  wake(): void {
    if (this.queued) return;
    this.queued = true;
    this.world.clock.setTimer(0, () => {
      this.queued = false;
      this.cycle();
    });
  }

  /**
   * One scheduling pass over every pending pod. Returns the pods it bound. `warmUp` places pods that exist before
   * the scenario starts: they start at once and are not marked unschedulable.
   */
  cycle(options: { warmUp?: boolean } = {}): StatePod[] {
    const { state } = this.world;
    const pending = state.pendingPods();
    if (pending.length === 0) return [];
    pending.sort((a, b) => b.spec.priority - a.spec.priority || a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
    const nodes = [...state.nodes.values()].filter((n) => n.schedulable);
    const index = (this.index = CycleNodeIndex.next(this.index, nodes));
    const topology = new CycleTopology(this.world, nodes);
    const failed = new Map<PodSpec, string>();
    // A failure's reason is logged only for a pod not yet marked unschedulable, and only such a pod of the same spec
    // can use a reason kept in `failed` (marking happens in this pass): for other specs no node needs to be asked why.
    const fresh = new Set<PodSpec>();
    for (const pod of pending) if (pod.unschedulableAt === null) fresh.add(pod.spec);
    const bound: StatePod[] = [];
    for (const pod of pending) {
      const known = failed.get(pod.spec);
      if (known !== undefined) {
        if (!options.warmUp) this.markUnschedulable(pod, known);
        continue;
      }
      const node = this.place(pod, index, topology, failed, options.warmUp ?? false, fresh.has(pod.spec));
      if (!node) continue;
      this.pods.bind(pod, node);
      this.preempting.delete(pod);
      this.pods.start(pod, node, options.warmUp);
      topology.bound(pod.spec, node);
      bound.push(pod);
    }
    return bound;
  }

  private place(pod: StatePod, index: CycleNodeIndex, topology: CycleTopology, failed: Map<PodSpec, string>, warmUp: boolean, logsReason: boolean): StateNode | null {
    const best = this.search(pod.spec, index, topology);
    if (best) return best;
    const reason = warmUp || logsReason ? summarize(index.nodes.length, rejections(pod.spec, index.nodes, topology)) : UNLOGGED;
    if (warmUp) {
      failed.set(pod.spec, reason);
      return null;
    }
    const victims = this.preempting.get(pod);
    if (victims?.some((v) => v.phase !== 'gone')) {
      this.markUnschedulable(pod, reason);
      return null;
    }
    // Its victims are gone and it still does not fit (others took the room): it may preempt again, or scale up.
    this.preempting.delete(pod);
    pod.nominatedNode = null;
    const preempted = this.preempt(pod, index);
    if (preempted) {
      this.preempting.set(pod, preempted.victims);
      pod.nominatedNode = preempted.node.name;
    } else {
      failed.set(pod.spec, reason);
    }
    this.markUnschedulable(pod, reason);
    return null;
  }

  /**
   * The best feasible node among the first `numFeasibleNodesToFind` found from `nextStart` on, in node-list order
   * (wrapping), then moves `nextStart` past the nodes processed. Only the spec's indexed candidates are filtered: the
   * nodes skipped are those its taints, node affinity or requests already rule out, which a full scan would reject.
   */
  private search(spec: PodSpec, index: CycleNodeIndex, topology: CycleTopology): StateNode | null {
    const { nodes } = index;
    const total = nodes.length;
    const wanted = numFeasibleNodesToFind(this.world.scenario.cluster.scheduler.percentageOfNodesToScore, total);
    const start = total === 0 ? 0 : this.nextStart % total;
    const candidates = index.roomyFor(spec);
    const first = firstAtOrAfter(candidates, start);
    let best: StateNode | null = null;
    let bestScore = -Infinity;
    let found = 0;
    let last = start;
    let full: Set<number> | null = null;
    for (let k = 0; k < candidates.length && found < wanted; k++) {
      const i = candidates[(first + k) % candidates.length]!;
      const node = nodes[i]!;
      if (!fits(spec.requests, node.free())) {
        (full ??= new Set()).add(i);
        continue;
      }
      if (rejection(spec, node, topology) !== null) continue;
      found++;
      last = i;
      const s = score(spec, node, topology);
      if (s > bestScore) {
        best = node;
        bestScore = s;
      }
    }
    if (full) index.full(spec, full);
    const processed = found < wanted || total === 0 ? total : ((last - start + total) % total) + 1;
    this.nextStart = nextStartIndex(start, processed, total);
    return best;
  }

  /**
   * The event is recorded once per pending episode; listeners (the autoscalers) hear every failed pass, except for
   * a pod waiting on its preemption, which they leave alone as Karpenter and Cluster Autoscaler do.
   */
  private markUnschedulable(pod: StatePod, reason: string): void {
    if (pod.unschedulableAt === null) {
      pod.unschedulableAt = this.world.clock.now();
      this.world.recorder.emit({ type: 'pod.unschedulable', pod: pod.name, reason });
    }
    if (pod.nominatedNode !== null) return;
    for (const listener of this.world.onUnschedulable) listener(pod);
  }

  /**
   * Default preemption, reduced: on the node where evicting the fewest lower-priority pods (lowest priority first)
   * frees enough room, those pods are deleted; the preemptor schedules once they are gone.
   */
  private preempt(pod: StatePod, index: CycleNodeIndex): { node: StateNode; victims: StatePod[] } | null {
    let choice: { node: StateNode; victims: StatePod[] } | null = null;
    for (const i of index.preemptableFor(pod.spec, () => this.world.state.nodesRunningBelow(pod.spec.priority))) {
      const node = index.nodes[i]!;
      const candidates = [...node.pods]
        .filter((p) => p.spec.priority < pod.spec.priority && p.phase !== 'terminating')
        .sort((a, b) => a.spec.priority - b.spec.priority || b.createdAt - a.createdAt);
      if (candidates.length === 0) continue;
      const free: Resources = node.free();
      const victims: StatePod[] = [];
      for (const v of candidates) {
        if (fits(pod.spec.requests, free)) break;
        victims.push(v);
        free.cpu += v.spec.requests.cpu;
        free.memory += v.spec.requests.memory;
        free.pods += v.spec.requests.pods;
        free.gpu += v.spec.requests.gpu;
      }
      if (!fits(pod.spec.requests, free)) continue;
      if (!choice || victims.length < choice.victims.length) choice = { node, victims };
    }
    if (!choice) return null;
    for (const v of choice.victims) this.pods.delete(v, 'preempted');
    return choice;
  }
}

/** The reason of a failure that no event will carry: every pod of the spec was marked unschedulable before. */
const UNLOGGED = '';

/** Why each node rejects the spec, counted: every node is looked at only when none is feasible. */
function rejections(spec: PodSpec, nodes: readonly StateNode[], topology: TopologyCounts): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const node of nodes) {
    const why = rejection(spec, node, topology);
    if (why !== null) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  return reasons;
}

function summarize(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r, n]) => `${n} ${r}`);
  return `0/${total} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** Topology counts for one cycle: zone counts from the state, eligible domains computed once per spec. */
class CycleTopology implements TopologyCounts {
  private readonly zoneDomains = new Map<PodSpec, string[]>();
  /** Per spec, per selection: the hostname minimum, reset when a pod binds. */
  private readonly hostMin = new Map<PodSpec, Map<readonly string[], number>>();

  constructor(
    private readonly world: World,
    private readonly nodes: readonly StateNode[],
  ) {}

  zoneCount(workload: string, zone: string): number {
    return this.world.state.zoneCount(workload, zone);
  }

  anyPlaced(selects: readonly string[]): boolean {
    return selects.some((w) => this.world.state.anyPlaced(w));
  }

  minCount(spec: PodSpec, key: TopologyKey, selects: readonly string[]): number {
    if (key === LABEL.hostname) {
      let bySelection = this.hostMin.get(spec);
      if (!bySelection) this.hostMin.set(spec, (bySelection = new Map()));
      let min = bySelection.get(selects);
      if (min === undefined) {
        min = Infinity;
        for (const n of this.nodes) {
          if (!spec.nodeRequirements.matches(n.labels)) continue;
          let c = 0;
          for (const w of selects) c += n.countOf(w);
          min = Math.min(min, c);
        }
        if (min === Infinity) min = 0;
        bySelection.set(selects, min);
      }
      return min;
    }
    let zones = this.zoneDomains.get(spec);
    if (!zones) {
      const set = new Set<string>();
      for (const n of this.world.state.nodes.values()) {
        if ((n.phase === 'ready' || n.phase === 'registered') && spec.nodeRequirements.matches(n.labels)) set.add(n.zone);
      }
      zones = [...set];
      this.zoneDomains.set(spec, zones);
    }
    let min = Infinity;
    for (const z of zones) {
      let c = 0;
      for (const w of selects) c += this.zoneCount(w, z);
      min = Math.min(min, c);
    }
    return min === Infinity ? 0 : min;
  }

  /** Keeps the per-cycle hostname minima honest after a bind: drops every selection that counts the bound pod. */
  bound(spec: PodSpec, _node: StateNode): void {
    for (const bySelection of this.hostMin.values()) {
      for (const selects of bySelection.keys()) if (selects.includes(spec.workload)) bySelection.delete(selects);
    }
  }
}
