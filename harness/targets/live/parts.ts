import type { KubernetesObject } from '@kubernetes/client-node';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import type { ControlPlaneOptions } from '../kwok/control-plane.js';
import type { LiveContext, LiveHttpLoad, LiveLoadMetrics, StartLiveAutoscaler } from './seams.js';

/**
 * The live parts a `burstlab run --target kwok` drives, as factories: the orchestration (run-arm.ts) owns the
 * cluster, the objects, the clock and the teardown; each part owns what it starts and stops it in `stop()`.
 */
export interface LiveParts {
  startAutoscaler: StartLiveAutoscaler;
  /**
   * The metrics path the real HPAs read; the orchestration feeds it the offered load on the scenario clock, every
   * sample window from the same draws the HTTP load plays (traffic-driver.ts), so VegetaLoad's onOfferedLoad need
   * not be wired to it as well.
   */
  startLoadMetrics(ctx: LiveContext): Promise<LiveLoadMetrics>;
  /** The HTTP load; the orchestration starts it at t = 0 and stops it at the scenario's end. */
  startHttpLoad(ctx: LiveContext): Promise<LiveHttpLoad>;
  /**
   * The objects the parts need besides the scenario's own (live/manifests.ts): each workload's
   * HorizontalPodAutoscaler (autoscaling/v2, named after its workload, in LIVE_NAMESPACE: scheduled scaling patches
   * its minReplicas) and Service, with durations divided by `speed`; and what they cannot express, as warnings.
   */
  objects(scenario: Scenario, speed: number): { objects: KubernetesObject[]; warnings: ScenarioWarning[] };
  /** Versions of the programs the parts run (metrics-server, vegeta...), for run.json. */
  components: Record<string, string>;
  /**
   * Settings of each arm's control plane the parts need (`metrics: true` for metrics-server behind the aggregation
   * layer, the HPA controller's `timings` in scenario time...), over the orchestration's own (the run's `speed`).
   */
  controlPlane?(scenario: Scenario, speed: number): ControlPlaneSettings;
}

/** What a part may set of a control plane: everything but where it lives and how it is run. */
export type ControlPlaneSettings = Partial<Omit<ControlPlaneOptions, 'dir' | 'tools' | 'versions' | 'lifetime' | 'signal' | 'log'>>;
