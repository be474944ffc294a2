/**
 * The event log streamed to disk as a run goes: the same bytes and the same results as the log kept in memory, and
 * its gzipped form read by every command that reads a run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonl } from '../../harness/recorder/jsonl.js';
import { armEventsOf } from '../../harness/recorder/jsonl-file.js';
import { RunError } from '../../harness/runner/errors.js';
import { executeScenario, executeScenarioToLog, type Execution, type LoggedExecution } from '../../harness/runner/execute.js';
import { produceRun } from '../../harness/runner/produce-run.js';
import { renderReports } from '../../reports/index.js';
import { readRunDir } from '../../reports/run-dir.js';
import { loadScenario } from '../../scenarios/load.js';
import { runCli } from '../support/cli.js';

const QUICKSTART = 'scenarios/quickstart.yaml';

/** `burstlab run -q`, expected to finish: exit 0, or 1 when an SLO of the scenario is missed. */
async function completedRun(args: string[]): Promise<void> {
  const r = await runCli(['run', ...args, '-q']);
  expect([0, 1], r.stderr).toContain(r.code);
}
const dir = mkdtempSync(join(tmpdir(), 'burstlab-event-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the event log streamed to disk', () => {
  let inMemory: Execution;
  let streamed: LoggedExecution;
  const log = join(dir, 'streamed.jsonl');

  beforeAll(async () => {
    const scenario = await loadScenario(QUICKSTART);
    inMemory = await executeScenario(scenario);
    streamed = await executeScenarioToLog(scenario, log);
  }, 120_000);

  it('is byte for byte the log the in-memory run writes', () => {
    expect(readFileSync(log, 'utf8')).toBe(toJsonl(inMemory.events));
    expect(streamed.eventCount).toBe(inMemory.events.length);
  });

  it('gives the same results.json when read back one arm at a time', () => {
    expect(JSON.stringify(streamed.results, null, 2)).toBe(JSON.stringify(inMemory.results, null, 2));
  });

  it('renders the same reports when they replay it one arm at a time from disk', () => {
    const meta = { schema: 'burstlab/run/v1' as const, startedAt: '2026-11-21T02:00:00.000Z', finishedAt: '2026-11-21T02:00:05.000Z', burstlabVersion: '0.1.0', nodeVersion: 'v20', target: 'sim', scenarioFile: QUICKSTART, argv: [], components: {} };
    expect(renderReports(streamed.results, armEventsOf(log), meta)).toEqual(renderReports(inMemory.results, inMemory.events, meta));
  });

  it('that cannot be created stops the run with a run error about writing, not a bug report', async () => {
    const meta = { schema: 'burstlab/run/v1' as const, startedAt: '', burstlabVersion: '', nodeVersion: '', target: 'sim', scenarioFile: QUICKSTART, argv: [], components: {} };
    const failed = produceRun({ file: QUICKSTART, dir: join(dir, 'no-such-folder'), reports: false, meta });
    await expect(failed).rejects.toThrow(RunError);
    await expect(failed).rejects.toThrow(/could not write the run to .*no-such-folder/);
  });
});

describe('run --events-gzip', () => {
  const plain = join(dir, 'plain');
  const gzipped = join(dir, 'gzipped');

  beforeAll(async () => {
    await completedRun([QUICKSTART, '--out', plain]);
    await completedRun([QUICKSTART, '--out', gzipped, '--events-gzip']);
  }, 180_000);

  it('writes events.jsonl.gz holding exactly the plain run events.jsonl, and no events.jsonl', () => {
    expect(gunzipSync(readFileSync(join(gzipped, 'events.jsonl.gz'))).toString('utf8')).toBe(readFileSync(join(plain, 'events.jsonl'), 'utf8'));
    expect(() => readFileSync(join(gzipped, 'events.jsonl'))).toThrow(/ENOENT/);
  });

  it('writes the same results.json and report as the plain run', () => {
    expect(readFileSync(join(gzipped, 'results.json'), 'utf8')).toBe(readFileSync(join(plain, 'results.json'), 'utf8'));
    // The runs differ only in when they ran.
    const summary = (d: string): string => readFileSync(join(d, 'summary.md'), 'utf8').replace(/ run \S+Z /, ' run <when> ');
    expect(summary(gzipped)).toBe(summary(plain));
  });

  it('is read back as the same events as the plain log', async () => {
    expect((await readRunDir(gzipped)).events).toEqual((await readRunDir(plain)).events);
  });

  it('is re-rendered by burstlab report', async () => {
    const out = join(dir, 'rerendered');
    const r = await runCli(['report', gzipped, '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe(readFileSync(join(gzipped, 'summary.md'), 'utf8'));
  });

  it('is compared by burstlab compare', async () => {
    const r = await runCli(['compare', plain, gzipped, '--out', join(dir, 'compared')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('passes burstlab verify', async () => {
    const r = await runCli(['verify', gzipped]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('gzips each seed log of a multi-seed run, which burstlab report reads', async () => {
    const seeds = join(dir, 'seeds');
    await completedRun([QUICKSTART, '--seeds', '2', '--out', seeds, '--events-gzip', '--no-report']);
    const aggregate = JSON.parse(readFileSync(join(seeds, 'results.json'), 'utf8')) as { runs: Array<{ dir: string }> };
    for (const r of aggregate.runs) expect(gunzipSync(readFileSync(join(seeds, r.dir, 'events.jsonl.gz'))).length).toBeGreaterThan(0);
    expect((await runCli(['report', seeds])).code).toBe(0);
  }, 180_000);

  it('is refused with exit 2 naming the file when the gzip is truncated', async () => {
    const broken = join(dir, 'truncated');
    await completedRun([QUICKSTART, '--out', broken, '--events-gzip', '--no-report']);
    const gz = join(broken, 'events.jsonl.gz');
    const bytes = readFileSync(gz);
    writeFileSync(gz, bytes.subarray(0, bytes.length >> 1));
    const r = await runCli(['verify', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(gz);
  });
});
