import { join } from 'node:path';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings } from '../../../scenarios/schema/warnings.js';
import { wallTimeIso } from '../../clock/wall-clock.js';
import { armClusterName, kindExecutor } from '../../targets/kind/execute-kind.js';
import { DEFAULT_MAX_KIND_NODES } from '../../targets/kind/kind-cloud-provider.js';
import { kindObjects } from '../../targets/kind/kind-objects.js';
import { pinnedVersion } from '../../targets/kwok/tools.js';
import { liveRunWarnings } from '../../targets/live/execute-live.js';
import type { CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { EXIT, UsageError, type ValidationIssue } from '../errors.js';
import { checkpointFor } from '../interrupt.js';
import { describeLivePlan } from '../live-plan.js';
import { printOutcome } from '../outcome.js';
import { prepareOutputFolder } from '../output-dir.js';
import { produceRun } from '../produce-run.js';
import { scenarioDigest } from '../scenario-digest.js';
import { burstlabVersion } from '../version.js';
import type { LiveRunOutput, LiveRunRequest } from './run-live.js';

export interface KindRunRequest extends LiveRunRequest {
  /** --kind-nodes: the most kind worker containers an arm runs at once. */
  maxNodes: number;
}

/**
 * What `run --target kind` does not play yet: traffic (vegeta into the real Service) and HPAs (metrics-server on the
 * pods' real CPU), so such a scenario is refused rather than run with numbers that would say nothing.
 */
export function kindScenarioIssues(s: Pick<Scenario, 'traffic' | 'workloads'>): ValidationIssue[] {
  const issues: ValidationIssue[] = s.traffic.map((_, i) => ({ path: `traffic[${i}]`, message: 'target kind sends no HTTP load yet: a run would report no requests' }));
  s.workloads.forEach((w, i) => {
    if (w.hpa) issues.push({ path: `workloads[${i}].hpa`, message: 'target kind runs no metrics-server yet: an HPA would never scale' });
  });
  return issues;
}

/** --kind-nodes: a whole number from 1 (DEFAULT_MAX_KIND_NODES when absent). */
export function parseKindNodes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_KIND_NODES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--kind-nodes '${value}' is not a whole number of at least 1`, `e.g. --kind-nodes ${DEFAULT_MAX_KIND_NODES}`);
  return n;
}

/**
 * `burstlab run --target kind`: the same run folder as every target's (produce-run.ts), each arm on its own kind
 * cluster with real kubelets, its nodes launched by the bundled arm as kind worker containers (execute-kind.ts).
 */
export async function runKind(req: KindRunRequest, o: LiveRunOutput, io: CommandIO): Promise<number> {
  const { scenario, speed } = req;
  if (req.dryRun) {
    const planned = kindObjects(scenario, speed, { objects: () => ({ objects: [], warnings: [] }) }, '<workload image>');
    io.stdout.write(
      describePlan(scenario, req.seed, 'kind') +
        describeLivePlan(scenario, speed, planned.objects) +
        `kind: one cluster per arm (${scenario.autoscalers.map((a, i) => `${a.name} on ${armClusterName(i)}`).join(', ')}), at most ${req.maxNodes} worker node(s) each\n` +
        formatWarnings([...scenario.warnings, ...planned.warnings, ...liveRunWarnings(scenario, speed)]),
    );
    return EXIT.ok;
  }
  const say = (line: string): void => void (o.quiet ? undefined : io.stderr.write(`${scenario.name}: ${line}\n`));
  io.stderr.write(formatWarnings(scenario.warnings));
  const folder = await prepareOutputFolder(req.out ?? join('runs', `${scenario.name}-kind-seed${req.seed}`), { force: req.force });
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
          target: 'kind',
          scenarioFile: req.file,
          argv: req.argv,
          components: { kubernetes: pinnedVersion('KUBERNETES_VERSION'), kind: pinnedVersion('KIND_VERSION') },
          scenarioDigest: scenarioDigest(scenario),
        },
      },
      { checkpoint: checkpointFor(io.signal), onStep: say, onProgress: (f, arm) => say(`${arm} done (${Math.round(f * 100)}% of the arms)`) },
      kindExecutor({ speed, maxNodes: req.maxNodes, dir: folder.partial, signal: io.signal, progress: say }),
    );
  } catch (err) {
    await folder.discard();
    throw err;
  }
  await folder.commit(io.signal);
  return printOutcome(results, { output: o.output, quiet: o.quiet, out: folder.path, reports: o.reports }, io);
}
