import type { ArmFaultHooks } from '../../chaos/kwok/live-chaos.js';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { Random } from '../../../provisioner/runtime/random.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { AutoscalerSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';

/**
 * The seams between a live run's orchestration (`burstlab run --target kwok`) and the live parts it drives: the
 * autoscaler under test, the metrics path a real HPA reads, and the HTTP load. Each has one real implementation per
 * target; the orchestration takes them injected, so it is tested on its own and every part is tested on its own.
 *
 * Time: every `Clock` here tells *scenario* time (ms since the arm's epoch). With `--speed N` one wall second is N
 * scenario seconds; implementations convert scenario durations to wall durations by dividing by `speed`, and report
 * every time they emit in scenario time.
 */
export interface LiveContext {
  /** Admin kubeconfig of the arm's cluster; it lives in the run folder and is deleted with the cluster. */
  kubeconfigPath: string;
  scenario: Scenario;
  clock: Clock;
  random: Random;
  recorder: Recorder;
  /** Scenario seconds per wall second (>= 1). */
  speed: number;
  /** Where a part writes its process logs (the arm's folder). */
  logDir: string;
}

/** An autoscaler arm running as a live controller against the cluster. */
export interface LiveAutoscaler {
  /** Stops its loops and watches; resolves when nothing of it runs any more. Never deletes what the run must keep. */
  stop(): Promise<void>;
  /**
   * External components the arm runs, for run.json's `components` and the report header: name to version, and
   * `<name> settings` to the settings it was started with (an arm burstlab runs itself has none).
   */
  readonly components?: Readonly<Record<string, string>>;
  /** What the arm could not do as the scenario says (rounded durations, unscaled timers): for the run's warnings. */
  readonly warnings?: readonly string[];
  /** What the scenario's faults may do to the arm itself (its cloud's knobs, its notices, its process); backend.ts refuses a fault that needs a part it lacks. */
  readonly faults?: ArmFaultHooks;
}

/** Starts the arm's controller: resolves once its informers have synced and it is acting on the cluster. */
export type StartLiveAutoscaler = (ctx: LiveContext, spec: AutoscalerSpec) => Promise<LiveAutoscaler>;

/**
 * What a real HPA reads: the offered load of a workload turned into its pods' CPU usage (kwok's emulated kubelet
 * metrics, scraped by metrics-server), usage per pod = load / Ready pods, so utilisation tracks `targetRpsPerPod`.
 */
export interface LiveLoadMetrics {
  /** The workload's offered load from now on, in requests per second of scenario time. */
  setOfferedLoad(workload: string, rps: number): Promise<void>;
  /**
   * The workloads whose HPA has not yet read a utilisation: a real HPA gets its first metrics only scrapes after
   * its pods start, and the sim's HPA is warm at t = 0, so the warm-up waits for none to be left.
   */
  notReading(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Real open-model HTTP load against a loopback stand-in for each workload's Service; emits traffic.sample events. */
export interface LiveHttpLoad {
  /** Plays the scenario's traffic on the context's clock until `stop`; rates scaled down by `rateScale` (<= 1). */
  start(): Promise<void>;
  /** The factor request rates were scaled by so that this machine can send them (1 = not scaled), for the report. */
  readonly rateScale: number;
  /** What went wrong without stopping the load (results outside every window, requests never reported), once stopped. */
  readonly warnings?: readonly string[];
  stop(): Promise<void>;
}

/**
 * Where a live run puts the scenario's namespaced objects: one namespace burstlab creates, so that nothing of the
 * user's is touched and cleaning up on a shared cluster is deleting what carries the run's label.
 */
export const LIVE_NAMESPACE = 'burstlab';

/** The label every object of a workload carries (pods included), valued with the workload's name. */
export const WORKLOAD_LABEL = 'app';
