import { join } from 'node:path';
import type { AutoscalerSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings, type ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { JsonlFileWriter } from '../../recorder/jsonl-file.js';
import { resultsFromLog } from '../../runner/execute.js';
import type { ScenarioExecutor } from '../../runner/produce-run.js';
import { LIVE_ARMS_DIR } from '../../runner/run-meta.js';
import { burstlabVersion } from '../../runner/version.js';
import type { ToolPaths, ToolVersions } from '../kwok/tools.js';
import { scenarioObjects, type LiveObjects } from './manifests.js';
import type { LiveParts } from './parts.js';
import { runLiveArm } from './run-arm.js';

export interface LiveRunSettings {
  /** Scenario seconds per wall second, >= 1. */
  speed: number;
  parts: LiveParts;
  tools: ToolPaths;
  versions: ToolVersions;
  /** The run folder being written: each arm's cluster and logs go to <dir>/arms/<arm>/. */
  dir: string;
  signal: AbortSignal;
  /** Progress lines for stderr. */
  progress?: (line: string) => void;
  /** Wall ms an arm's warm-up may take (run-arm.ts WARM_UP_MS by default). */
  warmUpMs?: number;
}

/** Everything a live run applies, in order, and what it cannot express: the scenario's objects, then the parts'. */
export function liveObjects(scenario: Scenario, speed: number, parts: Pick<LiveParts, 'objects'>): LiveObjects {
  const own = scenarioObjects(scenario, speed);
  const theirs = parts.objects(scenario, speed);
  return { objects: [...own.objects, ...theirs.objects], warnings: [...own.warnings, ...theirs.warnings] };
}

/**
 * An arm burstlab runs itself, as run.json's armComponents lists it: burstlab's model of its kind at burstlab's
 * version, and its settings as the scenario gives them (durations in ms).
 */
export function bundledComponents(arm: AutoscalerSpec): Record<string, string> {
  const name = `burstlab ${arm.kind} model (arm ${arm.name})`;
  const settings = Object.entries(arm)
    .filter(([k]) => k !== 'name' && k !== 'kind')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return { [name]: burstlabVersion(), [`${name} settings`]: settings.join(' ') };
}

/** What a live run plays differently from the sim, whatever its objects: said in results.json and the report. */
export function liveRunWarnings(s: Scenario, speed: number): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  if (speed > 1) {
    out.push({
      path: '--speed',
      message:
        `the run played ${speed} scenario seconds per wall second; API round trips, watch latency, scheduling and controller work take real ` +
        `time and are not compressed, so each costs ${speed} times its real duration in scenario time: pod-to-ready, decision and node-launch ` +
        'latencies read high by that much of the control plane\'s own share (run at --speed 1 for the unbiased figures)',
    });
  }
  if (s.changes.length > 0) out.push({ path: 'changes', message: 'NodePool changes are not played on a live target yet: the NodePools keep the spec they start with' });
  if (s.cloud.spotInterruptions) out.push({ path: 'cloud.spotInterruptions', message: 'Spot interruptions are not raised on a live target yet: no node is reclaimed' });
  return out;
}

/**
 * The kwok target's executor for produce-run.ts: each arm in turn on its own fresh control plane (run-arm.ts),
 * its events appended to the one event log, and results.json computed from it by the sim's own metrics path.
 * Runs on the thread that owns the child processes (processes.ts: their parent-death signal is per thread).
 */
export function liveExecutor(settings: LiveRunSettings): ScenarioExecutor {
  return async (scenario, logPath, options) => {
    const run: Scenario = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
    const { speed, parts } = settings;
    const { objects, warnings } = liveObjects(run, speed, parts);
    const runWarnings = [...warnings, ...liveRunWarnings(run, speed)];
    for (const line of formatWarnings(runWarnings).trimEnd().split('\n')) if (line) settings.progress?.(line);
    const log = new JsonlFileWriter(logPath);
    const rateScales: number[] = [];
    const armComponents: Record<string, Record<string, string>> = {};
    try {
      for (const [i, arm] of run.autoscalers.entries()) {
        await options.checkpoint?.();
        const out = await runLiveArm({
          scenario: run,
          arm,
          dir: join(settings.dir, LIVE_ARMS_DIR, arm.name),
          speed,
          parts,
          objects,
          tools: settings.tools,
          versions: settings.versions,
          signal: settings.signal,
          ...(settings.progress ? { progress: settings.progress } : {}),
          ...(settings.warmUpMs === undefined ? {} : { warmUpMs: settings.warmUpMs }),
        });
        for (const e of out.events) log.write(e);
        rateScales.push(out.rateScale);
        armComponents[arm.name] = Object.keys(out.components).length > 0 ? out.components : bundledComponents(arm);
        for (const err of out.watchErrors) runWarnings.push({ path: `autoscalers[${i}]`, message: `a watch failed and resumed (events may be late): ${err}` });
        for (const w of out.loadWarnings) runWarnings.push({ path: `autoscalers[${i}]`, message: `the HTTP load: ${w}` });
        await options.onProgress?.((i + 1) / run.autoscalers.length, arm.name);
      }
    } finally {
      log.close();
    }
    const rateScale = rateScales.reduce((a, b) => Math.min(a, b), 1);
    if (rateScale < 1) {
      runWarnings.push({
        path: 'traffic',
        message: `the HTTP load sent ${+(rateScale * 100).toPrecision(3)}% of the scenario's request rates, all this machine could send; request metrics are from that share`,
      });
    }
    const results = resultsFromLog({ ...run, warnings: [...run.warnings, ...runWarnings] }, logPath, 'kwok');
    return { results, eventCount: log.count, meta: { speed, rateScale, armComponents } };
  };
}
