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
 *
 * The log carries the facts needed to re-check every placement invariant without the code that made the run
 * (`burstlab verify`, harness/verify): each node's allocatable room, labels and taints; each pod's requests and hard
 * scheduling constraints; each NodePool's and node group's definition. Optional fields are left out when empty, so
 * a log of many unconstrained pods stays small, and readers must accept logs written before a field existed.
 */
export type CapacityType = 'spot' | 'on-demand' | 'reserved';
export type TargetName = 'sim' | 'kwok' | 'kind' | 'eks';
/**
 * Where a log says its run was played: a target above, or `cluster`, a cluster the user already runs (its own
 * autoscaler measured as an external arm; no fault back end of its own, so TargetName does not include it).
 */
export type RecordedTarget = TargetName | 'cluster';

/** A node-selector requirement, as in a pod's node affinity or a NodePool's requirements (Kubernetes' operators). */
export interface LoggedRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface LoggedTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface LoggedToleration {
  key?: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: LoggedTaint['effect'];
}

/** The topology keys spread and anti-affinity may name in the log. */
export type LoggedTopologyKey = 'topology.kubernetes.io/zone' | 'kubernetes.io/hostname';

/** Requests of what runs on every node besides the log's pods (the sim's daemonsets): one pod slot each. */
export interface NodeOverhead {
  cpuMilli: number;
  memoryMiB: number;
  pods: number;
  gpu: number;
}

interface Base {
  t: number;
  autoscaler: string;
}

