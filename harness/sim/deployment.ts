import type { PodSpec } from '../../provisioner/api/pod.js';
import type { StatePod } from '../../provisioner/state/state-pod.js';
import type { WorkloadScaled } from '../../provisioner/runtime/events.js';
import type { PodLifecycle } from './pod-lifecycle.js';
import type { World } from './world.js';

/**
 * A Deployment and its ReplicaSet: keeps `desired` pods alive, replacing any that are deleted by something else
 * (eviction, node loss, preemption), and removes surplus pods in the ReplicaSet controller's order.
 */
export class Deployment {
  desired: number;
  private readonly live = new Set<StatePod>();
  private seq = 0;

  constructor(
    private readonly world: World,
    private readonly pods: PodLifecycle,
    readonly spec: PodSpec,
    initial: number,
  ) {
    this.desired = initial;
  }

  get name(): string {
    return this.spec.workload;
  }

  /** Pods counted toward the replica count (not terminating). */
  get active(): number {
    return this.live.size;
  }

  readyCount(): number {
    let n = 0;
    for (const p of this.live) if (p.phase === 'ready') n++;
    return n;
  }

  /** Creates the initial pods without waking the scheduler: the caller places them before time starts. */
  createInitial(): StatePod[] {
    this.world.recorder.emit({ type: 'workload.scaled', workload: this.name, from: 0, to: this.desired, reason: 'initial' });
    const out: StatePod[] = [];
    while (this.live.size < this.desired) out.push(this.createPod(true));
    return out;
  }

  scale(to: number, reason: WorkloadScaled['reason']): void {
    if (to === this.desired) return;
    this.world.recorder.emit({ type: 'workload.scaled', workload: this.name, from: this.desired, to, reason });
    this.desired = to;
    this.reconcile();
  }

  /** Called when one of its pods is deleted: the ReplicaSet no longer counts it and replaces it if still wanted. */
  forget(pod: StatePod): void {
    if (this.live.delete(pod)) this.reconcile();
  }

  private reconcile(): void {
    while (this.live.size < this.desired) this.createPod(false);
    if (this.live.size > this.desired) {
      const victims = [...this.live].sort(deletionOrder(this.live)).slice(0, this.live.size - this.desired);
      for (const v of victims) {
        this.live.delete(v);
        this.pods.delete(v, 'scale-down');
      }
    }
  }

  private createPod(initial: boolean): StatePod {
    const pod = this.pods.create(`${this.name}-${++this.seq}`, this.spec, initial);
    this.live.add(pod);
    return pod;
  }
}

const PHASE_RANK: Record<string, number> = { pending: 0, bound: 1, ready: 2 };

/**
 * The ReplicaSet controller's ranking of pods to delete first: unscheduled before scheduled, not ready before ready,
 * pods doubled up on a node before lone ones, more recently ready before longer ready, newer before older.
 */
function deletionOrder(live: ReadonlySet<StatePod>): (a: StatePod, b: StatePod) => number {
  const perNode = new Map<string, number>();
  for (const p of live) if (p.node) perNode.set(p.node.name, (perNode.get(p.node.name) ?? 0) + 1);
  const doubled = (p: StatePod): number => (p.node ? (perNode.get(p.node.name) ?? 0) : 0);
  return (a, b) =>
    (PHASE_RANK[a.phase] ?? 0) - (PHASE_RANK[b.phase] ?? 0) ||
    doubled(b) - doubled(a) ||
    (b.readyAt ?? 0) - (a.readyAt ?? 0) ||
    b.createdAt - a.createdAt ||
    (a.name < b.name ? 1 : -1);
}
