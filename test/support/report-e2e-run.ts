/**
 * The run the browser tests open. The simulator's entry point (harness/runner/execute.ts) is being written in
 * parallel; until it exists the tests use the report fixture and say so in their annotations.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../harness/recorder/events.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { writeReports } from '../../reports/index.js';
import { makeReportFixture, type FixtureOptions } from './report-fixture.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ReportRun {
  dir: string;
  html: string;
  results: Results;
  source: string;
}

interface Executed {
  results: Results;
  events: RunEvent[];
}

export async function simRun(scenarioFile: string): Promise<(Executed & { meta: RunMeta }) | null> {
  if (!existsSync(join(root, 'harness/runner/execute.ts'))) return null;
  // Non-literal specifiers: these modules may not exist yet when this file is type-checked.
  const executeModule = '../../harness/runner/execute.js';
  const loadModule = '../../scenarios/load.js';
  const { executeScenario } = (await import(executeModule)) as { executeScenario(s: unknown, o: { seed?: number }): Promise<Executed> };
  const { loadScenario } = (await import(loadModule)) as { loadScenario(p: string): Promise<unknown> };
  const scenario = await loadScenario(join(root, scenarioFile));
  const { results, events } = await executeScenario(scenario, {});
  const meta: RunMeta = {
    schema: 'burstlab/run/v1',
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

export async function reportFromSim(dir: string, scenarioFile: string): Promise<ReportRun | null> {
  const run = await simRun(scenarioFile);
  if (!run) return null;
  await writeReports(dir, run.results, run.events, run.meta);
  return { dir, html: join(dir, 'report.html'), results: run.results, source: `sim run of ${scenarioFile}` };
}

export async function reportFromFixture(dir: string, options: FixtureOptions): Promise<ReportRun> {
  const run = makeReportFixture(options);
  await writeReports(dir, run.results, run.events, run.meta);
  return { dir, html: join(dir, 'report.html'), results: run.results, source: 'report fixture (simulator not available yet)' };
}
