import type { NodeGroupDefined, NodePoolDefined, RunEvent } from '../../provisioner/runtime/events.js';
import type { Violation } from './violation.js';

/**
 * Replays one arm's launches against the NodePools and node groups it logged at run start: at every launch, the
 * capacity of a pool's live nodes (launched, not yet terminated, as Karpenter counts a pool's resources) stays
 * within its limits, and a group's live nodes within its max; every size a group was scaled to lies in [min, max].
 * A group's node stops counting toward its size once Cluster Autoscaler scales the group down for it (a
 * `nodegroup.scaled` decrement, then the node's `node.cordoned`), not when it is finally terminated: deleting the
 * instance lowers the ASG's desired capacity at once and a terminating instance no longer counts, so the group may
 * launch a replacement while the old node is still draining.
 */
export interface CapacityCounts {
  nodepools: number;
  nodegroups: number;
  /** Launches checked against a pool's limits or a group's max. */
  launchChecks: number;
  /** nodegroup.scaled events checked against min and max. */
  scaleChecks: number;
  /** Launches by an owner the log defines neither as a NodePool nor as a node group: not checked. */
  undefinedOwner: number;
}

interface Owned {
  cpuMilli: number;
  memoryMiB: number;
  nodes: number;
}

export class CapacityReplay {
  readonly counts: CapacityCounts = { nodepools: 0, nodegroups: 0, launchChecks: 0, scaleChecks: 0, undefinedOwner: 0 };
  private readonly pools = new Map<string, NodePoolDefined>();
  private readonly groups = new Map<string, NodeGroupDefined>();
  private readonly owned = new Map<string, Owned>();
  /** Live nodes: name -> owner and capacity, so a termination gives back what the launch took. */
  private readonly live = new Map<string, { owner: string; cpuMilli: number; memoryMiB: number; leaving: boolean }>();
  /** Per group: scale-down decrements whose node has not been cordoned yet. */
  private readonly pendingDecrements = new Map<string, number>();

  constructor(
    readonly arm: string,
    private readonly report: (v: Violation) => void,
  ) {}

  apply(e: RunEvent): void {
    switch (e.type) {
      case 'nodepool.defined':
        this.pools.set(e.nodepool, e);
        this.counts.nodepools = this.pools.size;
        break;
      case 'nodegroup.defined':
        this.groups.set(e.group, e);
        this.counts.nodegroups = this.groups.size;
        break;
      case 'node.launched': {
        const o = this.ownedBy(e.owner);
        o.cpuMilli += e.cpuMilli;
        o.memoryMiB += e.memoryMiB;
        o.nodes++;
        this.live.set(e.node, { owner: e.owner, cpuMilli: e.cpuMilli, memoryMiB: e.memoryMiB, leaving: false });
        this.checkLaunch(e.t, e.node, e.owner, o);
        break;
      }
      case 'node.terminated': {
        const n = this.live.get(e.node);
        if (!n) break;
        this.live.delete(e.node);
        const o = this.ownedBy(n.owner);
        o.cpuMilli -= n.cpuMilli;
        o.memoryMiB -= n.memoryMiB;
        if (!n.leaving) o.nodes--;
        break;
      }
      case 'node.cordoned': {
        const n = this.live.get(e.node);
        const pending = n ? (this.pendingDecrements.get(n.owner) ?? 0) : 0;
        if (!n || n.leaving || pending === 0) break;
        this.pendingDecrements.set(n.owner, pending - 1);
        n.leaving = true;
        this.ownedBy(n.owner).nodes--;
        break;
      }
      case 'nodegroup.scaled': {
        const g = this.groups.get(e.group);
        if (!g) break;
        this.counts.scaleChecks++;
        if (e.to < g.min || e.to > g.max) {
          this.report({ t: e.t, arm: this.arm, subject: `nodegroup ${e.group}`, rule: 'node group size', detail: `scaled from ${e.from} to ${e.to}, outside min ${g.min} / max ${g.max}` });
        }
        if (e.to < e.from) this.pendingDecrements.set(e.group, (this.pendingDecrements.get(e.group) ?? 0) + e.from - e.to);
        break;
      }
      default:
        break;
    }
  }

  private ownedBy(owner: string): Owned {
    let o = this.owned.get(owner);
    if (!o) this.owned.set(owner, (o = { cpuMilli: 0, memoryMiB: 0, nodes: 0 }));
    return o;
  }

  private checkLaunch(t: number, node: string, owner: string, o: Owned): void {
    const pool = this.pools.get(owner);
    if (pool) {
      this.counts.launchChecks++;
      const { cpuMilli, memoryMiB } = pool.limits;
      if (cpuMilli !== undefined && o.cpuMilli > cpuMilli) {
        this.report({ t, arm: this.arm, subject: `nodepool ${owner} (launching ${node})`, rule: 'nodepool limits', detail: `cpu of its live nodes ${o.cpuMilli}m > limit ${cpuMilli}m` });
      }
      if (memoryMiB !== undefined && o.memoryMiB > memoryMiB) {
        this.report({ t, arm: this.arm, subject: `nodepool ${owner} (launching ${node})`, rule: 'nodepool limits', detail: `memory of its live nodes ${o.memoryMiB}Mi > limit ${memoryMiB}Mi` });
      }
      return;
    }
    const group = this.groups.get(owner);
    if (!group) {
      this.counts.undefinedOwner++;
      return;
    }
    this.counts.launchChecks++;
    if (o.nodes > group.max) {
      this.report({ t, arm: this.arm, subject: `nodegroup ${owner} (launching ${node})`, rule: 'node group size', detail: `${o.nodes} live nodes > max ${group.max}` });
    }
  }
}
