import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isRunning } from '../../harness/targets/kwok/processes.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { kindDir, loadgenSourceHash, toolPaths, toolVersions } from '../../harness/targets/kwok/tools.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;
const noGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0 && !process.env.CI;

describe('the loadgen build', () => {
  it('names its cache folder with the same source hash in kind/build-tools.sh and tools.ts', () => {
    const line = readFileSync(join(kindDir(), 'build-tools.sh'), 'utf8').split('\n').find((l) => l.startsWith('loadgen_hash='))!;
    const fromScript = execFileSync('bash', ['-c', `here=${JSON.stringify(kindDir())}; ${line}; printf %s "$loadgen_hash"`], { encoding: 'utf8' });
    expect(fromScript).toBe(loadgenSourceHash());
  });

  it.skipIf(noGo)('passes its Go tests: the step pacer and the checks on a plan', () => {
    const env = { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
    const out = execFileSync('go', ['test', './...'], { cwd: join(kindDir(), 'tools', 'loadgen'), env, encoding: 'utf8' });
    expect(out).toMatch(/^ok\s/m);
  }, 120_000);

  it('links the vegeta version kind/versions.env pins', () => {
    const goMod = readFileSync(join(kindDir(), 'tools', 'loadgen', 'go.mod'), 'utf8');
    expect(/github\.com\/tsenart\/vegeta\/v12 (\S+)/.exec(goMod)?.[1]).toBe(toolVersions().vegeta);
  });
});

describe.skipIf(skip)('the load generator process', () => {
  const dirs: string[] = [];
  const pids: number[] = [];
  afterEach(() => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function plan(url: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-loadgen-'));
    dirs.push(dir);
    const path = join(dir, 'plan.json');
    writeFileSync(path, JSON.stringify({ timeoutMs: 1_000, workloads: [{ name: 'web', url, stepsMs: [600_000, 1_000], rates: [0, 5] }] }));
    return path;
  }

  it('exits when its parent is SIGKILLed: the parent held its stdin, and the kernel closed it', async () => {
    if (toolsError) throw new Error(toolsError);
    const loadgen = toolPaths().loadgen;
    // A parent that starts the loadgen as VegetaLoad does (stdin a pipe it never writes) and prints its pid; the
    // plan opens with a ten-minute pause, so the loadgen is asleep in its pacer when its parent dies.
    const parentScript = `const c = require('node:child_process').spawn(${JSON.stringify(loadgen)}, ['-plan', ${JSON.stringify(plan('http://127.0.0.1:9/w/web'))}], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    pids.push(parent.pid!);
    let out = '';
    parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
    await waitUntil('the loadgen to start', () => out.includes('\n'), 10_000);
    const child = { name: 'loadgen', pid: Number(out.trim()), command: loadgen };
    pids.push(child.pid);
    expect(isRunning(child)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil('the orphaned loadgen to exit', () => !isRunning(child), 5_000);
  }, 20_000);

  it('refuses a target that is not on a loopback address', () => {
    if (toolsError) throw new Error(toolsError);
    let stderr = '';
    try {
      execFileSync(toolPaths().loadgen, ['-plan', plan('http://10.1.2.3:80/w/web')], { input: '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      stderr = (err as { stderr: string; status: number }).stderr;
      expect((err as { status: number }).status).toBe(2);
    }
    expect(stderr).toContain('is not an http URL on a loopback address');
  });
});