export interface RunStarted extends Base {
  type: 'run.started';
  target: RecordedTarget;
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

/**
 * A pod exists. Its requests, priority and hard scheduling constraints (what kube-scheduler must honour at bind):
 * each constraint field is present only when the pod has one. Preferences (ScheduleAnyway spread, preferred
 * affinity, PreferNoSchedule taints) only score nodes, so they are not logged.
 */
export interface PodCreated extends Base {
  type: 'pod.created';
  pod: string;
  /** Its Deployment. Spread and anti-affinity count pods of the same workload (the selector its pods share). */
  workload: string;
  /** Effective requests: the larger of the containers' sum and any init container. */
  cpuMilli: number;
  memoryMiB: number;
  gpu: number;
  /** PriorityClass value (0 without one); negative for over-provisioning placeholders. */
  priority: number;
  /** True for pods that exist before the scenario starts: they are not counted in pod-to-ready. */
  initial?: boolean;
  /** spec.nodeSelector: labels the node must carry. */
  nodeSelector?: Record<string, string>;
  /**
   * Required node affinity: node selector terms, any one of which must match (each term's requirements all hold).
   * The sim's workloads have one term.
   */
  nodeAffinity?: LoggedRequirement[][];
  /**
   * Taints the pod tolerates; a node's NoSchedule and NoExecute taints must all be tolerated. Tolerations of the
   * transient taints node.launched leaves out (node.kubernetes.io/*...) are left out too.
   */
  tolerations?: LoggedToleration[];
  /** whenUnsatisfiable: DoNotSchedule spread constraints over pods of the same workload. */
  topologySpread?: Array<{ topologyKey: LoggedTopologyKey; maxSkew: number }>;
  /** Required pod anti-affinity against pods of the same workload: no two in one domain of each key. */
  podAntiAffinity?: LoggedTopologyKey[];
  /**
   * Constraints a live recorder saw but the log cannot express (a selector naming other pods, matchFields, pod
   * affinity...), one line each: `burstlab verify` reports them as not checked.
   */
  unrecorded?: string[];
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
  /**
   * For an eviction or a node's termination: why the node was being taken away (a DisruptionReason, or
   * 'Interrupted' for a Spot reclaim). The disruption-impact metric counts pods per cause; absent for other deletions.
   */
  cause?: DisruptionReason;
}

/**
 * A node was requested from the cloud: the start of node launch latency. It carries what the node will offer, so
 * every later bind to it can be checked from the log alone.
 */
export interface NodeLaunched extends Base {
  type: 'node.launched';
  node: string;
  instanceType: string;
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
  /**
   * Capacity as the kubelet reports it (Node status.capacity): the instance's vCPUs, and its memory less what the
   * hypervisor keeps. NodePool limits count these.
   */
  cpuMilli: number;
  memoryMiB: number;
  /**
   * Allocatable (Node status.allocatable): capacity less kube-reserved, system-reserved and the hard eviction
   * threshold (provisioner/catalog/overhead.ts). allocatablePods is the node's max pods, allocatableGpu its GPUs.
   * Absent in logs written before the contract had them.
   */
  allocatableCpuMilli?: number;
  allocatableMemoryMiB?: number;
  allocatablePods?: number;
  allocatableGpu?: number;
  /**
   * What runs on every node besides the log's pods (the sim's daemonsets, which it does not log as pods):
   * the room left for the log's pods is allocatable minus this. Absent when nothing does (live targets log
   * daemonset pods as pods).
   */
  daemonsetOverhead?: NodeOverhead;
  /** The node's labels (well-known, NodePool or node group, zone, capacity type, hostname). */
  labels?: Record<string, string>;
  /**
   * Its taints, without the transient ones Kubernetes and Karpenter manage (node.kubernetes.io/*, karpenter.sh/
   * unregistered and disruption): cordons are node.cordoned events. Absent when it has none.
   */
  taints?: LoggedTaint[];
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

/**
 * A Karpenter NodePool as the arm runs it, logged at run start: its effective requirements (Karpenter's defaults
 * and the cluster's zones included), what they allow, and its limits.
 */
export interface NodePoolDefined extends Base {
  type: 'nodepool.defined';
  nodepool: string;
  weight: number;
  requirements: LoggedRequirement[];
  /** Labels and taints every node of the pool gets. */
  labels: Record<string, string>;
  taints: LoggedTaint[];
  /** Total capacity (node.launched cpuMilli / memoryMiB) the pool's live nodes may add up to; absent: unlimited. */
  limits: { cpuMilli?: number; memoryMiB?: number };
  /** Instance types, zones and capacity types the requirements allow (types with an allowed offering). */
  instanceTypes: string[];
  zones: string[];
  capacityTypes: CapacityType[];
  consolidationPolicy: string;
  /** ms; null for Never. */
  consolidateAfterMs: number | null;
  expireAfterMs: number | null;
}

/** A Cluster-Autoscaler-style node group (an ASG of one shape), logged at run start. */
export interface NodeGroupDefined extends Base {
  type: 'nodegroup.defined';
  group: string;
  instanceType: string;
  capacityType: CapacityType;
  zones: string[];
  min: number;
  max: number;
  /** False for a fixed group (system nodes) no autoscaler changes. */
  autoscaled: boolean;
  labels: Record<string, string>;
  taints: LoggedTaint[];
  /** The shape of each of its nodes, as node.launched gives it. */
  cpuMilli: number;
  memoryMiB: number;
  allocatableCpuMilli: number;
  allocatableMemoryMiB: number;
  allocatablePods: number;
  allocatableGpu: number;
}

/** Cluster-Autoscaler-style: a node group's desired size was raised or lowered. */
export interface NodeGroupScaled extends Base {
  type: 'nodegroup.scaled';
  group: string;
  from: number;
  to: number;
  expander: string;
}

/**
 * Why Karpenter takes a node away (its v1 budget reasons, plus the forceful ones): Empty, Underutilized and Drifted
 * are budgeted disruption methods; Expired (expireAfter) and Interrupted (a Spot reclaim, a scheduled change, an
 * instance stopping) are not.
 */
export type DisruptionReason = 'Empty' | 'Underutilized' | 'Drifted' | 'Expired' | 'Interrupted';

/** Upstream's drift reasons (the NodeClaim's Drifted condition): a static field, the requirements, or the cloud's offer changed. */
export type DriftReason = 'NodePoolDrifted' | 'RequirementsDrifted' | 'InstanceTypeNotFound';

/** Karpenter's disruption methods, in the order its controller tries them each round. */
export type DisruptionMethod = 'emptiness' | 'drift' | 'multi-node-consolidation' | 'single-node-consolidation' | 'expiration' | 'interruption';

/**
 * An autoscaler decided to take nodes away (after the decision was validated again): the nodes, what replaces them
 * (instance types of the replacement claims, cheapest first; empty for a delete), and the hourly saving it expects.
 */
export interface DisruptionDecided extends Base {
  type: 'disruption.decided';
  method: DisruptionMethod;
  reason: DisruptionReason;
  nodes: string[];
  /** The replacement claims' names; their node.launched events follow. Empty when the nodes are only deleted. */
  replacements: string[];
  /** Instance types the replacement may be launched as, cheapest first (truncated), as on claim.created. */
  replacementTypes: string[];
  /** Price per hour of the nodes removed minus that of the replacements (0 for forceful reasons). */
  savingsPerHour: number;
  /** Pods on the nodes that will be evicted. */
  pods: number;
  /** For the drift method: why the node drifted. */
  driftReason?: DriftReason;
}

/**
 * Why a node that a disruption method looked at was not disrupted this round: logged for every node under-used past
 * consolidateAfter (and every drifted or expired node) at least once per round in which it stays blocked, so that
 * "why was this node not consolidated" has an answer in the log.
 */
export interface DisruptionBlocked extends Base {
  type: 'disruption.blocked';
  node: string;
  nodepool: string;
  reason: DisruptionReason;
  blockedBy:
    | 'budget'
    | 'do-not-disrupt-pod'
    | 'do-not-disrupt-node'
    | 'pdb'
    | 'pods-do-not-fit'
    | 'no-cheaper-replacement'
    | 'spot-to-spot'
    | 'spot-to-spot-disabled'
    | 'balanced-score'
    | 'consolidate-after'
    | 'validation-failed';
  /** The specifics in words: the budget and its window, the pod and its PDB, the cheapest replacement's price... */
  detail: string;
}

/** A drain could not evict a pod because of its PodDisruptionBudget (the Eviction API's 429); it is retried. */
export interface EvictionBlocked extends Base {
  type: 'eviction.blocked';
  pod: string;
  node: string;
  pdb: string;
}

/**
 * The cloud told the autoscaler something is about to happen to an instance (the EC2 events Karpenter's interruption
 * queue receives): a Spot interruption warning (terminated at `deadlineT`, 2 minutes later on AWS), a rebalance
 * recommendation, a scheduled change, or a state change (stopping, terminated).
 */
export interface NodeInterruption extends Base {
  type: 'node.interruption';
  node: string;
  kind: 'spot-interruption' | 'rebalance-recommendation' | 'scheduled-change' | 'state-change';
  /** When the instance will be gone (ms since the run's epoch), for a warning that has a deadline. */
  deadlineT?: number;
}

/**
 * A CloudProvider call an autoscaler made failed (throttling, an outage, a refusal; for a node group's launch also
 * insufficient capacity, which the provisioner instead answers by falling back to another offering), and what the
 * autoscaler does about it. A launch that failed launched nothing: the provisioner drops its claim and provisions for
 * its pods again, Cluster Autoscaler backs the group off. A termination that failed leaves the instance running (and
 * billed) until a retry succeeds.
 */
export interface CloudError extends Base {
  type: 'cloud.error';
  operation: 'create' | 'delete';
  /** The node (instance) the call was about. */
  node: string;
  error: string;
  /** When the same call is made again; absent when the caller does not retry it as such. */
  retryInMs?: number;
}

/**
 * A fault of the scenario's plan (harness/chaos/plan.ts), logged at the run's start for each injection: what will
 * be injected when, so a log says what was meant to happen even where the injection found nothing to hit.
 */
export interface ChaosPlanned extends Base {
  type: 'chaos.planned';
  /** The injection's id, `faults[i]` (and `#n` for the n-th of a repeated fault): chaos.injected and chaos.recovered carry it. */
  id: string;
  fault: string;
  /** ms since the epoch. */
  atT: number;
  /** When a fault with a duration ends; absent for one that ends when its targets are gone. */
  untilT?: number;
  detail: string;
}

/**
 * A fault took effect. `targets` are what it hit: nodes (or, for a withdrawal or a capacity shortage, offerings
 * `type/zone/capacityType`; for an autoscaler crash, the arm). Faults of the scenario's plan carry their `id`, and
 * `pods`: the pods on the nodes hit at that instant, which lose their node (the fault's displaced pods).
 */
export interface ChaosInjected extends Base {
  type: 'chaos.injected';
  fault: string;
  targets: string[];
  detail: string;
  id?: string;
  pods?: string[];
}

/** A fault of the plan ended: its window closed, its nodes came back or are gone, the autoscaler restarted. */
export interface ChaosRecovered extends Base {
  type: 'chaos.recovered';
  id: string;
  fault: string;
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
  | NodePoolDefined
  | NodeGroupDefined
  | NodeGroupScaled
  | DisruptionDecided
  | DisruptionBlocked
  | EvictionBlocked
  | NodeInterruption
  | CloudError
  | ChaosPlanned
  | ChaosInjected
  | ChaosRecovered;

export type EventType = RunEvent['type'];
export type EventOf<T extends EventType> = Extract<RunEvent, { type: T }>;

/** What an emitter supplies: the recorder stamps `t` and `autoscaler`. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 't' | 'autoscaler'> : never) : never;
