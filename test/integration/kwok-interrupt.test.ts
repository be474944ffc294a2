import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Random } from '../../provisioner/runtime/random.js';
import { busyPorts, killLeftovers, leftoverProcesses } from '../support/leftovers.js';

/**
 * Nothing left behind (issue 14, item 8): live runs through the CLI as a process of its own, stopped at seeded
 * random points by SIGINT, SIGTERM or SIGKILL, must leave no etcd, apiserver, kwok or other process of theirs, no
 * bound port, and no kubeconfig outside their run folder (none at all after SIGINT or SIGTERM).
 *
 * The issue asks for 20 points; on a 2-core machine each takes up to a minute (all 20 passed in 9.5 minutes on
 * 2026-11-25), so `npm test` plays the first POINTS of the same seeded sequence and BURSTLAB_KWOK_INTERRUPTS=20
 * plays the issue's.
 */
const ISSUE_POINTS = 20;
const POINTS = Math.min(ISSUE_POINTS, Number(process.env.BURSTLAB_KWOK_INTERRUPTS ?? 3));
const SEED = 1414;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
/** A little past the whole run of both arms at --speed 8 (start-up, warm-up, 15 s of scenario, teardown, twice). */
const WINDOW_MS = 60_000;
const REPO = resolve('.');

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Launched {
  child: ChildProcess;
  exited: Promise<number>;
  stderr: () => string;
}

function launch(out: string, env: NodeJS.ProcessEnv = process.env): Launched {
  const args = ['--import', './test/support/ts-worker-hooks/register.mjs', 'test/support/live-cli.ts', 'run', '--target', 'kwok', 'test/integration/fixtures/live-small.yaml', '--speed', '8', '--out', out];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], detached: true, env });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((done) => child.once('exit', (code, signal) => done(code ?? 128 + constants.signals[signal!])));
  return { child, exited, stderr: () => stderr };
}

/** Every port a cluster of this run has recorded so far (the clusters' cluster.json, in the partial folder). */
function clusterPorts(dir: string, into: Set<number>): void {
  try {
    for (const partial of readdirSync(dir).filter((n) => n.includes('.partial-'))) {
      const arms = join(dir, partial, 'arms');
      for (const arm of readdirSync(arms)) {
        const state = JSON.parse(readFileSync(join(arms, arm, 'cluster', 'cluster.json'), 'utf8')) as { ports?: Record<string, number> };
        for (const p of Object.values(state.ports ?? {})) into.add(p);
      }
    }
  } catch {
    // Not written yet, or being rewritten.
  }
}

/** Paths of every file named kubeconfig under `dir`. */
function kubeconfigs(dir: string): string[] {
  const found: string[] = [];
  if (!existsSync(dir)) return found;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name === 'kubeconfig') found.push(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

async function settle<T>(probe: () => Promise<T[]>, timeoutMs: number): Promise<T[]> {
  const start = performance.now();
  for (;;) {
    const left = await probe();
    if (left.length === 0 || performance.now() - start > timeoutMs) return left;
    await sleep(200);
  }
}

describe.skipIf(skip)('interrupting live runs', () => {
  const root = mkdtempSync(join(tmpdir(), 'burstlab-kwok-int-'));
  const launched: Launched[] = [];

  afterAll(async () => {
    for (const l of launched) {
      try {
        process.kill(-l.child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await killLeftovers(root);
    rmSync(root, { recursive: true, force: true });
  });

  it(`leaves no process, port or stray kubeconfig at ${POINTS} seeded random points (SIGINT, SIGTERM, SIGKILL)`, async () => {
    if (toolsError) throw new Error(toolsError);
    const random = new Random(SEED);
    for (let point = 0; point < POINTS; point++) {
      const signal = SIGNALS[random.int(SIGNALS.length)]!;
      const delay = Math.round(random.next() * WINDOW_MS);
      const dir = join(root, `point-${point}`);
      const run = launch(join(dir, 'run'));
      launched.push(run);
      const ports = new Set<number>();
      const from = performance.now();
      let finished = false;
      void run.exited.then(() => (finished = true));
      while (!finished && performance.now() - from < delay) {
        clusterPorts(dir, ports);
        await sleep(100);
      }
      const signalled = !finished;
      if (signalled) process.kill(run.child.pid!, signal);
      const code = await run.exited;
      process.stderr.write(`[kwok interrupt] point ${point}: ${signalled ? signal : 'finished before'} at ${delay} ms, exit ${code}\n`);
      const where = `point ${point}: ${signal} at ${delay} ms, exit ${code}\n${run.stderr().split('\n').slice(-6).join('\n')}`;
      const expected = { SIGINT: 130, SIGTERM: 143, SIGKILL: 128 + constants.signals.SIGKILL }[signal];
      expect([expected, 0], where).toContain(code);
      expect(await settle(() => leftoverProcesses(dir), 15_000), where).toEqual([]);
      expect(await settle(() => busyPorts([...ports]), 5_000), where).toEqual([]);
      // Only a SIGKILL may leave one, in the run's partial folder, naming a cluster already gone.
      const configs = kubeconfigs(dir).filter((k) => !(signal === 'SIGKILL' && k.startsWith(join(dir, 'run.partial-'))));
      expect(configs, where).toEqual([]);
      if (signal !== 'SIGKILL' && code !== 0 && existsSync(dir)) expect(readdirSync(dir).filter((n) => n.includes('.partial-')), where).toEqual([]);
    }
  }, POINTS * 120_000);

  it("cleans up after a SIGKILL mid-run with the watchdog alone, where setpriv's parent-death signal is missing", async () => {
    if (toolsError) throw new Error(toolsError);
    const dir = join(root, 'no-setpriv');
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    // A setpriv that fails its probe: processes.ts then starts the components without the parent-death signal.
    writeFileSync(join(bin, 'setpriv'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const run = launch(join(dir, 'run'), { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    launched.push(run);
    const ports = new Set<number>();
    const from = performance.now();
    while (!run.stderr().includes('t = 0 after') && performance.now() - from < 90_000) {
      clusterPorts(dir, ports);
      await sleep(100);
    }
    clusterPorts(dir, ports);
    expect(await leftoverProcesses(dir), run.stderr()).not.toEqual([]);
    process.kill(run.child.pid!, 'SIGKILL');
    await run.exited;
    expect(await settle(() => leftoverProcesses(dir), 15_000)).toEqual([]);
    expect(await settle(() => busyPorts([...ports]), 5_000)).toEqual([]);
  }, 150_000);
});
