import { join } from 'node:path';
import type { Budget } from '../../../scenarios/schema/budget.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings } from '../../../scenarios/schema/warnings.js';
import { wallTimeIso } from '../../clock/wall-clock.js';
import { ensureTools, toolVersions } from '../../targets/kwok/tools.js';
import { liveExecutor, liveObjects, liveRunWarnings } from '../../targets/live/execute-live.js';
import { realLiveParts } from '../../targets/live/real-parts.js';
import { prepareUpstreamArms } from '../../targets/live/upstream-karpenter.js';
import type { CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { EXIT } from '../errors.js';
import { checkpointFor } from '../interrupt.js';
import { describeLivePlan } from '../live-plan.js';
import { printOutcome } from '../outcome.js';
import { prepareOutputFolder } from '../output-dir.js';
import { produceRun } from '../produce-run.js';
import { scenarioDigest } from '../scenario-digest.js';
import { burstlabVersion } from '../version.js';

export interface LiveRunRequest {
  file: string;
  scenario: Scenario;
  seed: number;
  speed: number;
  budget?: Partial<Budget>;
  argv: string[];
  dryRun: boolean;
  out?: string;
  force: boolean;
}

export interface LiveRunOutput {
  output: 'table' | 'json';
  quiet: boolean;
  reports: boolean;
  gzipEvents: boolean;
}

/**
 * `burstlab run --target kwok`: the same run folder as the sim's (produce-run.ts), played on a kwok control plane
 * per arm. On this thread, not a worker: the control plane's processes die with the thread that started them
 * (processes.ts), and a signal reaches the run at once because a live run's work is I/O, never a long computation.
 */
export async function runLive(req: LiveRunRequest, o: LiveRunOutput, io: CommandIO): Promise<number> {
  const { scenario, speed } = req;
  // Tests drive the orchestration with doubles of the parts; a user's run gets the real ones.
  const parts = io.liveParts ?? realLiveParts();
  if (req.dryRun) {
    const planned = liveObjects(scenario, speed, parts);
    io.stdout.write(
      describePlan(scenario, req.seed, 'kwok') +
        describeLivePlan(scenario, speed, planned.objects) +
        formatWarnings([...scenario.warnings, ...planned.warnings, ...liveRunWarnings(scenario, speed)]),
    );
    return EXIT.ok;
  }
  const say = (line: string): void => void (o.quiet ? undefined : io.stderr.write(`${scenario.name}: ${line}\n`));
  io.stderr.write(formatWarnings(scenario.warnings));
  const versions = toolVersions();
  const tools = await ensureTools(say);
  const upstream = await prepareUpstreamArms(scenario, say);
  const folder = await prepareOutputFolder(req.out ?? join('runs', `${scenario.name}-kwok-seed${req.seed}`), { force: req.force });
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
          target: 'kwok',
          scenarioFile: req.file,
          argv: req.argv,
          components: { kubernetes: versions.kubernetes, etcd: versions.etcd, kwok: versions.kwok, ...parts.components, ...upstream },
          scenarioDigest: scenarioDigest(scenario),
        },
      },
      { checkpoint: checkpointFor(io.signal), onStep: say, onProgress: (f, arm) => say(`${arm} done (${Math.round(f * 100)}% of the arms)`) },
      liveExecutor({ speed, parts, tools, versions, dir: folder.partial, signal: io.signal, progress: say }),
    );
  } catch (err) {
    await folder.discard();
    throw err;
  }
  await folder.commit(io.signal);
  return printOutcome(results, { output: o.output, quiet: o.quiet, out: folder.path, reports: o.reports }, io);
}
