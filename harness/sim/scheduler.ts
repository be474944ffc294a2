import { LABEL } from '../../provisioner/api/labels.js';
import type { PodSpec, TopologyKey } from '../../provisioner/api/pod.js';
import { fits, type Resources } from '../../provisioner/api/resources.js';
import { untoleratedTaint } from '../../provisioner/api/taints.js';
import { rejection, score, type TopologyCounts } from '../../provisioner/scheduling/predicates.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import type { StatePod } from '../../provisioner/state/state-pod.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { World } from './world.js';

/**
 * kube-scheduler's behaviour for the sim: a queue ordered by priority then age; each pod filtered against every
 * Ready, uncordoned node (resources, node affinity, taints, topology spread, anti-affinity), the best by
 * LeastAllocated wins; pods that fit nowhere are marked unschedulable once per pending episode, and a higher-priority
 * pod may preempt lower-priority ones. Pods of one spec that failed in a cycle are not retried in that cycle: the
 * cluster only fills up within it.
 */
export class SimScheduler {
  private queued = false;
  /** Pods waiting for the victims they preempted to be gone. */
  private readonly preempting = new Map<StatePod, StatePod[]>();

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
    const topology = new CycleTopology(this.world, nodes);
    const failed = new Map<PodSpec, string>();
    const bound: StatePod[] = [];
    for (const pod of pending) {
      const known = failed.get(pod.spec);
      if (known !== undefined) {
        if (!options.warmUp) this.markUnschedulable(pod, known);
        continue;
      }
      const node = this.place(pod, nodes, topology, failed, options.warmUp ?? false);
      if (!node) continue;
      this.pods.bind(pod, node);
      this.preempting.delete(pod);
      this.pods.start(pod, node, options.warmUp);
      topology.bound(pod.spec, node);
      bound.push(pod);
    }
    return bound;
  }

  private place(pod: StatePod, nodes: StateNode[], topology: CycleTopology, failed: Map<PodSpec, string>, warmUp: boolean): StateNode | null {
    let best: StateNode | null = null;
    let bestScore = -Infinity;
    const reasons = new Map<string, number>();
    for (const node of nodes) {
      const why = rejection(pod.spec, node, topology);
      if (why !== null) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        continue;
      }
      const s = score(pod.spec, node, topology);
      if (s > bestScore) {
        best = node;
        bestScore = s;
      }
    }
    if (best) return best;
    const reason = summarize(nodes.length, reasons);
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
    const preempted = this.preempt(pod, nodes);
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
  private preempt(pod: StatePod, nodes: StateNode[]): { node: StateNode; victims: StatePod[] } | null {
    let choice: { node: StateNode; victims: StatePod[] } | null = null;
    for (const node of nodes) {
      if (untoleratedTaint(node.taints, pod.spec.tolerations) || !pod.spec.nodeRequirements.matches(node.labels)) continue;
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

function summarize(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r, n]) => `${n} ${r}`);
  return `0/${total} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** Topology counts for one cycle: zone counts from the state, eligible domains computed once per spec. */
class CycleTopology implements TopologyCounts {
  private readonly zoneDomains = new Map<PodSpec, string[]>();
  private readonly hostMin = new Map<PodSpec, number>();

  constructor(
    private readonly world: World,
    private readonly nodes: readonly StateNode[],
  ) {}

  zoneCount(workload: string, zone: string): number {
    return this.world.state.zoneCount(workload, zone);
  }

  minCount(spec: PodSpec, key: TopologyKey): number {
    if (key === LABEL.hostname) {
      let min = this.hostMin.get(spec);
      if (min === undefined) {
        min = Infinity;
        for (const n of this.nodes) if (spec.nodeRequirements.matches(n.labels)) min = Math.min(min, n.countOf(spec.workload));
        if (min === Infinity) min = 0;
        this.hostMin.set(spec, min);
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
    for (const z of zones) min = Math.min(min, this.zoneCount(spec.workload, z));
    return min === Infinity ? 0 : min;
  }

  /** Keeps the per-cycle hostname minimum honest after a bind. */
  bound(spec: PodSpec, _node: StateNode): void {
    this.hostMin.delete(spec);
  }
}
