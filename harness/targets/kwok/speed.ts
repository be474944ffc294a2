import { UsageError } from '../../runner/errors.js';
import type { StageDelays } from './stages.js';

/**
 * `--speed N`: one wall second plays N scenario seconds. Every duration the control plane times on the scenario's
 * behalf is given in scenario time and run as wall = scenario / N, rounded to what the component accepts and held
 * at its floor (kind/README.md, "Speed", is the user-facing definition; keep the two in step).
 */

/** metrics-server refuses a --metric-resolution below 10 s: the hard floor of the metrics path. */
export const METRIC_RESOLUTION_FLOOR_MS = 10_000;
/** Below a second the HPA controller would only burn the machine's two CPUs on metrics that change every 10 s. */
export const HPA_SYNC_FLOOR_MS = 1_000;
/** The largest speed: beyond it every HPA timing sits on its floor and the figures mean little. */
export const MAX_SPEED = 100;

/** What the control plane times, in scenario milliseconds (Kubernetes' and metrics-server's usual values by default). */
export interface ScenarioTimings {
  /** kube-controller-manager --horizontal-pod-autoscaler-sync-period (Kubernetes' default 15 s; a scenario's hpa.syncPeriod). */
  hpaSyncPeriodMs: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (default 5 min). */
  hpaCpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (default 30 s). */
  hpaInitialReadinessDelayMs: number;
  /** metrics-server --metric-resolution: how often it scrapes kwok's kubelet metrics (15 s in its upstream manifest). */
  metricResolutionMs: number;
}

export const DEFAULT_TIMINGS: ScenarioTimings = {
  hpaSyncPeriodMs: 15_000,
  hpaCpuInitializationPeriodMs: 300_000,
  hpaInitialReadinessDelayMs: 30_000,
  metricResolutionMs: 15_000,
};

export function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 1 || speed > MAX_SPEED) {
    throw new UsageError(`speed must be a number from 1 to ${MAX_SPEED}, got ${speed}`, 'e.g. --speed 1 (real time) or --speed 10');
  }
  return speed;
}

/** A scenario duration as wall milliseconds at `speed`, never below `floorMs`. */
export function wallMs(scenarioMs: number, speed: number, floorMs = 0): number {
  return Math.max(floorMs, Math.round(scenarioMs / checkSpeed(speed)));
}

/** The kwok stage delays (boot, container start, shutdown) at `speed`: exact to the millisecond, no floor. */
export function wallDelays(delays: StageDelays, speed: number): StageDelays {
  return {
    nodeReadyMs: wallMs(delays.nodeReadyMs, speed),
    podReadyMs: wallMs(delays.podReadyMs, speed),
    podReadyJitterMs: wallMs(delays.podReadyJitterMs, speed),
    podDeleteMs: wallMs(delays.podDeleteMs, speed),
  };
}

/** kube-controller-manager's HPA flags for `timings` at `speed`. */
export function controllerManagerHpaFlags(timings: ScenarioTimings, speed: number): string[] {
  return [
    `--horizontal-pod-autoscaler-sync-period=${goDuration(wallMs(timings.hpaSyncPeriodMs, speed, HPA_SYNC_FLOOR_MS))}`,
    `--horizontal-pod-autoscaler-cpu-initialization-period=${goDuration(wallMs(timings.hpaCpuInitializationPeriodMs, speed))}`,
    `--horizontal-pod-autoscaler-initial-readiness-delay=${goDuration(wallMs(timings.hpaInitialReadinessDelayMs, speed))}`,
  ];
}

/** kube-controller-manager's --node-monitor-period default: how often the node lifecycle controller looks at nodes. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** Below this the node lifecycle controller would spin on a loaded machine for no gain. */
const NODE_MONITOR_FLOOR_MS = 200;

/**
 * The API server's default tolerations of the not-ready and unreachable taints (whole seconds, at least one) for
 * `evictionMs` of scenario time at `speed`: how long a NotReady node's pods stay before the taint-based eviction.
 */
export function apiserverTolerationFlags(evictionMs: number, speed: number): string[] {
  const seconds = Math.max(1, Math.round(wallMs(evictionMs, speed) / 1000));
  return [`--default-not-ready-toleration-seconds=${seconds}`, `--default-unreachable-toleration-seconds=${seconds}`];
}

/**
 * The node lifecycle controller's timings at `speed`: its monitoring period (a NotReady node is tainted within one
 * period), and the rates at which it taints NotReady nodes for eviction (0.1 node/s, 0.01 in a zone mostly down), so
 * that several nodes failing at once are tainted at the scenario's pace. Its disruption rules stay Kubernetes': no
 * eviction at all while every zone is down, none in a small cluster's zone that is more than 55% down.
 */
export function nodeMonitorFlags(speed: number): string[] {
  const rate = (perSecond: number): string => String(+(perSecond * checkSpeed(speed)).toPrecision(6));
  return [
    `--node-monitor-period=${goDuration(wallMs(NODE_MONITOR_PERIOD_MS, speed, NODE_MONITOR_FLOOR_MS))}`,
    `--node-eviction-rate=${rate(0.1)}`,
    `--secondary-node-eviction-rate=${rate(0.01)}`,
  ];
}

/**
 * metrics-server's timing flags at `speed`. Its resolution cannot go below 10 s wall, and its kubelet request
 * timeout must stay within 90% of the resolution (it refuses to start otherwise), so the timeout is half of it.
 */
export function metricsServerTimingFlags(timings: ScenarioTimings, speed: number): string[] {
  const resolution = wallMs(timings.metricResolutionMs, speed, METRIC_RESOLUTION_FLOOR_MS);
  return [`--metric-resolution=${goDuration(resolution)}`, `--kubelet-request-timeout=${goDuration(Math.floor(resolution / 2))}`];
}

/** The scenario-time resolution the metrics path really has at `speed` (larger than asked once the floor binds). */
export function effectiveMetricResolutionMs(timings: ScenarioTimings, speed: number): number {
  return wallMs(timings.metricResolutionMs, speed, METRIC_RESOLUTION_FLOOR_MS) * speed;
}

/** Milliseconds as a Go duration string. */
export function goDuration(ms: number): string {
  return `${Math.round(ms)}ms`;
}
