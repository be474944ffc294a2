import type { StateNode } from './state-node.js';
import type { StatePod } from './state-pod.js';

/**
 * The cluster as the scheduler and the autoscalers see it: nodes and pods, with per-workload counts by zone kept
 * up to date so topology checks cost O(zones), not O(pods). The sim writes it directly; live targets feed it from
 * informers.
 */
export class ClusterState {
  readonly nodes = new Map<string, StateNode>();
  readonly pods = new Map<string, StatePod>();
  /** Told of every node as it joins the state (the provisioner stops counting its launch as in flight). */
  readonly onNodeAdded: Array<(node: StateNode) => void> = [];
  /** workload -> zone -> pods bound (or nominated) there. */
  private readonly zoneCounts = new Map<string, Map<string, number>>();
  /**
   * Pods that may be pending, in the order they joined (the pods map's order): a pod leaves when it binds or goes,
   * comes back when unbound, and one found terminating is dropped when read. pendingPods() then costs the pending
   * pods, not every pod of the cluster, on each scheduling pass.
   */
  private readonly maybePending = new Set<StatePod>();
  /** priority -> node -> pods of that priority bound there: where a preemptor may find victims, without a pod scan. */
  private readonly boundByPriority = new Map<number, Map<StateNode, number>>();

  addNode(node: StateNode): void {
    this.nodes.set(node.name, node);
    for (const listener of this.onNodeAdded) listener(node);
  }

  removeNode(node: StateNode): void {
    this.nodes.delete(node.name);
  }

  addPod(pod: StatePod): void {
    this.pods.set(pod.name, pod);
    this.maybePending.add(pod);
  }

  removePod(pod: StatePod): void {
    this.pods.delete(pod.name);
    this.maybePending.delete(pod);
  }

  bind(pod: StatePod, node: StateNode): void {
    pod.node = node;
    pod.phase = 'bound';
    pod.unschedulableAt = null;
    pod.nominatedNode = null;
    this.maybePending.delete(pod);
    node.bind(pod);
    let nodes = this.boundByPriority.get(pod.spec.priority);
    if (!nodes) this.boundByPriority.set(pod.spec.priority, (nodes = new Map()));
    nodes.set(node, (nodes.get(node) ?? 0) + 1);
    this.adjustZone(pod.spec.workload, node.zone, +1);
  }

  unbind(pod: StatePod): void {
    const node = pod.node;
    if (!node) return;
    node.unbind(pod);
    const nodes = this.boundByPriority.get(pod.spec.priority)!;
    const left = nodes.get(node)! - 1;
    if (left === 0) nodes.delete(node);
    else nodes.set(node, left);
    this.adjustZone(pod.spec.workload, node.zone, -1);
    pod.node = null;
    this.maybePending.add(pod);
  }

  zoneCount(workload: string, zone: string): number {
    return this.zoneCounts.get(workload)?.get(zone) ?? 0;
  }

  /** Whether any pod of the workload is bound to a node. */
  anyPlaced(workload: string): boolean {
    const byZone = this.zoneCounts.get(workload);
    if (byZone) for (const n of byZone.values()) if (n > 0) return true;
    return false;
  }

  private adjustZone(workload: string, zone: string, delta: number): void {
    let byZone = this.zoneCounts.get(workload);
    if (!byZone) this.zoneCounts.set(workload, (byZone = new Map()));
    byZone.set(zone, (byZone.get(zone) ?? 0) + delta);
  }

  /** Nodes with a bound pod (terminating or not) of a priority below `priority`. */
  nodesRunningBelow(priority: number): Set<StateNode> {
    const out = new Set<StateNode>();
    for (const [p, nodes] of this.boundByPriority) if (p < priority) for (const n of nodes.keys()) out.add(n);
    return out;
  }

  pendingPods(): StatePod[] {
    const out: StatePod[] = [];
    for (const p of this.maybePending) {
      if (p.phase === 'pending') out.push(p);
      else if (p.phase === 'terminating' || p.phase === 'gone') this.maybePending.delete(p);
    }
    return out;
  }

  aliveNodes(): StateNode[] {
    const out: StateNode[] = [];
    for (const n of this.nodes.values()) if (n.alive) out.push(n);
    return out;
  }
}
