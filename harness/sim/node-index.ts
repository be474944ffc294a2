import { LABEL } from '../../provisioner/api/labels.js';
import type { PodSpec } from '../../provisioner/api/pod.js';
import { fits } from '../../provisioner/api/resources.js';
import { untoleratedTaint, type Taint } from '../../provisioner/api/taints.js';
import type { StateNode } from '../../provisioner/state/state-node.js';

interface Group {
  /** A member: every member has the same labels (hostname aside) and taints. */
  readonly sample: StateNode;
  readonly members: number[];
}

/** Each node's labels but its hostname, as a key; labels are set when a node is created and never change. */
const labelKeys = new WeakMap<StateNode, string>();

function labelKey(node: StateNode): string {
  let key = labelKeys.get(node);
  if (key === undefined) {
    key = Object.keys(node.labels)
      .filter((k) => k !== LABEL.hostname)
      .sort()
      .map((k) => `${k}=${node.labels[k]}`)
      .join('\n');
    labelKeys.set(node, key);
  }
  return key;
}

function taintKey(taints: readonly Taint[]): string {
  let key = '';
  for (const t of taints) key += `\t${t.key}=${t.value ?? ''}:${t.effect}`;
  return key;
}

/**
 * The schedulable nodes of one scheduling cycle, indexed so a pod is only filtered against nodes that may take it.
 * Nodes are grouped by an equivalence key (labels and taints): a spec's taint and node-affinity filters are decided
 * once per group, not once per node. A node a spec's requests do not fit stays out of that spec's candidates for the
 * rest of the cycle, since within a cycle nodes only fill up (evicted pods free their room on a later timer). Positions
 * are indexes into `nodes`, kept ascending so a search visits nodes in the order a full scan would.
 */
export class CycleNodeIndex {
  private readonly groups: Group[] = [];
  /** Per spec: nodes that pass its taint and node-affinity filters (preemption looks at all of them). */
  private readonly eligible = new Map<PodSpec, number[]>();
  /** Per spec: eligible nodes not yet found too full for it. */
  private readonly roomy = new Map<PodSpec, number[]>();
  private readonly lowest: Array<number | undefined> = [];
  /** Per spec: eligible nodes that ran, when first asked, a pod of lower priority than the spec's. */
  private readonly preemptable = new Map<PodSpec, number[]>();
  /** Each node's taint count when indexed: taints change in place (a node outage adds one, recovery removes it). */
  private readonly taintCounts: number[];
  private readonly positions = new Map<StateNode, number>();
  /** Per spec: eligibleFor as a mask over positions. */
  private readonly masks = new Map<PodSpec, Uint8Array>();

  /**
   * The index for the next cycle: this one, its per-cycle answers (free room, victims) forgotten, while the
   * schedulable nodes are the same in the same order with the same taints (labels never change); else a new one.
   * Groups and eligible nodes are kept, so a cycle costs a pass over the nodes, not a regrouping and a sort per spec.
   */
  static next(previous: CycleNodeIndex | null, nodes: readonly StateNode[]): CycleNodeIndex {
    if (previous === null || !previous.indexes(nodes)) return new CycleNodeIndex(nodes);
    previous.roomy.clear();
    previous.preemptable.clear();
    previous.lowest.length = 0;
    return previous;
  }

  private indexes(nodes: readonly StateNode[]): boolean {
    if (nodes.length !== this.nodes.length) return false;
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i] !== this.nodes[i] || nodes[i]!.taints.length !== this.taintCounts[i]) return false;
    }
    return true;
  }

  constructor(readonly nodes: readonly StateNode[]) {
    this.taintCounts = nodes.map((n) => n.taints.length);
    for (let i = 0; i < nodes.length; i++) this.positions.set(nodes[i]!, i);
    // Keyed by labels, then taints: the label key is a cached string, so no per-node key is built each cycle.
    const byKey = new Map<string, Map<string, Group>>();
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const labels = labelKey(node);
      let byTaints = byKey.get(labels);
      if (!byTaints) byKey.set(labels, (byTaints = new Map()));
      const taints = taintKey(node.taints);
      let g = byTaints.get(taints);
      if (!g) {
        g = { sample: node, members: [] };
        byTaints.set(taints, g);
        this.groups.push(g);
      }
      g.members.push(i);
    }
  }

  /** Positions of the nodes whose taints the spec tolerates and whose labels match its node affinity, ascending. */
  eligibleFor(spec: PodSpec): readonly number[] {
    let list = this.eligible.get(spec);
    if (list) return list;
    list = [];
    const perNode = spec.nodeRequirements.has(LABEL.hostname);
    for (const g of this.groups) {
      if (untoleratedTaint(g.sample.taints, spec.tolerations)) continue;
      if (perNode) {
        for (const i of g.members) if (spec.nodeRequirements.matches(this.nodes[i]!.labels)) list.push(i);
      } else if (spec.nodeRequirements.matches(g.sample.labels)) {
        for (const i of g.members) list.push(i);
      }
    }
    list.sort((a, b) => a - b);
    this.eligible.set(spec, list);
    return list;
  }

  /** Eligible positions whose free room the spec's requests fit, ascending. */
  roomyFor(spec: PodSpec): readonly number[] {
    let list = this.roomy.get(spec);
    if (!list) {
      list = this.eligibleFor(spec).filter((i) => fits(spec.requests, this.nodes[i]!.free()));
      this.roomy.set(spec, list);
    }
    return list;
  }

  /**
   * The lowest priority among the pods on the node at `position` that are not already terminating: a preemptor of
   * that priority or below finds no victim there. Cached for the cycle; within it the possible victims only dwindle
   * (pods bound later in the cycle are of higher or equal priority than the pods after them), so a cached value is
   * never above the true one.
   */
  private lowestPriority(position: number): number {
    let p = this.lowest[position];
    if (p === undefined) {
      p = Infinity;
      for (const pod of this.nodes[position]!.pods) if (pod.phase !== 'terminating' && pod.spec.priority < p) p = pod.spec.priority;
      this.lowest[position] = p;
    }
    return p;
  }

  /**
   * Eligible positions of nodes that run a pod the spec's priority may preempt, ascending. `running` are the nodes
   * with a bound pod of lower priority (the cluster state keeps them): only those are looked at, not every node.
   */
  preemptableFor(spec: PodSpec, running: () => ReadonlySet<StateNode>): readonly number[] {
    let list = this.preemptable.get(spec);
    if (!list) {
      const eligible = this.eligibleMask(spec);
      list = [];
      for (const node of running()) {
        const i = this.positions.get(node);
        if (i !== undefined && eligible[i] === 1 && this.lowestPriority(i) < spec.priority) list.push(i);
      }
      list.sort((a, b) => a - b);
      this.preemptable.set(spec, list);
    }
    return list;
  }

  private eligibleMask(spec: PodSpec): Uint8Array {
    let mask = this.masks.get(spec);
    if (!mask) {
      mask = new Uint8Array(this.nodes.length);
      for (const i of this.eligibleFor(spec)) mask[i] = 1;
      this.masks.set(spec, mask);
    }
    return mask;
  }

  /** Drops nodes found too full for the spec from its candidates. */
  full(spec: PodSpec, positions: ReadonlySet<number>): void {
    const list = this.roomy.get(spec);
    if (list) this.roomy.set(spec, list.filter((i) => !positions.has(i)));
  }
}

/** The index of the first position at or after `start` in an ascending list (the list's length when none). */
export function firstAtOrAfter(list: readonly number[], start: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
