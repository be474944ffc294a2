import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';

/** Runs the CLI in this process, as `burstlab` would, capturing its output. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe('the kwok target on a machine without Go', () => {
  const saved = { PATH: process.env.PATH, BURSTLAB_BIN_DIR: process.env.BURSTLAB_BIN_DIR };
  let scratch = '';

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'burstlab-nogo-'));
    // Every PATH entry that holds a `go` is dropped; bash and the rest stay.
    process.env.PATH = (saved.PATH ?? '').split(delimiter).filter((d) => d !== '' && !existsSync(join(d, 'go'))).join(delimiter);
    process.env.BURSTLAB_BIN_DIR = join(scratch, 'bin');
  });

  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.BURSTLAB_BIN_DIR === undefined) delete process.env.BURSTLAB_BIN_DIR;
    else process.env.BURSTLAB_BIN_DIR = saved.BURSTLAB_BIN_DIR;
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fails `cluster up` with exit code 2 and says to install Go', async () => {
    const { code, stderr } = await cli(['cluster', 'up', '--target', 'kwok', '--dir', join(scratch, 'cluster')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/error: Go is not on PATH/);
    expect(stderr).toMatch(/hint: install Go 1\.26 or newer/);
  });

  it('still runs a scenario on the sim target', async () => {
    const out = join(scratch, 'run');
    const { code, stderr } = await cli(['run', 'scenarios/quickstart.yaml', '--target', 'sim', '--out', out, '--no-report', '--quiet']);
    expect(stderr).not.toMatch(/Go/);
    expect(code).toBeLessThan(2);
    expect(existsSync(join(out, 'events.jsonl'))).toBe(true);
  }, 60_000);

  it('starts nothing and builds nothing', async () => {
    await cli(['cluster', 'up', '--target', 'kwok', '--dir', join(scratch, 'cluster')]);
    expect(existsSync(join(scratch, 'cluster', 'cluster.json'))).toBe(false);
    expect(existsSync(join(scratch, 'bin')) ? readdirSync(join(scratch, 'bin')).filter((f) => !f.startsWith('.')) : []).toEqual([]);
  });
});
