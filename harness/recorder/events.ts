/**
 * The event log: the contract between every target and everything downstream (DESIGN.md, principle 4).
 * One JSON object per line in `events.jsonl`. Metrics and reports read only these, so a run on the sim, kwok or EKS
 * is measured by the same code, and a saved log can be re-reported later.
 *
 * Every event carries:
 * - `t`: milliseconds since the run's epoch (integer; live targets keep millisecond precision),
 * - `autoscaler`: the name of the autoscaler arm that produced it (one log may interleave several arms),
 * - `type`: one of the kinds below.
 * Resource quantities are integers: CPU in millicores, memory in MiB.
 */
export type CapacityType = 'spot' | 'on-demand' | 'reserved';
export type TargetName = 'sim' | 'kwok' | 'kind' | 'eks';

interface Base {
  t: number;
  autoscaler: string;
}

export interface RunStarted extends Base {
  type: 'run.started';
  target: TargetName;
  scenario: string;
  seed: number;
  /** Wall-clock instant `t = 0` stands for: the scenario's virtual start on the sim, the real start on live targets. */
  epoch: string;
  /** 'karpenter' | 'cluster-autoscaler' | an external autoscaler's kind on live targets. */
  kind: string;
}

export interface RunFinished extends Base {
  type: 'run.finished';
}

/** One traffic sample per workload per sample interval: offered load and what the ready pods could serve. */
export interface TrafficSample extends Base {
  type: 'traffic.sample';
  workload: string;
  /** Offered requests per second. */
  rps: number;
  /** Requests per second served successfully. */
  servedRps: number;
  /** Modelled or measured p95 request latency in ms. */
  latencyMs: number;
  /** Length of the sample window in ms: rps x window = requests in it. */
  windowMs: number;
}

/** A workload's desired replica count changed (HPA, a schedule, or the scenario). */
export interface WorkloadScaled extends Base {
  type: 'workload.scaled';
  workload: string;
  from: number;
  to: number;
  reason: 'initial' | 'hpa' | 'schedule' | 'manual';
}

export interface PodCreated extends Base {
  type: 'pod.created';
  pod: string;
  workload: string;
  cpuMilli: number;
  memoryMiB: number;
  gpu: number;
  priority: number;
  /** True for pods that exist before the scenario starts: they are not counted in pod-to-ready. */
  initial?: boolean;
}

/** The scheduler found no node for the pod; emitted once per pending episode. */
export interface PodUnschedulable extends Base {
  type: 'pod.unschedulable';
  pod: string;
  reason: string;
}

/** An autoscaler decided it cannot place the pod on any node it may launch (larger than every allowed type...). */
export interface PodUnsatisfiable extends Base {
  type: 'pod.unsatisfiable';
  pod: string;
  reason: string;
}

/** An autoscaler reserved room for the pod on a node it is launching (Karpenter's nomination). */
export interface PodNominated extends Base {
  type: 'pod.nominated';
  pod: string;
  node: string;
}

export interface PodScheduled extends Base {
  type: 'pod.scheduled';
  pod: string;
  node: string;
}

export interface PodReady extends Base {
  type: 'pod.ready';
  pod: string;
}

/** The pod is gone from the API (after graceful termination): its node's room is free from here on. */
export interface PodDeleted extends Base {
  type: 'pod.deleted';
  pod: string;
  reason: 'scale-down' | 'evicted' | 'node-terminated' | 'preempted' | 'run-end';
}

/** A node was requested from the cloud: the start of node launch latency. */
export interface NodeLaunched extends Base {
  type: 'node.launched';
  node: string;
  instanceType: string;
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
  cpuMilli: number;
  memoryMiB: number;
  /**
   * Allocatable as the kubelet reports it: capacity less kube-reserved, system-reserved and the eviction threshold
   * (daemonset requests not taken off). Optional: a log without it has allocatable in `cpuMilli`/`memoryMiB`.
   */
  allocatableCpuMilli?: number;
  allocatableMemoryMiB?: number;
  /** NodePool name (Karpenter) or node group name (Cluster Autoscaler). */
  owner: string;
  /** True for nodes that exist before the scenario starts. */
  initial: boolean;
}

export interface NodeRegistered extends Base {
  type: 'node.registered';
  node: string;
}

export interface NodeReady extends Base {
  type: 'node.ready';
  node: string;
}

export interface NodeCordoned extends Base {
  type: 'node.cordoned';
  node: string;
  reason: string;
}

export interface NodeTerminated extends Base {
  type: 'node.terminated';
  node: string;
  reason: string;
}

/** Karpenter-style: a NodeClaim was created for pending pods. */
export interface ClaimCreated extends Base {
  type: 'claim.created';
  claim: string;
  nodepool: string;
  /** Instance types the claim could still be launched as, cheapest first (truncated). */
  instanceTypes: string[];
  pods: number;
}

/** Cluster-Autoscaler-style: a node group's desired size was raised or lowered. */
export interface NodeGroupScaled extends Base {
  type: 'nodegroup.scaled';
  group: string;
  from: number;
  to: number;
  expander: string;
}

export interface ChaosInjected extends Base {
  type: 'chaos.injected';
  fault: string;
  targets: string[];
  detail: string;
}

export type RunEvent =
  | RunStarted
  | RunFinished
  | TrafficSample
  | WorkloadScaled
  | PodCreated
  | PodUnschedulable
  | PodUnsatisfiable
  | PodNominated
  | PodScheduled
  | PodReady
  | PodDeleted
  | NodeLaunched
  | NodeRegistered
  | NodeReady
  | NodeCordoned
  | NodeTerminated
  | ClaimCreated
  | NodeGroupScaled
  | ChaosInjected;

export type EventType = RunEvent['type'];
export type EventOf<T extends EventType> = Extract<RunEvent, { type: T }>;

/** What an emitter supplies: the recorder stamps `t` and `autoscaler`. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 't' | 'autoscaler'> : never) : never;
