import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('burstlab export k6', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the script on stdout without --out', async () => {
    const r = await runCli(['export', 'k6', 'scenarios/quickstart.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("executor\": \"ramping-arrival-rate\"");
    expect(r.stdout).toContain('"http_req_failed": [\n      "rate<=0.05"');
  });

  it('writes --out and then refuses to overwrite it without --force', async () => {
    const out = join(dir, 'script.js');
    expect((await runCli(['export', 'k6', 'scenarios/quickstart.yaml', '--out', out])).code).toBe(0);
    writeFileSync(out, 'mine');
    const again = await runCli(['export', 'k6', 'scenarios/quickstart.yaml', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect((await runCli(['export', 'k6', 'scenarios/quickstart.yaml', '--out', out, '--force'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('k6/http');
  });

  it('exits 2 on an unknown format, a bad base URL or an invalid scenario, writing nothing', async () => {
    const out = join(dir, 'script.js');
    expect((await runCli(['export', 'jmeter', 'scenarios/quickstart.yaml', '--out', out])).code).toBe(2);
    expect((await runCli(['export', 'k6', 'scenarios/quickstart.yaml', '--base-url', 'ftp://x', '--out', out])).code).toBe(2);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ndurration: 1h\n');
    const r = await runCli(['export', 'k6', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('durration');
    expect(existsSync(out)).toBe(false);
  });

  it('answers --help with its usage', async () => {
    const r = await runCli(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: burstlab export k6 <scenario.yaml>');
  });
});
