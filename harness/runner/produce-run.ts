import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReports } from '../../reports/index.js';
import { loadScenario } from '../../scenarios/load.js';
import { wallTimeIso } from '../clock/wall-clock.js';
import type { Budget } from '../../scenarios/schema/budget.js';
import type { Results } from '../metrics/results.js';
import { armEventsOf, gzipFile } from '../recorder/jsonl-file.js';
import { BurstlabError, RunError } from './errors.js';
import { executeScenarioToLog, type ExecuteOptions, type LoggedExecution } from './execute.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import type { Checkpoint } from './interrupt.js';
import type { RunMeta } from './run-meta.js';

/** Everything a run needs, as plain data: it may cross to a worker thread. */
export interface RunJob {
  /** The scenario file, already validated by the caller. */
  file: string;
  seed?: number;
  /** The plan budget the caller validated the scenario with (--max-pods, --max-nodes). */
  budget?: Partial<Budget>;
  /** The folder to write into: the output folder's partial sibling. */
  dir: string;
  reports: boolean;
  /** Write the log as events.jsonl.gz instead of events.jsonl. */
  gzipEvents?: boolean;
  meta: Omit<RunMeta, 'finishedAt'>;
}

export interface RunHooks {
  onProgress?: (fraction: number, arm: string) => void;
  /** The simulation is over and the writing starts. */
  onSimulated?: () => void;
  /** A phase of the write, for the progress output. */
  onStep?: (text: string) => void;
  /** Awaited between slices of the long phases; throws to stop the run. */
  checkpoint?: Checkpoint;
}

/**
 * Plays every arm of a scenario on one target, writing each event to `logPath` (events.jsonl), and computes the
 * results from that log: the sim's executeScenarioToLog, or a live target's.
 */
export type ScenarioExecutor = (scenario: Scenario, logPath: string, options: ExecuteOptions) => Promise<LoggedExecution>;

/**
 * What `burstlab run` does between checking its input and swapping the output folder in: play every arm on the
 * target (the sim by default, writing events.jsonl as the events happen), compute results and write results.json,
 * run.json and the reports into `job.dir`. Every target's run folder is made here, the same way.
 */
export async function produceRun(job: RunJob, hooks: RunHooks = {}, execute: ScenarioExecutor = executeScenarioToLog): Promise<Results> {
  const scenario = await loadScenario(job.file, job.budget ? { budget: job.budget } : {});
  const log = join(job.dir, 'events.jsonl');
  let execution;
  try {
    execution = await execute(scenario, log, {
      ...(job.seed === undefined ? {} : { seed: job.seed }),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      ...(hooks.checkpoint ? { checkpoint: hooks.checkpoint } : {}),
    });
  } catch (err) {
    if (err instanceof BurstlabError) throw err;
    // The log is written during the simulation: a full disk shows up here, and is not a bug.
    if (isSystemError(err)) throw new RunError(`could not write the run to ${job.dir}`, 'check that the disk has room', { cause: err });
    throw new RunError(`the run of ${scenario.name} on ${job.meta.target} failed`, 'this is a bug in burstlab: please report it with the scenario file', { cause: err });
  }
  hooks.onSimulated?.();
  const { results } = execution;
  const meta: RunMeta = { ...job.meta, ...execution.meta, finishedAt: wallTimeIso() };
  try {
    hooks.onStep?.(`wrote events.jsonl (${execution.eventCount.toLocaleString('en-US')} events)`);
    hooks.onStep?.('writing results.json and run.json');
    await writeFile(join(job.dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    await writeFile(join(job.dir, 'run.json'), JSON.stringify(meta, null, 2) + '\n');
    if (job.reports) {
      hooks.onStep?.('writing report.html, junit.xml and summary.md');
      // The report replays every arm's events: read back from the log one arm at a time (three passes over it).
      await writeReports(job.dir, results, armEventsOf(log), meta, hooks.checkpoint);
    }
    if (job.gzipEvents) {
      hooks.onStep?.('compressing events.jsonl to events.jsonl.gz');
      await gzipFile(log, `${log}.gz`);
      await rm(log);
    }
    await hooks.checkpoint?.();
  } catch (err) {
    if (err instanceof BurstlabError) throw err;
    throw new RunError(`could not write the run to ${job.dir}`, 'check that the disk has room', { cause: err });
  }
  return results;
}

/** An error from a system call (ENOSPC, EIO, EACCES...): Node sets `syscall` on those. */
function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as Error & { syscall?: unknown }).syscall === 'string';
}
