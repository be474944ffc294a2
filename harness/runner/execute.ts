import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { computeResults, computeResultsByArm, type MetricsContext, type SloThreshold } from '../metrics/compute.js';
import { LowerBound } from '../metrics/lower-bound.js';
import type { Results } from '../metrics/results.js';
import type { RunEvent, RecordedTarget } from '../../provisioner/runtime/events.js';
import { armLogs, JsonlFileWriter } from '../recorder/jsonl-file.js';
import { armOfferings } from '../sim/arm-offerings.js';
import { simulateArm } from '../sim/simulation.js';
import { stopwatch } from '../clock/wall-clock.js';
import type { RunMeta } from './run-meta.js';
import { plannedWork, RunProgress } from './work-estimate.js';

export interface ExecuteOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /**
   * Share of the whole run done (all arms), 0..1, weighted by estimated work (see work-estimate.ts); awaited, so it
   * may yield to the event loop or throw to stop.
   */
  onProgress?: (fraction: number, arm: string) => void | Promise<void>;
  /** Awaited between slices of the simulation and before computing results: where an interrupt is seen. */
  checkpoint?: () => Promise<void>;
}

export interface Execution {
  results: Results;
  events: RunEvent[];
  /** Virtual-clock timers fired across arms: the benchmark's unit of simulator work. */
  timersFired: number;
}

export const SPOT_PRICING_NOTE =
  'modelled: a deterministic discount per instance family (55-80%) with +/-5 points per zone; not AWS market data';
export const ON_DEMAND_PRICING_NOTE = 'AWS public on-demand Linux prices for us-east-1 (bundled snapshot, generated 2026-07-20)';

/** Runs every autoscaler arm of a scenario on the sim target, each on the same seed, and computes results.json. */
export async function executeScenario(scenario: Scenario, options: ExecuteOptions = {}): Promise<Execution> {
  const run: Scenario = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const catalog = new Catalog({ region: run.cluster.region, zones: run.cluster.zones });
  const events: RunEvent[] = [];
  const timersFired = await simulateArms(run, catalog, options, (out) => {
    // A loop, not push(...events): spreading a whole arm's log overflows the call stack at scale.
    for (const e of out) events.push(e);
  });
  await options.checkpoint?.();
  return { results: computeResults(events, metricsContext(run, catalog)), events, timersFired };
}

export interface LoggedExecution {
  results: Results;
  /** Events written to the log. */
  eventCount: number;
  /** The sim's virtual-clock timers fired; a live target has none. */
  timersFired?: number;
  /** Facts for run.json that only the target learns while it runs (a live run's speed and rate scale). */
  meta?: Partial<RunMeta>;
}

/**
 * executeScenario for a run on disk: each event goes to `logPath` (events.jsonl) as it happens, and the metrics
 * read the log back one arm at a time, so no more than one arm's events are ever in memory. The file
 * is byte for byte the toJsonl of executeScenario's events, and the results are the same.
 */
export async function executeScenarioToLog(scenario: Scenario, logPath: string, options: ExecuteOptions = {}): Promise<LoggedExecution> {
  const run: Scenario = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const catalog = new Catalog({ region: run.cluster.region, zones: run.cluster.zones });
  const log = new JsonlFileWriter(logPath);
  let timersFired;
  try {
    timersFired = await simulateArms(run, catalog, options, () => {}, (e) => log.write(e));
  } finally {
    log.close();
  }
  await options.checkpoint?.();
  return { results: resultsFromLog(run, logPath, 'sim', catalog), eventCount: log.count, timersFired };
}

/**
 * results.json from an event log on disk, read back one arm at a time: the one metrics path of every target. `run`
 * carries the seed the log was played with and every warning the run gave.
 */
export function resultsFromLog(run: Scenario, logPath: string, target: RecordedTarget, catalog = new Catalog({ region: run.cluster.region, zones: run.cluster.zones })): Results {
  return computeResultsByArm(armLogs(logPath), metricsContext(run, catalog, target));
}

/** Simulates each arm in turn; an arm's kept events go to `collect`, or every event to `onEvent` as it happens. */
async function simulateArms(
  run: Scenario,
  catalog: Catalog,
  options: ExecuteOptions,
  collect: (events: RunEvent[]) => void,
  onEvent?: (e: RunEvent) => void,
): Promise<number> {
  let timersFired = 0;
  const arms = run.autoscalers;
  const progress = options.onProgress ? new RunProgress(plannedWork(run), arms.length, stopwatch()) : null;
  for (let i = 0; i < arms.length; i++) {
    const arm = arms[i]!;
    const out = await simulateArm(run, arm, catalog, {
      onProgress: (f) => options.onProgress?.(progress!.at(i, f), arm.name),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      ...(onEvent ? { onEvent } : {}),
    });
    collect(out.events);
    timersFired += out.timersFired;
  }
  return timersFired;
}

function metricsContext(run: Scenario, catalog: Catalog, target: RecordedTarget = 'sim'): MetricsContext {
  return {
    scenario: { name: run.name, description: run.description, durationS: run.duration / 1000, seed: run.seed, target },
    phases: run.phases.map((p) => ({ name: p.name, startS: p.startMs / 1000, endS: p.endMs / 1000 })),
    slo: sloThresholds(run),
    lowerBounds: Object.fromEntries(run.autoscalers.map((a) => [a.name, new LowerBound(armOfferings(run, a, catalog))])),
    onDemandPrice: (type) => catalog.get(type)?.onDemandPrice,
    pricing: { onDemand: ON_DEMAND_PRICING_NOTE, spot: SPOT_PRICING_NOTE, spotInterruptions: spotInterruptionsNote(run) },
    warnings: run.warnings,
    ...(run.faults ? { faultSlo: Object.fromEntries(run.faults.map((f, i) => [i, f.slo])) } : {}),
  };
}

/** How the run treated Spot reclaims, for the cost caveat: a Spot arm's lead means little if nothing was reclaimed. */
export function spotInterruptionsNote(s: Scenario): string {
  const spec = s.cloud.spotInterruptions;
  const waves = (s.faults ?? []).filter((f) => f.type === 'spot-interruption').length;
  if (!spec && waves > 0) return `only the scenario's ${waves} spot-interruption fault(s) (faults:); no background reclaim rate (cloud.spotInterruptions is not set)`;
  if (!spec) return 'none in this run (cloud.spotInterruptions is not set): no Spot node was reclaimed, so a Spot arm paid nothing for replacement nodes or rescheduled pods';
  const overrides = spec.overrides.length ? `, ${spec.overrides.length} override(s)` : '';
  return `modelled at ${spec.ratePerHour} per Spot instance-hour${overrides}, each with a ${spec.warning / 1000} s warning (cloud.spotInterruptions)`;
}

/** Scenario SLOs, already in results.json's units by the schema. */
export function sloThresholds(s: Scenario): SloThreshold[] {
  return s.slo.map((slo) => ({ metric: slo.metric, op: slo.op, threshold: slo.threshold }));
}
