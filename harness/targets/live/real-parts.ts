import type { KubernetesObject } from '@kubernetes/client-node';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { workloadService } from '../../traffic/service-manifest.js';
import { VegetaLoad } from '../../traffic/vegeta.js';
import { toolPaths, toolVersions } from '../kwok/tools.js';
import { startLiveAutoscaler } from './autoscaler.js';
import { controllerSyncPeriodMs, hpaManifest } from './hpa-manifest.js';
import { startLoadMetrics } from './load-metrics.js';
import type { ControlPlaneSettings, LiveParts } from './parts.js';

/**
 * The live parts `burstlab run --target kwok` drives by default: the bundled arms as live controllers
 * (autoscaler.ts), real HPAs reading kwok's emulated CPU usage through metrics-server (load-metrics.ts), and vegeta's
 * HTTP load against the loopback Service stand-in (harness/traffic/vegeta.ts).
 */
export function realLiveParts(): LiveParts {
  const versions = toolVersions();
  return {
    startAutoscaler: startLiveAutoscaler,
    startLoadMetrics: (ctx) => startLoadMetrics(ctx),
    startHttpLoad: async (ctx) => new VegetaLoad(ctx, { loadgenPath: toolPaths(versions).loadgen }),
    objects: partObjects,
    components: { 'metrics-server': versions.metricsServer, vegeta: versions.vegeta },
    controlPlane: controlPlaneFor,
  };
}

/** Each HPA workload's HorizontalPodAutoscaler and each workload with traffic its Service. */
function partObjects(scenario: Scenario, speed: number): { objects: KubernetesObject[]; warnings: ScenarioWarning[] } {
  const objects: KubernetesObject[] = [];
  const warnings: ScenarioWarning[] = [];
  for (const [i, w] of scenario.workloads.entries()) {
    if (!w.hpa) continue;
    const hpa = hpaManifest(w, speed);
    objects.push(hpa.manifest);
    for (const message of hpa.warnings) warnings.push({ path: `workloads[${i}].hpa`, message });
  }
  for (const name of new Set(scenario.traffic.map((t) => t.workload))) objects.push(workloadService(name));
  return { objects, warnings };
}

/** metrics-server behind the aggregation layer, and the HPA controller's one sync period (the shortest asked for). */
function controlPlaneFor(scenario: Scenario): ControlPlaneSettings {
  const sync = controllerSyncPeriodMs(scenario.workloads);
  return { metrics: true, ...(sync.ms !== undefined ? { timings: { hpaSyncPeriodMs: sync.ms } } : {}) };
}
