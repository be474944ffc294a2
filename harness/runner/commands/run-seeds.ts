/**
 * `burstlab run --seeds`: the scenario on several seeds, in parallel on worker threads (harness/runner/seeds.ts).
 * The output folder holds results.json with the medians and spreads (harness/metrics/aggregate.ts), run.json, the
 * reports, and seeds/<seed>/results.json and events.jsonl exactly as a single-seed run of that seed writes them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeSeedsReports } from '../../../reports/seeds/index.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { stopwatch, wallTimeIso } from '../../clock/wall-clock.js';
import { aggregateSeeds, seedDir, type SeedsResults } from '../../metrics/aggregate.js';
import type { Results } from '../../metrics/results.js';
import { parseJsonl } from '../../recorder/jsonl.js';
import { colourFor, paintTable } from '../colour.js';
import type { CommandIO } from '../command.js';
import { EXIT, ValidationError } from '../errors.js';
import { ProgressBar } from '../progress.js';
import type { RunMeta } from '../run-meta.js';
import { scenarioDigest } from '../scenario-digest.js';
import { runSeeds, type SeedRun } from '../seeds.js';
import { seedsTable } from '../seeds-table.js';
import { seedsVerdictLine } from '../seeds-verdict-line.js';
import { burstlabVersion } from '../version.js';

export interface SeedsRunOptions {
  file: string;
  scenario: Scenario;
  seeds: number[];
  jobs: number | undefined;
  quiet: boolean;
  noReport: boolean;
  /** Each seed's log as events.jsonl.gz. */
  gzipEvents: boolean;
}

export interface SeedsCommandOptions extends SeedsRunOptions {
  argv: string[];
  out: string;
  /** json: the aggregate results.json on stdout and nothing else. */
  output: 'table' | 'json';
}

/** Writes a run folder whole or not at all (run.ts's rule for every run). */
export type WriteRunDir = (out: string, write: (dir: string) => Promise<void>) => Promise<void>;

/** The multi-seed branch of `burstlab run`: simulate, write the folder, print the table; returns the exit code. */
export async function runOnSeeds(o: SeedsCommandOptions, io: CommandIO, writeRunDir: WriteRunDir): Promise<number> {
  const startedAt = wallTimeIso();
  const run = await runScenarioSeeds(o, io);
  const meta: RunMeta = {
    schema: 'burstlab/run/v1',
    startedAt,
    finishedAt: wallTimeIso(),
    burstlabVersion: burstlabVersion(),
    nodeVersion: process.version,
    target: 'sim',
    scenarioFile: o.file,
    argv: o.argv,
    components: {},
    scenarioDigest: scenarioDigest(o.scenario),
    seeds: o.seeds,
  };
  await writeRunDir(o.out, (dir) => run.write(dir, meta));
  const wrote = `wrote ${o.out}${o.noReport ? '' : '/report.html'}\n`;
  // As a single-seed run prints (commands/run.ts): the verdict line always, on stderr beside -o json.
  if (o.output === 'json') {
    io.stdout.write(JSON.stringify(run.aggregate, null, 2) + '\n');
    io.stderr.write(seedsVerdictLine(run.aggregate, colourFor(io.stderr)));
    if (!o.quiet) io.stderr.write(wrote);
  } else {
    const colour = colourFor(io.stdout);
    if (!o.quiet) io.stdout.write(paintTable(run.table, colour) + '\n');
    io.stdout.write(seedsVerdictLine(run.aggregate, colour));
    if (!o.quiet) io.stdout.write(wrote);
  }
  return run.exitCode;
}

export interface SeedsRunOutcome {
  aggregate: SeedsResults;
  /** Writes everything into an empty folder (the caller swaps it in atomically). */
  write(dir: string, meta: RunMeta): Promise<void>;
  table: string;
  exitCode: number;
}

/** The default output folder: runs/<scenario>-seeds7-11 for a range, runs/<scenario>-seeds42_7_9 for a list. */
export function seedsOutName(name: string, seeds: number[]): string {
  const range = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  return `${name}-seeds${range ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join('_')}`;
}

export async function runScenarioSeeds(o: SeedsRunOptions, io: CommandIO): Promise<SeedsRunOutcome> {
  let scenarioText: string;
  try {
    scenarioText = await readFile(o.file, 'utf8');
  } catch (cause) {
    throw new ValidationError(o.file, [{ path: '', message: `cannot read the file: ${(cause as Error).message}` }], 'check the path');
  }
  const elapsed = stopwatch();
  const progress = o.quiet ? null : new ProgressBar(io.stderr, `${o.scenario.name} x ${o.seeds.length} seeds`);
  const runs = await runSeeds({
    scenarioText,
    scenarioFile: o.file,
    seeds: o.seeds,
    ...(o.jobs === undefined ? {} : { jobs: o.jobs }),
    signal: io.signal,
    onProgress: (f, detail) => progress?.update(f, detail),
  });
  const perSeed = runs.map((r) => JSON.parse(r.resultsJson) as Results);
  const aggregate = aggregateSeeds(perSeed);
  progress?.done(`simulated ${aggregate.autoscalers.length} arm(s) x ${o.seeds.length} seeds in ${(elapsed() / 1000).toFixed(1)} s`);
  return {
    aggregate,
    write: (dir, meta) => writeSeedsRun(dir, runs, perSeed, aggregate, meta, o),
    table: seedsTable(perSeed, aggregate),
    exitCode: aggregate.autoscalers.every((a) => a.slo.passed) ? EXIT.ok : EXIT.sloFailed,
  };
}

/**
 * A seed folder's run.json, so the folder is a run `burstlab verify`, `report` and `compare` take on its own: the
 * command line of a single-seed run of that seed, and no `seeds` (the folder holds one).
 */
function seedMeta(meta: RunMeta, seed: number): RunMeta {
  const { seeds: _seeds, ...single } = meta;
  return { ...single, argv: singleSeedArgv(meta.argv, seed) };
}

/** `run x.yaml --seeds 3 --jobs 2 --out d` -> `run x.yaml --seed 8`: the options that pick seeds or threads, or name the folder, go. */
function singleSeedArgv(argv: readonly string[], seed: number): string[] {
  const dropped = new Set(['--seeds', '--seed', '--jobs', '--out']);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (dropped.has(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    out.push(arg);
  }
  return [...out, '--seed', String(seed)];
}

async function writeSeedsRun(
  dir: string,
  runs: SeedRun[],
  perSeed: Results[],
  aggregate: SeedsResults,
  meta: RunMeta,
  o: Pick<SeedsRunOptions, 'noReport' | 'gzipEvents'>,
): Promise<void> {
  for (const r of runs) {
    const d = join(dir, seedDir(r.seed));
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'results.json'), r.resultsJson);
    if (o.gzipEvents) await writeFile(join(d, 'events.jsonl.gz'), gzipSync(r.eventsJsonl));
    else await writeFile(join(d, 'events.jsonl'), r.eventsJsonl);
    await writeFile(join(d, 'run.json'), JSON.stringify(seedMeta(meta, r.seed), null, 2) + '\n');
  }
  await writeFile(join(dir, 'results.json'), JSON.stringify(aggregate, null, 2) + '\n');
  await writeFile(join(dir, 'run.json'), JSON.stringify(meta, null, 2) + '\n');
  if (!o.noReport) await writeSeedsReports(dir, aggregate, perSeed, parseJsonl(runs[0]!.eventsJsonl), meta);
}
