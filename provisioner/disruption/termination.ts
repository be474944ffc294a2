import type { Clock } from '../runtime/clock.js';
import type { DisruptionReason } from '../runtime/events.js';
import type { Recorder } from '../runtime/recorder.js';
import type { CloudProvider } from '../cloudprovider/cloud-provider.js';
import { terminate } from '../cloudprovider/terminate.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';
import { doNotDisruptActive } from './do-not-disrupt.js';
import { describePdb, desiredHealthy, type PdbView } from './pdb.js';

export interface TerminationDeps {
  clock: Clock;
  recorder: Recorder;
  cloud: CloudProvider;
  pdbs: PdbView;
  /** The Eviction API: deletes the pod gracefully, its controller replaces it; `cause` says why its node goes. */
  evict(pod: StatePod, cause: DisruptionReason): void;
  /** Deletes a pod at once, without the Eviction API: a forceful drain's deadline has come. */
  deletePod(pod: StatePod, cause: DisruptionReason): void;
  /** How long a drain waits before asking again for evictions a PDB refused (Karpenter's eviction queue backs off to 10 s). */
  retryMs?: number;
}

/**
 * Karpenter's termination controller, the one drain every disruption uses: a node already cordoned (tainted
 * karpenter.sh/disrupted) has its pods evicted one by one through the Eviction API, which refuses an eviction its
 * PodDisruptionBudget does not allow (`eviction.blocked`, logged once per pod and drain) and is asked again every
 * `retryMs`; a pod whose karpenter.sh/do-not-disrupt is active is not evicted (one protected for a while is, once
 * its time is up: the drain looks again every `retryMs`). Once no pod is left on the node, its instance is
 * terminated (and the termination retried until the cloud accepts it: cloudprovider/terminate.ts).
 *
 * API for every caller (consolidation, drift, expiration, interruption): `drain(node, cause, options)`. A forceful
 * caller passes `deadlineT` (terminationGracePeriod after the drain began): at that instant the pods still there are
 * deleted whatever their PDBs or annotations say, and the instance is terminated.
 */
export class Terminator {
  private readonly draining = new Map<string, { cause: DisruptionReason; blocked: Set<string>; deadlineT: number | null; done?: () => void }>();

  constructor(private readonly deps: TerminationDeps) {}

  /** Nodes being drained or terminated by this controller. */
  isDraining(node: string): boolean {
    return this.draining.has(node);
  }

  /** Starts draining a cordoned node; `done` is called when its instance is asked to terminate. A second call is ignored. */
  drain(node: StateNode, cause: DisruptionReason, options: { deadlineT?: number; done?: () => void } = {}): void {
    if (this.draining.has(node.name)) return;
    this.draining.set(node.name, { cause, blocked: new Set(), deadlineT: options.deadlineT ?? null, ...(options.done ? { done: options.done } : {}) });
    this.pass(node);
  }

  private pass(node: StateNode): void {
    const d = this.draining.get(node.name)!;
    const { clock, pdbs, recorder } = this.deps;
    const forced = d.deadlineT !== null && clock.now() >= d.deadlineT;
    const pods = [...node.pods].filter((p) => p.phase !== 'terminating' && p.phase !== 'gone').sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const pod of pods) {
      if (forced) {
        this.deps.deletePod(pod, d.cause);
        continue;
      }
      if (doNotDisruptActive(pod, clock.now())) continue;
      const pdb = pdbs.budgetOf(pod.spec.workload);
      if (pdb && !this.mayEvict(pod)) {
        if (!d.blocked.has(pod.name)) {
          d.blocked.add(pod.name);
          recorder.emit({ type: 'eviction.blocked', pod: pod.name, node: node.name, pdb: describePdb(pdb) });
        }
        continue;
      }
      this.deps.evict(pod, d.cause);
    }
    if (forced || node.pods.size === 0) {
      this.draining.delete(node.name);
      terminate(this.deps, node.name, d.cause);
      d.done?.();
      return;
    }
    const retry = this.deps.retryMs ?? 5_000;
    const wait = d.deadlineT !== null && d.deadlineT > clock.now() ? Math.min(retry, d.deadlineT - clock.now()) : retry;
    // Pods already evicted leave after their grace period: look again soon for an empty node.
    const anyLeaving = [...node.pods].some((p) => p.phase === 'terminating');
    clock.setTimer(anyLeaving ? Math.min(wait, 1_000) : wait, () => this.pass(node));
  }

  /**
   * The Eviction API's check: a Ready pod may go while its PDB allows a disruption; a pod that is not Ready may go
   * while the budget is met without it (Kubernetes' IfHealthyBudget policy).
   */
  private mayEvict(pod: StatePod): boolean {
    const pdb = this.deps.pdbs.budgetOf(pod.spec.workload)!;
    const { healthy, expected } = this.deps.pdbs.health(pod.spec.workload);
    const desired = desiredHealthy(pdb, expected);
    return pod.phase === 'ready' ? healthy - 1 >= desired : healthy >= desired;
  }
}
