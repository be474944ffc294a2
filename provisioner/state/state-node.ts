import type { CapacityType } from '../runtime/events.js';
import { addInto, subInto, type Resources } from '../api/resources.js';
import type { Taint } from '../api/taints.js';
import type { StatePod } from './state-pod.js';

export type NodePhase = 'launching' | 'registered' | 'ready' | 'terminating' | 'terminated';

export interface NodeInit {
  name: string;
  instanceType: string;
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
  capacity: Resources;
  allocatable: Resources;
  labels: Record<string, string>;
  taints: Taint[];
  /** NodePool or node group name. */
  owner: string;
  ownerKind: 'nodepool' | 'nodegroup';
  /** Requests of the daemonsets that run on every node. */
  overhead: Resources;
  launchedAt: number;
  initial: boolean;
}

/** A node in the cluster state: in flight, ready, or on its way out. */
export class StateNode {
  readonly name: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: CapacityType;
  readonly pricePerHour: number;
  readonly capacity: Resources;
  readonly allocatable: Resources;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly owner: string;
  readonly ownerKind: 'nodepool' | 'nodegroup';
  readonly launchedAt: number;
  readonly initial: boolean;
  /** Sum of requests of bound pods plus daemonset overhead. */
  readonly requested: Resources;
  readonly pods = new Set<StatePod>();
  /** Pods of each workload bound here, for spread and anti-affinity. */
  readonly workloadCounts = new Map<string, number>();
  /** When each workload's image is (or will be) on this node: later pods of that workload skip the pull. */
  readonly images = new Map<string, number>();
  phase: NodePhase = 'launching';
  cordoned = false;
  readyAt: number | null = null;
  /** Pods bound and unbound so far: disruption notes when it changes, Karpenter's last pod event. */
  podEvents = 0;

  constructor(init: NodeInit) {
    this.name = init.name;
    this.instanceType = init.instanceType;
    this.zone = init.zone;
    this.capacityType = init.capacityType;
    this.pricePerHour = init.pricePerHour;
    this.capacity = init.capacity;
    this.allocatable = init.allocatable;
    this.labels = init.labels;
    this.taints = init.taints;
    this.owner = init.owner;
    this.ownerKind = init.ownerKind;
    this.launchedAt = init.launchedAt;
    this.initial = init.initial;
    this.requested = { ...init.overhead };
  }

  /** Counted toward capacity: launched and not yet on its way out. */
  get alive(): boolean {
    return this.phase === 'launching' || this.phase === 'registered' || this.phase === 'ready';
  }

  /** Accepting pods from the scheduler right now. */
  get schedulable(): boolean {
    return this.phase === 'ready' && !this.cordoned;
  }

  free(): Resources {
    return {
      cpu: this.allocatable.cpu - this.requested.cpu,
      memory: this.allocatable.memory - this.requested.memory,
      pods: this.allocatable.pods - this.requested.pods,
      gpu: this.allocatable.gpu - this.requested.gpu,
    };
  }

  countOf(workload: string): number {
    return this.workloadCounts.get(workload) ?? 0;
  }

  bind(pod: StatePod): void {
    this.pods.add(pod);
    this.podEvents++;
    addInto(this.requested, pod.spec.requests);
    this.workloadCounts.set(pod.spec.workload, this.countOf(pod.spec.workload) + 1);
  }

  unbind(pod: StatePod): void {
    if (!this.pods.delete(pod)) return;
    this.podEvents++;
    subInto(this.requested, pod.spec.requests);
    const left = this.countOf(pod.spec.workload) - 1;
    if (left > 0) this.workloadCounts.set(pod.spec.workload, left);
    else this.workloadCounts.delete(pod.spec.workload);
  }

  /** max(cpu, memory) requested over allocatable, daemonsets included, as Cluster Autoscaler measures it. */
  utilization(): number {
    return Math.max(this.requested.cpu / this.allocatable.cpu, this.requested.memory / this.allocatable.memory);
  }
}
