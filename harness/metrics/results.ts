/**
 * The shape of results.json: everything here is computed from the event log (harness/metrics), never from the
 * simulator's internals, and holds no wall-clock time, so the same scenario and seed give byte-identical files.
 * Durations are seconds; money is US dollars.
 */
import type { RecordedTarget } from '../../provisioner/runtime/events.js';

export const RESULTS_SCHEMA = 'burstlab/results/v1';

export interface Quantiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Every measured pod (priority >= 0, not already Ready when the run started) in exactly one bucket: created = ready + neverReady +
 * abandoned. `ready`: became Ready (a pod deleted after that is still ready). `neverReady`: still not Ready when the
 * run ended. `abandoned`: deleted or preempted before it was ever Ready.
 */
export interface PodCounts {
  created: number;
  ready: number;
  neverReady: number;
  abandoned: number;
}

/**
 * The pod-to-ready of the pods that became Ready (`readyWait`), and the wait until deletion of the pods given up
 * before it (`abandonedWait`, over pods.abandoned). Absent in runs saved before they were recorded.
 */
export interface PodWaits {
  readyWait: Quantiles;
  abandonedWait: Quantiles;
}

export interface PodToReady extends Quantiles {
  /** The split of pod-to-ready: waiting for a node to be Ready, then scheduling onto it, then start-up. */
  split: { waitingForNode: Quantiles; scheduling: Quantiles; startup: Quantiles };
}

export interface CostMetrics {
  totalUSD: number;
  byCapacityType: Record<string, number>;
  /**
   * The same node-hours priced on-demand: how much of a cost difference between arms is the Spot discount rather
   * than what was launched. Null when a Spot or reserved node's type has no on-demand price in the catalog.
   */
  atOnDemandUSD: number | null;
  /** What no placement of this arm's running pods could undercut: see `definitions.costLowerBound`. */
  lowerBoundUSD: number;
  /** totalUSD / lowerBoundUSD; null when the bound is 0 (nothing ran on this arm's nodes): no ratio exists. */
  ratioToLowerBound: number | null;
  per1kRequestsUSD: number;
  /** Share of paid allocatable CPU (see `definitions.idleShare`) that no pod requested. */
  idleShare: number;
}

export interface SloCheck {
  /** e.g. 'podToReady.p99', 'requests.successRate'. */
  metric: string;
  op: '<=' | '>=';
  threshold: number;
  /**
   * The run's value; null when the run gives the metric none (a quantile over no pods, the ratio over a zero lower
   * bound). Such a check fails: an SLO that cannot be judged is not met.
   */
  actual: number | null;
  passed: boolean;
}

export interface PhaseMetrics {
  name: string;
  startS: number;
  endS: number;
  /** Pods created in the phase, and their pod-to-ready wherever their wait ended. */
  pods: PodCounts;
  podToReady: Quantiles;
  requests: { total: number; failed: number; successRate: number };
  peakPendingPods: number;
  peakNodes: number;
}

export interface SlowPod {
  pod: string;
  workload: string;
  createdS: number;
  readyS: number | null;
  podToReadyS: number;
  /**
   * 'waited for a node' | 'scheduling' | 'start-up' for a pod that became Ready; 'abandoned while waiting for a
   * node' (or '... while scheduling', '... while starting up') for one deleted before it was Ready; 'never ready
   * (waiting for a node)' and so on for one still waiting at the end. `podToReadyS` is its wait until then.
   */
  dominantPhase: string;
  node: string | null;
  nodeLaunchedS: number | null;
  nodeReadyS: number | null;
  instanceType: string | null;
}

export interface Unsatisfiable {
  pod: string;
  reason: string;
  atS: number;
}

/**
 * What taking capacity away did (harness/metrics/disruption.ts). Counts are of the log's events; maps are keyed by
 * the event's own vocabulary (DisruptionMethod, DisruptionReason, a blocker, an interruption kind), sorted by key.
 */
