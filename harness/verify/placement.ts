import { add, addInto, subInto, type Resources } from '../../provisioner/api/resources.js';
import { untoleratedTaint } from '../../provisioner/api/taints.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import type { LoggedTaint, LoggedToleration, LoggedTopologyKey, NodeLaunched, PodCreated, PodScheduled, RunEvent } from '../../provisioner/runtime/events.js';
import type { Violation } from './violation.js';

/**
 * Replays one arm's binds from the log alone and checks, at every bind, what kube-scheduler must have held: the
 * node existed and was not gone, the requests of the pods bound to it fit its allocatable less its daemonset
 * overhead (CPU, memory, pods, GPUs), its labels met the pod's nodeSelector and required node affinity, its taints
 * were tolerated, and the pod's DoNotSchedule topology spread and required anti-affinity held.
 *
 * Topology domains are the Ready, uncordoned, not yet terminated nodes that match the pod's node selector and
 * affinity (kube-scheduler's nodeAffinityPolicy: Honor); a node on its way out, or not Ready, is not counted, so a
 * skew the scheduler could not see is never charged to it. Spread and anti-affinity count pods of the same workload.
 */
export interface PlacementCounts {
  binds: number;
  /** Binds checked against the node's room (the node's log entry had allocatable). */
  resourceChecks: number;
  /** Binds to nodes whose log entry has no allocatable (a log written before the contract had it). */
  withoutAllocatable: number;
  selectorChecks: number;
  taintChecks: number;
  spreadChecks: number;
  antiAffinityChecks: number;
  /** Pods with constraints the recorder could not express (pod.created `unrecorded`): not checked. */
  podsWithUnrecorded: number;
}

interface NodeState {
  name: string;
  zone: string;
  labels: Readonly<Record<string, string>>;
  /** False for a log written before nodes carried their labels: selectors cannot be checked against it. */
  labelsKnown: boolean;
  taints: readonly LoggedTaint[];
  /** Allocatable less daemonset overhead; null when the log does not say. */
  room: Resources | null;
  allocatable: Resources | null;
  used: Resources;
  ready: boolean;
  cordoned: boolean;
  terminated: boolean;
  byWorkload: Map<string, number>;
}

interface PodState {
  name: string;
  workload: string;
  requests: Resources;
  selector: Requirements;
  /** Node affinity terms, any of which must match; empty: no affinity. */
  terms: Requirements[];
  hasNodeConstraints: boolean;
  tolerations: readonly LoggedToleration[];
  spread: ReadonlyArray<{ topologyKey: LoggedTopologyKey; maxSkew: number }>;
  antiAffinity: readonly LoggedTopologyKey[];
  node: NodeState | null;
}

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';

export class PlacementReplay {
  readonly counts: PlacementCounts = {
    binds: 0, resourceChecks: 0, withoutAllocatable: 0, selectorChecks: 0, taintChecks: 0, spreadChecks: 0, antiAffinityChecks: 0, podsWithUnrecorded: 0,
  };
  private readonly nodes = new Map<string, NodeState>();
  /** Nodes launched and not yet terminated: the only ones a topology domain can come from. */
  private readonly liveNodes = new Set<NodeState>();
  private readonly pods = new Map<string, PodState>();
  /** workload -> zone -> pods bound there. */
  private readonly zoneCounts = new Map<string, Map<string, number>>();

  constructor(
    readonly arm: string,
    private readonly report: (v: Violation) => void,
  ) {}

  apply(e: RunEvent): void {
    switch (e.type) {
      case 'node.launched': {
        const n = nodeOf(e);
        this.nodes.set(e.node, n);
        this.liveNodes.add(n);
        break;
      }
      case 'node.ready':
        this.withNode(e.node, (n) => (n.ready = true));
        break;
      case 'node.cordoned':
        this.withNode(e.node, (n) => (n.cordoned = true));
        break;
      case 'node.terminated':
        this.withNode(e.node, (n) => {
          n.terminated = true;
          this.liveNodes.delete(n);
        });
        break;
      case 'pod.created':
        this.pods.set(e.pod, podOf(e));
        if (e.unrecorded?.length) this.counts.podsWithUnrecorded++;
        break;
      case 'pod.scheduled':
        this.bind(e);
        break;
      case 'pod.deleted':
        this.unbind(e.pod);
        break;
      default:
        break;
    }
  }

  private withNode(name: string, f: (n: NodeState) => void): void {
    const n = this.nodes.get(name);
    if (n) f(n);
  }

