import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeReports } from '../../../reports/index.js';
import { loadScenario } from '../../../scenarios/load.js';
import { formatWarnings } from '../../../scenarios/schema/warnings.js';
import { stopwatch, wallTimeIso, yieldToEventLoop } from '../../clock/wall-clock.js';
import { toJsonl } from '../../recorder/jsonl.js';
import { parseCommandArgs } from '../args.js';
import { BUDGET_OPTIONS, BUDGET_USAGE, budgetFromFlags } from '../budget-flags.js';
import { colourFor, paintTable } from '../colour.js';
import type { Command, CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { EXIT, RunError, UsageError } from '../errors.js';
import { executeScenario } from '../execute.js';
import { formatScenarioDuration } from '../human-units.js';
import { ProgressBar } from '../progress.js';
import type { RunMeta } from '../run-meta.js';
import { scenarioDigest } from '../scenario-digest.js';
import { parseJobs, parseSeeds } from '../seeds.js';
import { comparisonTable } from '../table.js';
import { verdictLine } from '../verdict-line.js';
import { burstlabVersion } from '../version.js';
import { runOnSeeds, seedsOutName } from './run-seeds.js';

const USAGE = `usage: burstlab run <scenario.yaml> [options]

Runs every autoscaler arm of the scenario on the same seed and traffic, and writes to the output folder:
events.jsonl (the event log), results.json (metrics), run.json (when and how), report.html, junit.xml, summary.md.

options:
  --out DIR       output folder (default: runs/<scenario>-seed<seed>); replaced whole when the run succeeds
  --seed N        override the scenario's seed
  --seeds N|LIST  run every arm on N seeds counting up from the scenario's seed (or --seed), or on a list
                  (--seeds 42,7,9), in parallel on worker threads; reports medians with their spread [min-max]
                  and judges each SLO on the median (default --out: runs/<scenario>-seeds<first>-<last>)
  --jobs N        worker threads for --seeds (default: one per core, at most one per seed)
  --target NAME   where to run: sim (default). Live targets: see 'burstlab cluster'.
  --dry-run       validate and print the plan (arms, node groups, NodePools, traffic per phase, SLOs); write nothing
  --no-report     skip report.html, junit.xml and summary.md
  -o, --output FORMAT
                  table (default): the comparison table and the verdict line on stdout;
                  json: results.json's content on stdout and nothing else (progress and messages on stderr)
  -q, --quiet     no progress and no table: only errors and the one-line verdict
                  (e.g. 'market-open: cluster-autoscaler FAIL (podToReady.p99 215.2 s > 180 s), karpenter pass')
${BUDGET_USAGE}

Colour on a terminal only; NO_COLOR turns it off, FORCE_COLOR on.

exit codes: 0 ok, 1 an SLO failed, 2 invalid input, 3 run error`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario and compare its autoscalers',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', args, OPTIONS);
    if (positionals.length !== 1) throw new UsageError('run takes exactly one scenario file', 'burstlab run scenarios/market-open.yaml');
    if (values.target !== 'sim') {
      throw new UsageError(`target '${values.target}' cannot run scenarios yet`, "use --target sim; 'burstlab cluster up --target kwok' brings up the live control plane");
    }
    const output = outputFormat(values.output);
    if (output === 'json' && values['dry-run']) throw new UsageError('--dry-run prints a plan for people; -o json is for results', 'drop one of --dry-run and -o json');
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) {
      throw new UsageError(`--seed '${values.seed}' is not a whole number from 0 to 4294967295`, 'e.g. --seed 42');
    }
    const file = positionals[0]!;
    const jobs = parseJobs(values.jobs);
    const scenario = await loadScenario(file, { budget: budgetFromFlags('run', values) });
    const seeds = values.seeds === undefined ? undefined : parseSeeds(values.seeds, seed ?? scenario.seed);
    if (jobs !== undefined && !(seeds && seeds.length > 1)) throw new UsageError('--jobs applies only to a run on several seeds', 'add --seeds N, or drop --jobs');
    if (seed !== undefined && values.seeds?.includes(',')) throw new UsageError('--seed and a list in --seeds: which seeds to run is unclear', 'put every seed in the list, e.g. --seeds 42,7,9');
    if (values['dry-run']) {
      io.stdout.write(describePlan(scenario, seed ?? scenario.seed) + formatWarnings(scenario.warnings));
      return EXIT.ok;
    }
    io.stderr.write(formatWarnings(scenario.warnings));
    if (seeds && seeds.length > 1) {
      const out = resolve(values.out ?? join('runs', seedsOutName(scenario.name, seeds)));
      return runOnSeeds({ file, scenario, seeds, jobs, quiet: values.quiet, noReport: values['no-report'], argv: ['run', ...args], out, output }, io, writeAtomically);
    }
    const out = resolve(values.out ?? join('runs', `${scenario.name}-seed${seed ?? scenario.seed}`));
    const startedAt = wallTimeIso();
    const elapsed = stopwatch();
    const progress = values.quiet ? null : new ProgressBar(io.stderr, scenario.name);
    let execution;
    try {
      execution = await executeScenario(scenario, {
        ...(seed === undefined ? {} : { seed }),
        onProgress: async (f, arm) => {
          progress?.update(f, arm);
          await yieldToEventLoop();
          if (io.signal.aborted) throw new RunError('interrupted', 'nothing was written; run it again to get results');
        },
      });
    } catch (err) {
      if (err instanceof RunError) throw err;
      throw new RunError(`the simulation of ${scenario.name} failed`, 'this is a bug in burstlab: please report it with the scenario file', { cause: err });
    }
    const { results, events } = execution;
    progress?.done(`simulated ${results.autoscalers.length} arm(s) x ${formatScenarioDuration(scenario.duration)} in ${(elapsed() / 1000).toFixed(1)} s`);

    const meta: RunMeta = {
      schema: 'burstlab/run/v1',
      startedAt,
      finishedAt: wallTimeIso(),
      burstlabVersion: burstlabVersion(),
      nodeVersion: process.version,
      target: 'sim',
      scenarioFile: file,
      argv: ['run', ...args],
      components: {},
      scenarioDigest: scenarioDigest(scenario),
    };
    const resultsJson = JSON.stringify(results, null, 2) + '\n';
    await writeAtomically(out, async (dir) => {
      progress?.step(`writing events.jsonl (${events.length.toLocaleString('en-US')} events)`);
      await writeFile(join(dir, 'events.jsonl'), toJsonl(events));
      progress?.step('writing results.json and run.json');
      await writeFile(join(dir, 'results.json'), resultsJson);
      await writeFile(join(dir, 'run.json'), JSON.stringify(meta, null, 2) + '\n');
      if (!values['no-report']) {
        progress?.step('writing report.html, junit.xml and summary.md');
        await writeReports(dir, results, events, meta);
      }
    });
    const wrote = `wrote ${out}${values['no-report'] ? '' : `/report.html`}\n`;
    if (output === 'json') {
      io.stdout.write(resultsJson);
      io.stderr.write(verdictLine(results, colourFor(io.stderr)));
      if (!values.quiet) io.stderr.write(wrote);
    } else {
      const colour = colourFor(io.stdout);
      if (!values.quiet) io.stdout.write(paintTable(comparisonTable(results), colour) + '\n');
      io.stdout.write(verdictLine(results, colour));
      if (!values.quiet) io.stdout.write(wrote);
    }
    return results.autoscalers.every((a) => a.slo.passed) ? EXIT.ok : EXIT.sloFailed;
  },
};

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  jobs: { type: 'string' },
  target: { type: 'string', default: 'sim' },
  'dry-run': { type: 'boolean', default: false },
  'no-report': { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  output: { type: 'string', short: 'o', default: 'table' },
  ...BUDGET_OPTIONS,
} as const;

function outputFormat(value: string): 'table' | 'json' {
  if (value === 'table' || value === 'json') return value;
  throw new UsageError(`--output '${value}' is not one of: table, json`, 'e.g. -o json; the output folder is --out DIR');
}

/** Writes into a sibling temporary folder and swaps it in only when everything succeeded: no partial output. */
async function writeAtomically(out: string, write: (dir: string) => Promise<void>): Promise<void> {
  const tmp = `${out}.partial-${process.pid}`;
  await mkdir(dirname(out), { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await write(tmp);
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw new RunError(`could not write the run to ${out}`, 'check that the folder is writable and the disk has room', { cause: err });
  }
}
