import type { PodSpec } from '../api/pod.js';
import type { StateNode } from './state-node.js';

export type PodPhase = 'pending' | 'bound' | 'ready' | 'terminating' | 'gone';

/** A pod in the cluster state. */
export class StatePod {
  node: StateNode | null = null;
  phase: PodPhase = 'pending';
  /** Set once the scheduler has failed to place it in the current pending episode. */
  unschedulableAt: number | null = null;
  /** When the kubelet took it (status.startTime): a do-not-disrupt duration counts from here. */
  startedAt: number | null = null;
  readyAt: number | null = null;
  /** Set while the pod waits for the victims it preempted to leave (kube-scheduler's nominatedNodeName). */
  nominatedNode: string | null = null;

  constructor(
    readonly name: string,
    readonly spec: PodSpec,
    readonly createdAt: number,
  ) {}

  get pending(): boolean {
    return this.phase === 'pending';
  }

  /** Pending, failed to schedule, and not waiting on a preemption: what autoscalers provision for. */
  get provisionable(): boolean {
    return this.phase === 'pending' && this.unschedulableAt !== null && this.nominatedNode === null;
  }
}