  private bind(e: PodScheduled): void {
    this.counts.binds++;
    const pod = this.pods.get(e.pod);
    const node = this.nodes.get(e.node);
    const subject = `pod ${e.pod} -> node ${e.node}`;
    const violation = (rule: string, detail: string): void => this.report({ t: e.t, arm: this.arm, subject, rule, detail });
    if (!pod) {
      violation('unknown pod', 'bound before the log created it');
      return;
    }
    if (!node) {
      violation('unknown node', 'the log never launched this node');
      return;
    }
    if (node.terminated) violation('node gone', 'bound after the node was terminated');
    if (pod.node) this.unbind(pod.name);

    if (node.room && node.allocatable) {
      this.counts.resourceChecks++;
      const after = add(node.used, pod.requests);
      for (const k of ['cpu', 'memory', 'pods', 'gpu'] as const) {
        if (after[k] > node.room[k]) {
          violation('over-commit', `${k} ${amount(k, after[k])} requested by its pods > ${amount(k, node.room[k])} room (allocatable ${amount(k, node.allocatable[k])} less daemonsets ${amount(k, node.allocatable[k] - node.room[k])})`);
        }
      }
    } else this.counts.withoutAllocatable++;

    if (pod.hasNodeConstraints && node.labelsKnown) {
      this.counts.selectorChecks++;
      const key = pod.selector.firstMismatch(node.labels);
      if (key !== null) violation('nodeSelector', `node label ${key}=${node.labels[key] ?? '(absent)'} does not meet the pod's nodeSelector/affinity`);
      else if (pod.terms.length > 0 && !pod.terms.some((t) => t.matches(node.labels))) {
        const keys = [...new Set(pod.terms.map((t) => t.firstMismatch(node.labels)))].join(', ');
        violation('node affinity', `no required node affinity term matches the node's labels (mismatched: ${keys})`);
      }
    }
    if (node.taints.length > 0) {
      this.counts.taintChecks++;
      const taint = untoleratedTaint(node.taints, pod.tolerations);
      if (taint) violation('taint', `the pod does not tolerate ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`);
    }
    for (const c of pod.spread) {
      this.counts.spreadChecks++;
      const { count, min, domain } = this.topology(pod, node, c.topologyKey);
      if (count + 1 - min > c.maxSkew) {
        violation('topology spread', `${c.topologyKey} ${domain} would hold ${count + 1} pods of ${pod.workload} against a minimum of ${min} elsewhere: skew ${count + 1 - min} > maxSkew ${c.maxSkew}`);
      }
    }
    for (const key of pod.antiAffinity) {
      this.counts.antiAffinityChecks++;
      const { count, domain } = this.topology(pod, node, key);
      if (count > 0) violation('pod anti-affinity', `${key} ${domain} already holds ${count} pod${count === 1 ? '' : 's'} of ${pod.workload}`);
    }

    pod.node = node;
    addInto(node.used, pod.requests);
    node.byWorkload.set(pod.workload, (node.byWorkload.get(pod.workload) ?? 0) + 1);
    this.adjustZone(pod.workload, node.zone, +1);
  }

  private unbind(name: string): void {
    const pod = this.pods.get(name);
    const node = pod?.node;
    if (!pod || !node) return;
    subInto(node.used, pod.requests);
    node.byWorkload.set(pod.workload, (node.byWorkload.get(pod.workload) ?? 1) - 1);
    this.adjustZone(pod.workload, node.zone, -1);
    pod.node = null;
  }

  /** Pods of the workload in the node's domain of `key`, and the fewest in any eligible domain. */
  private topology(pod: PodState, node: NodeState, key: LoggedTopologyKey): { count: number; min: number; domain: string } {
    const eligible = [...this.liveNodes].filter((n) => n.ready && !n.cordoned && matches(pod, n.labels));
    if (key === HOSTNAME) {
      const count = node.byWorkload.get(pod.workload) ?? 0;
      let min = Infinity;
      for (const n of eligible) min = Math.min(min, n.byWorkload.get(pod.workload) ?? 0);
      return { count, min: Math.min(min, count), domain: node.name };
    }
    const counts = this.zoneCounts.get(pod.workload);
    const count = counts?.get(node.zone) ?? 0;
    let min = Infinity;
    for (const z of new Set(eligible.map((n) => n.labels[ZONE] ?? n.zone))) min = Math.min(min, counts?.get(z) ?? 0);
    return { count, min: Math.min(min, count), domain: node.zone };
  }

  private adjustZone(workload: string, zone: string, delta: number): void {
    let byZone = this.zoneCounts.get(workload);
    if (!byZone) this.zoneCounts.set(workload, (byZone = new Map()));
    byZone.set(zone, (byZone.get(zone) ?? 0) + delta);
  }
}

function nodeOf(e: NodeLaunched): NodeState {
  const allocatable =
    e.allocatableCpuMilli === undefined || e.allocatableMemoryMiB === undefined || e.allocatablePods === undefined
      ? null
      : { cpu: e.allocatableCpuMilli, memory: e.allocatableMemoryMiB, pods: e.allocatablePods, gpu: e.allocatableGpu ?? 0 };
  const o = e.daemonsetOverhead;
  const room = allocatable && {
    cpu: allocatable.cpu - (o?.cpuMilli ?? 0),
    memory: allocatable.memory - (o?.memoryMiB ?? 0),
    pods: allocatable.pods - (o?.pods ?? 0),
    gpu: allocatable.gpu - (o?.gpu ?? 0),
  };
  const labels = e.labels ?? { [ZONE]: e.zone, [HOSTNAME]: e.node };
  return {
    name: e.node, zone: labels[ZONE] ?? e.zone, labels, labelsKnown: e.labels !== undefined, taints: e.taints ?? [], room, allocatable,
    used: { cpu: 0, memory: 0, pods: 0, gpu: 0 }, ready: false, cordoned: false, terminated: false, byWorkload: new Map(),
  };
}

function podOf(e: PodCreated): PodState {
  const selector = Requirements.fromLabels(e.nodeSelector ?? {});
  const terms = (e.nodeAffinity ?? []).map((t) => Requirements.of(t));
  return {
    name: e.pod,
    workload: e.workload,
    requests: { cpu: e.cpuMilli, memory: e.memoryMiB, pods: 1, gpu: e.gpu },
    selector,
    terms,
    hasNodeConstraints: e.nodeSelector !== undefined || terms.length > 0,
    tolerations: e.tolerations ?? [],
    spread: e.topologySpread ?? [],
    antiAffinity: e.podAntiAffinity ?? [],
    node: null,
  };
}

function matches(pod: PodState, labels: Readonly<Record<string, string>>): boolean {
  return pod.selector.matches(labels) && (pod.terms.length === 0 || pod.terms.some((t) => t.matches(labels)));
}

/** In the log's own units, so a line can be matched against events.jsonl. */
function amount(k: keyof Resources, v: number): string {
  return k === 'cpu' ? `${v}m` : k === 'memory' ? `${v}Mi` : String(v);
}
