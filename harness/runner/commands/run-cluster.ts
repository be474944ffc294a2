import { join } from 'node:path';
import type { ExternalArmSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings, type ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { wallTimeIso } from '../../clock/wall-clock.js';
import { clusterExecutor, type ClusterConnection, type TargetSide } from '../../targets/cluster/execute-cluster.js';
import { clusterObjects, type PodMode } from '../../targets/cluster/cluster-objects.js';
import { newRunId } from '../../targets/cluster/run-label.js';
import { ensureTools, toolVersions } from '../../targets/kwok/tools.js';
import { liveRunWarnings } from '../../targets/live/execute-live.js';
import type { LiveParts } from '../../targets/live/parts.js';
import { realLiveParts } from '../../targets/live/real-parts.js';
import type { CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { EXIT, ValidationError, type ValidationIssue } from '../errors.js';
import { checkpointFor } from '../interrupt.js';
import { describeLivePlan } from '../live-plan.js';
import { printOutcome } from '../outcome.js';
import { prepareOutputFolder } from '../output-dir.js';
import { produceRun } from '../produce-run.js';
import { scenarioDigest } from '../scenario-digest.js';
import { burstlabVersion } from '../version.js';
import type { LiveRunOutput, LiveRunRequest } from './run-live.js';

export interface ClusterRunRequest extends LiveRunRequest {
  cluster: ClusterConnection;
  pods: PodMode;
  keep: boolean;
  /** Given by a game day on EKS, whose AWS resources carry the same id; a new one otherwise. */
  runId?: string;
  /** `eks` for a game day on EKS: what run.json, results.json and run.started record. */
  target?: 'cluster' | 'eks';
  /** What the target plays besides the workloads (EKS: the faults through FIS, node facts, live prices). */
  side?: TargetSide;
}

/** The arm a cluster run measures when the scenario names none: whatever the cluster runs, found by `detect: auto`. */
export const DEFAULT_EXTERNAL_ARM: ExternalArmSpec = { name: 'external', kind: 'external', detect: 'auto' };

/**
 * The one arm a cluster run plays: the scenario's `kind: external` arm, or DEFAULT_EXTERNAL_ARM when it has none;
 * the scenario's other arms are burstlab's own controllers, which a user's cluster does not run (a warning).
 */
export function externalArmOf(s: Pick<Scenario, 'autoscalers' | 'file'>): { arm: ExternalArmSpec; warnings: ScenarioWarning[] } {
  const external = s.autoscalers.filter((a): a is ExternalArmSpec => a.kind === 'external');
  if (external.length > 1) {
    const issues: ValidationIssue[] = s.autoscalers.flatMap((a, i) => (a.kind === 'external' && i > s.autoscalers.indexOf(external[0]!) ? [{ path: `autoscalers[${i}]`, message: `a second external arm ('${a.name}'): a cluster runs one autoscaler` }] : []));
    throw new ValidationError(s.file, issues, 'keep one kind: external arm');
  }
  const others = s.autoscalers.filter((a) => a.kind !== 'external').map((a) => a.name);
  const warnings = others.length > 0 ? [{ path: 'autoscalers', message: `${others.join(', ')} not played on target cluster: it measures the autoscaler the cluster runs, as the arm '${external[0]?.name ?? DEFAULT_EXTERNAL_ARM.name}'` }] : [];
  return { arm: external[0] ?? DEFAULT_EXTERNAL_ARM, warnings };
}

/** Faults on a user's cluster are theirs to opt into (the chaos issue); this target plays none. */
export function clusterFaultIssues(s: Pick<Scenario, 'faults'>): ValidationIssue[] {
  return (s.faults ?? []).map((_, i) => ({ path: `faults[${i}]`, message: 'target cluster injects no faults: a user\'s cluster is only ever changed where the user opted in, and this target has no such opt-in yet' }));
}

/**
 * The parts a cluster run drives: the kwok target's HTTP load and objects; the autoscaler is started by
 * startLiveAutoscaler, which for an external arm only watches; and no metrics path, since the HPAs read what the
 * cluster's own metrics pipeline reports.
 */
export function clusterParts(parts: LiveParts): LiveParts {
  const { controlPlane: _controlPlane, ...rest } = parts;
  return {
    ...rest,
    startLoadMetrics: async () => ({ setOfferedLoad: async () => undefined, notReading: async () => [], stop: async () => undefined }),
    components: { vegeta: toolVersions().vegeta },
  };
}

/**
 * `burstlab run --target cluster --kubeconfig <file>`: the same run folder as every target's (produce-run.ts),
 * played on a cluster the user runs, measuring its own autoscaler (execute-cluster.ts). On this thread, as the kwok
 * target: the loadgen process dies with the thread that started it.
 */
export async function runCluster(req: ClusterRunRequest, o: LiveRunOutput, io: CommandIO): Promise<number> {
  const { arm, warnings: armWarnings } = externalArmOf(req.scenario);
  const scenario: Scenario = { ...req.scenario, warnings: [...req.scenario.warnings, ...armWarnings] };
  const parts = clusterParts(io.liveParts ?? realLiveParts());
  if (req.dryRun) {
    const planned = clusterObjects({ ...scenario, autoscalers: [arm] }, req.speed, parts, '<run id>', req.pods);
    io.stdout.write(
      describePlan({ ...scenario, autoscalers: [arm] }, req.seed, 'cluster') +
        describeLivePlan(scenario, req.speed, planned.objects) +
        formatWarnings([...scenario.warnings, ...planned.warnings, ...liveRunWarnings(scenario, req.speed)]),
    );
    return EXIT.ok;
  }
  const say = (line: string): void => void (o.quiet ? undefined : io.stderr.write(`${scenario.name}: ${line}\n`));
  io.stderr.write(formatWarnings(scenario.warnings));
  await ensureTools(say);
  const runId = req.runId ?? newRunId(scenario.name, wallTimeIso());
  // Printed before anything is applied, even with -q: after a crash it is what cleanup needs.
  io.stderr.write(`${scenario.name}: run id ${runId}\n`);
  const folder = await prepareOutputFolder(req.out ?? join('runs', `${scenario.name}-cluster-seed${req.seed}`), { force: req.force });
  let results;
  try {
    results = await produceRun(
      {
        file: req.file,
        seed: req.seed,
        ...(req.budget ? { budget: req.budget } : {}),
        dir: folder.partial,
        reports: o.reports,
        gzipEvents: o.gzipEvents,
        meta: {
          schema: 'burstlab/run/v1',
          startedAt: wallTimeIso(),
          burstlabVersion: burstlabVersion(),
          nodeVersion: process.version,
          target: req.target ?? 'cluster',
          scenarioFile: req.file,
          argv: req.argv,
          components: { ...parts.components },
          scenarioDigest: scenarioDigest(scenario),
        },
      },
      { checkpoint: checkpointFor(io.signal), onStep: say },
      clusterExecutor({ cluster: req.cluster, runId, arm, warnings: armWarnings, pods: req.pods, speed: req.speed, parts, dir: folder.partial, signal: io.signal, progress: say, keep: req.keep, ...(req.target ? { target: req.target } : {}), ...(req.side ? { side: req.side } : {}) }),
    );
  } catch (err) {
    await folder.discard();
    throw err;
  }
  await folder.commit(io.signal);
  return printOutcome(results, { output: o.output, quiet: o.quiet, out: folder.path, reports: o.reports }, io);
}
