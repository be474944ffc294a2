/**
 * Runs for the browser tests and the report benchmark: a real simulator run of a scenario (what the report must
 * be tested on), or the report fixture where a run cannot express the case (names full of markup).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { executeScenario } from '../../harness/runner/execute.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { writeReports } from '../../reports/index.js';
import { loadScenario } from '../../scenarios/load.js';
import { makeReportFixture, type FixtureOptions } from './report-fixture.js';

/** The repository root, from the source tree (tests) or from dist/ (the benchmark runs compiled). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export interface ReportRun {
  dir: string;
  html: string;
  results: Results;
  source: string;
}

export interface SimRun {
  results: Results;
  events: RunEvent[];
  meta: RunMeta;
}

/** `scenarioFile` is relative to the repository root, e.g. 'scenarios/quickstart.yaml'. */
export async function simRun(scenarioFile: string, seed?: number): Promise<SimRun> {
  const scenario = await loadScenario(join(repoRoot(), scenarioFile));
  const { results, events } = await executeScenario(scenario, seed === undefined ? {} : { seed });
  const meta: RunMeta = {
    schema: 'burstlab/run/v1',
    // A fixed date: the report shows run.json's date, and these runs are compared byte for byte.
    startedAt: '2026-11-21T02:00:00.000Z',
    finishedAt: '2026-11-21T02:00:05.000Z',
    burstlabVersion: '0.1.0',
    nodeVersion: process.version,
    target: 'sim',
    scenarioFile,
    argv: ['run', scenarioFile],
    components: {},
  };
  return { results, events, meta };
}

export async function reportFromSim(dir: string, scenarioFile: string): Promise<ReportRun> {
  const run = await simRun(scenarioFile);
  await writeReports(dir, run.results, run.events, run.meta);
  return { dir, html: join(dir, 'report.html'), results: run.results, source: `sim run of ${scenarioFile}` };
}

export async function reportFromFixture(dir: string, options: FixtureOptions): Promise<ReportRun> {
  const run = makeReportFixture(options);
  await writeReports(dir, run.results, run.events, run.meta);
  return { dir, html: join(dir, 'report.html'), results: run.results, source: 'report fixture' };
}
