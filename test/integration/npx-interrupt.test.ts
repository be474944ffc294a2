import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../provisioner/runtime/random.js';

/**
 * The README's form, `npx burstlab run ...`, interrupted the way CI and `timeout` do it: SIGINT to the npx process
 * only (npm forwards it to the `sh -c` it runs the bin through, and nothing else). Needs the CLI built, so it
 * builds it first.
 */
const REPO = resolve('.');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Launched {
  child: ChildProcess;
  exited: Promise<{ code: number; at: number }>;
  stderr: () => string;
}

function launch(command: string, args: string[]): Launched {
  // Its own process group, so that cleanup can reach the whole tree even if a test fails half-way.
  const child = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number; at: number }>((done) =>
    // A process killed by a signal has no exit code; a shell reports it as 128 + the signal's number, as here.
    child.once('exit', (code, signal) => done({ code: code ?? 128 + constants.signals[signal!], at: performance.now() })),
  );
  return { child, exited, stderr: () => stderr };
}

function killTree(l: Launched): void {
  try {
    process.kill(-l.child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `<out>.partial-<pid>` or `<out>.old-<pid>` beside the output folder. */
function siblings(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.(partial|old)-\d+$/.test(n));
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Every file of a run folder by content hash: equal fingerprints, same run. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

describe('interrupting the built CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-npx-'));
  const out = join(dir, 'run');
  const launched: Launched[] = [];
  const args = ['burstlab', 'run', 'scenarios/market-open.yaml', '--out', out, '--quiet'];
  let previous: Record<string, string> = {};
  /** From the partial folder appearing (the real process is past validation) to events.jsonl appearing in it. */
  let simMs = 0;
  /** From events.jsonl appearing to the end of the run. */
  let writeMs = 0;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`the build failed: ${build.stdout}${build.stderr}`);
    // The previous run, which every interrupted run below must leave intact; it also times the phases.
    const first = launch('npx', args);
    launched.push(first);
    const started = await waitFor('the partial folder', () => (siblings(dir).length ? performance.now() : undefined), 90_000);
    const partial = join(dir, siblings(dir)[0]!);
    const writing = await waitFor('events.jsonl', () => (existsSync(join(partial, 'events.jsonl')) ? performance.now() : undefined), 60_000);
    const { code, at } = await first.exited;
    expect(code, first.stderr()).toBe(1);
    simMs = writing - started;
    writeMs = at - writing;
    previous = fingerprint(out);
  }, 240_000);

  afterAll(() => {
    for (const l of launched) killTree(l);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the real process on SIGINT to npx at 10 random points: exit 130 within 1 s, previous run intact, nothing left', async () => {
    const random = new Random(20261125);
    for (let point = 0; point < 10; point++) {
      // Six points during the simulation and four during the write, each at a seeded random moment of its phase.
      // The phases were timed once, and the machine may be faster now: a point in the simulation that has not come
      // when the write starts is taken then, and one in the write stays in its first few hundred milliseconds.
      const duringWrite = point >= 6;
      const delay = random.next() * (duringWrite ? Math.min(writeMs * 0.5, 400) : simMs * 0.9);
      const run = launch('npx', args);
      launched.push(run);
      const partial = await waitFor('the partial folder', () => siblings(dir)[0], 60_000);
      const pid = Number(/-(\d+)$/.exec(partial)![1]);
      const writing = (): true | undefined => (existsSync(join(dir, partial, 'events.jsonl')) ? true : undefined);
      if (duringWrite) await waitFor('events.jsonl', writing, 60_000);
      const from = performance.now();
      await waitFor('the moment to interrupt', () => (performance.now() - from >= delay || (!duringWrite && writing()) ? true : undefined), 60_000);
      const signalled = performance.now();
      process.kill(run.child.pid!, 'SIGINT');
      const { code, at } = await run.exited;
      const where = `point ${point} (${duringWrite ? 'write' : 'simulation'} + ${Math.round(signalled - from)} ms): ${run.stderr()}`;
      expect(code, where).toBe(130);
      expect(at - signalled, where).toBeLessThan(1_000);
      await waitFor(`burstlab (pid ${pid}) to stop`, () => (alive(pid) ? undefined : true), 1_000).catch((err: Error) => {
        throw new Error(`${err.message}; ${where}`);
      });
      expect(siblings(dir), where).toEqual([]);
      expect(fingerprint(out), where).toEqual(previous);
    }
  }, 150_000);

  it('stops the real process when npx is killed outright, leaving the previous run and nothing else', async () => {
    const run = launch('npx', args);
    launched.push(run);
    const partial = await waitFor('the partial folder', () => siblings(dir)[0], 60_000);
    const pid = Number(/-(\d+)$/.exec(partial)![1]);
    run.child.kill('SIGKILL');
    await run.exited;
    // Nothing signals burstlab here: it sees its parent go (harness/runner/launcher.ts).
    await waitFor(`burstlab (pid ${pid}) to stop`, () => (alive(pid) ? undefined : true), 2_000);
    expect(siblings(dir)).toEqual([]);
    expect(fingerprint(out)).toEqual(previous);
  }, 60_000);

  it('stops within 1 s with exit 143 while a big warm-up runs as one long synchronous stretch, and leaves nothing', async () => {
    // 10,000 replicas: placing them at t = 0 is a single scheduling pass of seconds that no checkpoint splits.
    const quickstart = readFileSync(join(REPO, 'scenarios', 'quickstart.yaml'), 'utf8');
    const big = quickstart.replace(/replicas: 4$/m, 'replicas: 10000').replace('maxReplicas: 200', 'maxReplicas: 12000').replace('max: 60', 'max: 3000').replace('cpu: 500 }', 'cpu: 30000 }');
    expect(big).not.toBe(quickstart);
    const file = join(dir, 'big.yaml');
    writeFileSync(file, big);
    const bigOut = join(dir, 'big');
    const run = launch(process.execPath, ['bin/burstlab.js', 'run', file, '--out', bigOut, '--quiet']);
    launched.push(run);
    await waitFor('the partial folder', () => readdirSync(dir).find((n) => n.startsWith('big.partial-')), 60_000);
    // Past the worker's start and the scenario's loading, into the warm-up (about 2 s of it on a fast machine).
    await sleep(1_000);
    const signalled = performance.now();
    run.child.kill('SIGTERM');
    const { code, at } = await run.exited;
    expect(code, run.stderr()).toBe(143);
    expect(at - signalled).toBeLessThan(1_000);
    expect(readdirSync(dir).filter((n) => n.startsWith('big'))).toEqual(['big.yaml']);
  }, 60_000);

  it('cleans at the next run the partial folder that kill -9 during the write left', async () => {
    const killed = launch(process.execPath, ['bin/burstlab.js', ...args.slice(1)]);
    launched.push(killed);
    const partial = await waitFor('the partial folder', () => siblings(dir)[0], 60_000);
    await waitFor('events.jsonl', () => (existsSync(join(dir, partial, 'events.jsonl')) ? true : undefined), 60_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(siblings(dir)).toEqual([partial]);
    expect(fingerprint(out)).toEqual(previous);

    const next = spawnSync(process.execPath, ['bin/burstlab.js', 'run', 'scenarios/quickstart.yaml', '--out', out, '--quiet', '--no-report'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(next.status, next.stderr).toBeLessThan(2);
    expect(siblings(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).scenarioFile).toBe('scenarios/quickstart.yaml');
  }, 90_000);
});
