import type { Taint } from '../../../provisioner/api/taints.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import { UNREACHABLE_TAINT, type PodLifecycle } from '../../sim/pod-lifecycle.js';
import type { World } from '../../sim/world.js';

/** What the node lifecycle controller puts on a node whose kubelet stopped reporting: nothing new schedules there. */
const UNREACHABLE: Taint = { key: UNREACHABLE_TAINT, effect: 'NoSchedule' };

/**
 * Nodes whose kubelet stopped (a node failure, a zone outage), as Kubernetes treats them: the node turns NotReady, is
 * tainted so nothing new lands there, and its pods stop being Ready (their endpoints go; one still starting does not turn Ready); once the pods' default
 * toleration of the unreachable taint runs out (`evictionTimeout`, 300 s by default) they are deleted and their
 * controllers replace them elsewhere. A node that comes back before then gets its pods back Ready. The node stays in
 * the cluster (and billed) either way: neither autoscaler removes an unready node here.
 */
export class NodeOutages {
  private readonly down = new Map<StateNode, number>();

  constructor(
    private readonly world: World,
    private readonly pods: PodLifecycle,
  ) {}

  isDown(node: StateNode): boolean {
    return (this.down.get(node) ?? 0) > 0;
  }

  /** Takes the node's kubelet away; returns the pods that lose it. */
  fail(node: StateNode, evictionTimeoutMs: number): string[] {
    const n = this.down.get(node) ?? 0;
    this.down.set(node, n + 1);
    if (n > 0) return [];
    node.taints.push(UNREACHABLE);
    const lost = [...node.pods];
    for (const pod of lost) if (pod.phase === 'ready') pod.phase = 'bound';
    this.world.clock.setTimer(evictionTimeoutMs, () => {
      if (!this.isDown(node)) return;
      for (const pod of [...node.pods]) this.pods.delete(pod, 'evicted');
    });
    return lost.map((p) => p.name);
  }

  /** The kubelet reports again: the taint goes, and pods still bound there are Ready again. */
  recover(node: StateNode): void {
    const n = (this.down.get(node) ?? 0) - 1;
    this.down.set(node, Math.max(0, n));
    if (n > 0) return;
    this.down.delete(node);
    const i = node.taints.indexOf(UNREACHABLE);
    if (i >= 0) node.taints.splice(i, 1);
    for (const pod of node.pods) {
      if (pod.phase !== 'bound') continue;
      if (pod.readyAt !== null) pod.phase = 'ready';
      else this.pods.start(pod, node);
    }
    this.world.wakeScheduler();
  }
}
