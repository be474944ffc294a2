import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';
import { io } from '../support/cli.js';

describe('burstlab run', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the event log, results, run metadata and reports, and prints the comparison table', async () => {
    const out = join(dir, 'run');
    const t = io();
    const code = await main(['run', 'scenarios/quickstart.yaml', '--out', out], t.streams);
    expect([0, 1]).toContain(code);
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'junit.xml', 'report.html', 'results.json', 'run.json', 'summary.md']);
    expect(t.stdout.join('')).toMatch(/pod-to-ready p99/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(code).toBe(results.autoscalers.every((a: { slo: { passed: boolean } }) => a.slo.passed) ? 0 : 1);
  });

  it('writes a run directory that burstlab verify finds consistent', async () => {
    const out = join(dir, 'run');
    expect([0, 1]).toContain(await main(['run', 'scenarios/quickstart.yaml', '--out', out], io().streams));
    const t = io();
    expect(await main(['verify', out], t.streams)).toBe(0);
    expect(t.stdout.join('')).toContain('every invariant holds');
    expect(t.stderr).toEqual([]);
  });

  it('exits 2 on an invalid scenario, lists every problem with its path, and writes nothing', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nduration: soon\nworkloads:\n  - name: web\n    resources: { cpu: 1, memory: lots }\nautoscalers: []\n');
    const out = join(dir, 'never');
    const t = io();
    expect(await main(['run', file, '--out', out], t.streams)).toBe(2);
    const err = t.stderr.join('');
    expect(err).toMatch(/duration/);
    expect(err).toMatch(/workloads\[0\]\.resources\.memory/);
    expect(err).toMatch(/autoscalers/);
    expect(err).toMatch(/hint:/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
  });

  it('prints the plan with --dry-run and writes nothing', async () => {
    const out = join(dir, 'dry');
    const t = io();
    expect(await main(['run', 'scenarios/market-open.yaml', '--dry-run', '--out', out], t.streams)).toBe(0);
    const text = t.stdout.join('');
    expect(text).toMatch(/traffic plan/);
    expect(text).toMatch(/trading-api\s+the spike/);
    expect(existsSync(out)).toBe(false);
  });

  it('stops when interrupted, exits 130 and leaves no output behind', async () => {
    const out = join(dir, 'interrupted');
    const controller = new AbortController();
    const t = io();
    const streams = { ...t.streams!, signal: controller.signal };
    setTimeout(() => controller.abort(), 200);
    expect(await main(['run', 'scenarios/market-open.yaml', '--out', out], streams)).toBe(130);
    expect(t.stderr.join('')).toMatch(/interrupted/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 2 for an unknown flag or a bad seed', async () => {
    expect(await main(['run', 'scenarios/quickstart.yaml', '--sed', '3'], io().streams)).toBe(2);
    expect(await main(['run', 'scenarios/quickstart.yaml', '--seed', 'x'], io().streams)).toBe(2);
  });

  it('exits 2 for a scenario file that does not exist', async () => {
    const t = io();
    expect(await main(['run', join(dir, 'missing.yaml')], t.streams)).toBe(2);
    expect(t.stderr.join('')).toMatch(/cannot read the file/);
  });
});

describe('burstlab validate', () => {
  it('accepts the shipped scenarios', async () => {
    const t = io();
    expect(await main(['validate', 'scenarios/quickstart.yaml', 'scenarios/market-open.yaml'], t.streams)).toBe(0);
    expect(t.stdout.join('')).toMatch(/market-open.yaml: ok/);
  });
});