export interface DisruptionMetrics {
  /** disruption.decided events, by method and by reason. */
  decisions: { total: number; byMethod: Record<string, number>; byReason: Record<string, number> };
  /** Nodes in decisions that launched no replacement (deleted), and in decisions that did (replaced). */
  nodesRemoved: number;
  nodesReplaced: number;
  /** Sum of the decisions' expected hourly savings (the rate saved from each decision on, not dollars saved). */
  savingsPerHourUSD: number;
  /** node.interruption notices, by kind. */
  interruptions: { total: number; byKind: Record<string, number> };
  /** Pods (priority >= 0) deleted with a cause, by cause. */
  podsDisrupted: { total: number; byCause: Record<string, number> };
  /** See `definitions.disruptionImpact`; seconds, by cause. */
  podSecondsUnavailable: { total: number; byCause: Record<string, number> };
  /**
   * disruption.blocked events (one per blocked node per round) by what blocked them (`blockedBy`), the distinct
   * nodes they name, and the evictions a PodDisruptionBudget refused (eviction.blocked).
   */
  blocked: { total: number; byReason: Record<string, number>; nodes: number; evictionsByPdb: number };
}

/**
 * What one injected fault of the scenario's plan did to an arm (harness/metrics/fault-impact.ts explains each
 * number). Durations in seconds; capacity per hour in US dollars.
 */
export interface FaultImpact {
  /** The injection's id in the plan, `faults[i]` or `faults[i]#n`. */
  id: string;
  fault: string;
  atS: number;
  /** When the fault itself ended (chaos.recovered); null for one that never does (a node that stays NotReady). */
  endedS: number | null;
  /** Nodes (or offerings, or the arm) it hit. */
  targets: number;
  detail: string;
  /** From the injection until displaced and delayed pods are Ready again; `open` when some never were (endS = run end). */
  impactWindow: { startS: number; endS: number; seconds: number; open: boolean };
  pods: { displaced: number; recovered: number; unrecovered: number; notReplaced: number; delayed: number };
  /** Displaced pods' time from the injection to their replacement's Ready. */
  recovery: Quantiles;
  /** Traffic inside the impact window. */
  requests: { total: number; failed: number; successRate: number; latencyP95Ms: number };
  /** Minutes of the window breaking the request SLOs; null when the scenario sets none. */
  sloMinutesInViolation: number | null;
  capacity: { lostNodes: number; lostCpuMilli: number; lostUSDPerHour: number; boughtNodes: number; boughtCpuMilli: number; boughtUSDPerHour: number };
  /** The fault's own SLOs (`faults[i].slo`), when it sets any. */
  slo?: { passed: boolean; checks: SloCheck[] };
}

export interface AutoscalerResult {
  name: string;
  kind: string;
  podToReady: PodToReady;
  decisionLatency: Quantiles;
  nodeLaunchLatency: Quantiles;
  nodes: { peak: number; average: number; launched: number; terminated: number };
  nodeHours: Record<string, number>;
  instanceTypes: Record<string, number>;
  cost: CostMetrics;
  podMinutesPending: number;
  pods: PodCounts & Partial<PodWaits>;
  requests: { total: number; failed: number; successRate: number; latencyP95Ms: number };
  /** Minutes of sample windows breaking the request SLOs; null when the scenario sets no request SLO. */
  sloMinutesInViolation: number | null;
  phases: PhaseMetrics[];
  slowestPods: SlowPod[];
  unsatisfiable: Unsatisfiable[];
  disruption: DisruptionMetrics;
  /** Per injected fault, in injection order; absent when the scenario injects none (harness/chaos/). */
  faults?: FaultImpact[];
  slo: { passed: boolean; checks: SloCheck[] };
}

export interface Comparison {
  /**
   * Metric name -> each arm's value and which is better. A value is null for an arm where the metric has none (a
   * quantile over no samples, a ratio over a zero bound); such a metric has no winner.
   */
  metrics: Array<{ metric: string; better: 'lower' | 'higher'; values: Record<string, number | null>; winner: string | null }>;
}

export interface Definitions {
  podToReady: string;
  decisionLatency: string;
  nodeLaunchLatency: string;
  costLowerBound: string;
  idleShare: string;
  disruptionImpact: string;
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  scenario: { name: string; description: string; durationS: number; seed: number; target: RecordedTarget };
  phases: Array<{ name: string; startS: number; endS: number }>;
  /** Spot prices on the sim are modelled, not observed: reports must say so. */
  pricing: {
    onDemand: string;
    spot: string;
    /** Whether and how Spot reclaims were modelled, in words; absent in runs saved before they could be. */
    spotInterruptions?: string;
  };
  /** What the less obvious numbers mean, in words, so results.json can be read without the code. */
  definitions: Definitions;
  /** What the scenario says that burstlab accepted but does not model (scenarios/schema/warnings.ts), with paths. */
  warnings: Array<{ path: string; message: string }>;
  autoscalers: AutoscalerResult[];
  comparison: Comparison;
}
