/**
 * The shape of results.json: everything here is computed from the event log (harness/metrics), never from the
 * simulator's internals, and holds no wall-clock time, so the same scenario and seed give byte-identical files.
 * Durations are seconds; money is US dollars.
 */
import type { TargetName } from '../recorder/events.js';

export const RESULTS_SCHEMA = 'burstlab/results/v1';

export interface Quantiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PodToReady extends Quantiles {
  /** The split of pod-to-ready: waiting for a node to be Ready, then scheduling onto it, then start-up. */
  split: { waitingForNode: Quantiles; scheduling: Quantiles; startup: Quantiles };
}

export interface CostMetrics {
  totalUSD: number;
  byCapacityType: Record<string, number>;
  /** Cheapest fractional cover of the requested CPU and memory, integrated over the run. */
  lowerBoundUSD: number;
  ratioToLowerBound: number;
  per1kRequestsUSD: number;
  /** Share of paid node capacity (by CPU) that no pod requested. */
  idleShare: number;
}

export interface SloCheck {
  /** e.g. 'podToReady.p99', 'requests.successRate'. */
  metric: string;
  op: '<=' | '>=';
  threshold: number;
  actual: number;
  passed: boolean;
}

export interface PhaseMetrics {
  name: string;
  startS: number;
  endS: number;
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
  /** 'waited for a node' | 'scheduling' | 'start-up' | 'never ready' */
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
  pods: { created: number; ready: number; neverReady: number };
  requests: { total: number; failed: number; successRate: number; latencyP95Ms: number };
  sloMinutesInViolation: number;
  phases: PhaseMetrics[];
  slowestPods: SlowPod[];
  unsatisfiable: Unsatisfiable[];
  slo: { passed: boolean; checks: SloCheck[] };
}

export interface Comparison {
  /** Metric name -> which autoscaler is better and by how much (relative, against the worse one). */
  metrics: Array<{ metric: string; better: 'lower' | 'higher'; values: Record<string, number>; winner: string | null }>;
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  scenario: { name: string; description: string; durationS: number; seed: number; target: TargetName };
  phases: Array<{ name: string; startS: number; endS: number }>;
  /** Spot prices on the sim are modelled, not observed: reports must say so. */
  pricing: { onDemand: string; spot: string };
  /** What the scenario says that burstlab accepted but does not model (scenarios/schema/warnings.ts), with paths. */
  warnings: Array<{ path: string; message: string }>;
  autoscalers: AutoscalerResult[];
  comparison: Comparison;
}
