import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../harness/runner/errors.js';
import { prepareOutputFolder } from '../../harness/runner/output-dir.js';
import { runCli, snapshot } from '../support/cli.js';

const QUICKSTART = resolve('scenarios/quickstart.yaml');
const FAST = ['--quiet', '--no-report'];

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

function runMeta(dir: string): { startedAt: string } {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
}

describe('burstlab run --out', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-out-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a non-empty folder that is not a burstlab run, names --force, and deletes nothing', async () => {
    const out = join(dir, 'some-dir');
    mkdirSync(join(out, 'keep'), { recursive: true });
    writeFileSync(join(out, 'keep', 'a'), 'hi\n');
    writeFileSync(join(out, 'results.json'), '{}\n');
    const before = snapshot(dir);
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not a burstlab run/);
    expect(stderr).toMatch(/hint: .*--force/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('does not take a run.json without the run schema marker for a burstlab run', async () => {
    const out = join(dir, 'lookalike');
    mkdirSync(out);
    writeFileSync(join(out, 'run.json'), '{"schema": "someone-else/v1"}\n');
    const before = snapshot(dir);
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('replaces a non-empty foreign folder with --force', async () => {
    const out = join(dir, 'scratch');
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old\n');
    expect((await runCli(['run', QUICKSTART, '--out', out, '--force', ...FAST])).code).toBeLessThan(2);
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'results.json', 'run.json']);
    expect(readdirSync(dir)).toEqual(['scratch']);
  });

  it('refuses --out . (the working folder) even with --force', async () => {
    const cwd = process.cwd();
    writeFileSync(join(dir, 'mine.txt'), 'mine\n');
    const before = snapshot(dir);
    process.chdir(dir);
    try {
      const { code, stderr } = await runCli(['run', QUICKSTART, '--out', '.', '--force', ...FAST]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/is the working folder/);
    } finally {
      process.chdir(cwd);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses the home folder and any folder above it', async () => {
    const home = join(dir, 'home', 'user');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.profile'), 'export X=1\n');
    const before = snapshot(dir);
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      for (const out of [home, dirname(home)]) {
        const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, '--force', ...FAST]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/your home folder/);
      }
    } finally {
      process.env.HOME = saved;
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an existing regular file and leaves it as it was', async () => {
    const out = join(dir, 'somefile');
    writeFileSync(out, 'precious\n');
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, '--force', ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is a file, not a folder/);
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual(['somefile']);
  });

  it('exits 2 with a hint, not a stack trace, for a path under a regular file', async () => {
    writeFileSync(join(dir, 'file'), 'x\n');
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', join(dir, 'file', 'sub', 'run'), ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`inside ${join(dir, 'file')}, which is a file`));
    expect(stderr).toMatch(/hint:/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!existsSync('/proc/self'))('exits 2 at once for a folder that cannot be created, such as one under /proc', async () => {
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', '/proc/burstlab-run', ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot create the output folder there/);
  });

  it('exits 2 with a hint for `report --out` and `compare --out` under a regular file, or where nothing can be created', async () => {
    const run = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', run, ...FAST])).code).toBeLessThan(2);
    writeFileSync(join(dir, 'file'), 'x\n');
    const underFile = join(dir, 'file', 'reports');
    for (const argv of [['report', run, '--out', underFile], ['compare', run, run, '--out', underFile]]) {
      const { code, stderr } = await runCli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(/which is a file/);
      expect(stderr).toMatch(/hint:/);
    }
    if (existsSync('/proc/self')) expect((await runCli(['report', run, '--out', '/proc/burstlab-report'])).code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['file', 'run']);
  });

  it('refuses a symbolic link and never writes into what it points to', async () => {
    const target = join(dir, 'elsewhere');
    mkdirSync(target);
    writeFileSync(join(target, 'a'), 'a\n');
    symlinkSync(target, join(dir, 'link'));
    const before = snapshot(dir);
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', join(dir, 'link'), '--force', ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/symbolic link/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('creates missing parent folders', async () => {
    const out = join(dir, 'a', 'b', 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    expect(readdirSync(out)).toContain('run.json');
  });

  it('replaces a previous run whole, with no sibling folder left over', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out])).code).toBeLessThan(2);
    const first = runMeta(out).startedAt;
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    expect(runMeta(out).startedAt).not.toBe(first);
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'results.json', 'run.json']);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('refuses a previous run that also holds files burstlab did not write, and deletes nothing', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    writeFileSync(join(out, 'NOTES.md'), 'what we saw\n');
    mkdirSync(join(out, 'analysis'));
    const before = snapshot(dir);
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/also holds NOTES\.md, analysis, which burstlab did not write/);
    expect(stderr).toMatch(/hint: .*--force/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('replaces a previous run and what was added to it with --force', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    writeFileSync(join(out, 'NOTES.md'), 'what we saw\n');
    expect((await runCli(['run', QUICKSTART, '--out', out, '--force', ...FAST])).code).toBeLessThan(2);
    expect(readdirSync(out).sort()).toEqual(['events.jsonl', 'results.json', 'run.json']);
  });

  it('cleans the partial folder of a process that died, and keeps one whose process is alive', async () => {
    const out = join(dir, 'run');
    const dead = `${out}.partial-${deadPid()}`;
    const live = `${out}.partial-${process.ppid}`;
    for (const p of [dead, live]) {
      mkdirSync(p);
      writeFileSync(join(p, 'events.jsonl'), 'half a run\n');
    }
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    expect(existsSync(dead)).toBe(false);
    expect(readFileSync(join(live, 'events.jsonl'), 'utf8')).toBe('half a run\n');
  });

  it('puts back a previous run that a killed process had moved aside, before replacing it', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    const aside = `${out}.old-${deadPid()}`;
    spawnSync('mv', [out, aside]);
    const before = snapshot(aside);
    const prepared = await prepareOutputFolder(out);
    try {
      expect(snapshot(out)).toEqual(before);
      expect(existsSync(aside)).toBe(false);
    } finally {
      await prepared.discard();
    }
  });

  it('leaves the previous run and no partial folder when interrupted during the write, exit 130', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    const before = snapshot(out);
    const interrupt = new AbortController();
    const partialEvents = join(`${out}.partial-${process.pid}`, 'events.jsonl');
    const watcher = setInterval(() => {
      if (existsSync(partialEvents)) interrupt.abort(new InterruptedError('SIGINT'));
    }, 1);
    try {
      const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out], interrupt.signal);
      expect(interrupt.signal.aborted).toBe(true);
      expect(code).toBe(130);
      expect(stderr).toMatch(/interrupted \(SIGINT\)/);
    } finally {
      clearInterval(watcher);
    }
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('exits 143 on SIGTERM during the simulation and leaves nothing, not even the parent folders it made', async () => {
    const out = join(dir, 'new', 'run');
    const interrupt = new AbortController();
    const stopped = runCli(['run', 'scenarios/market-open.yaml', '--out', out], interrupt.signal);
    setTimeout(() => interrupt.abort(new InterruptedError('SIGTERM')), 300);
    const { code, stderr } = await stopped;
    expect(code).toBe(143);
    expect(stderr).toMatch(/interrupted \(SIGTERM\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second run to an --out another live process is writing: exit 2 naming its pid, and nothing written', async () => {
    const out = join(dir, 'run');
    const lock = `${out}.lock`;
    writeFileSync(lock, `${process.ppid}\n`);
    const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toContain(`is being written by process ${process.ppid}`);
    expect(stderr).toMatch(/hint:/);
    expect(readdirSync(dir)).toEqual(['run.lock']);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('refuses a second run to an --out this process is already writing', async () => {
    const out = join(dir, 'run');
    const first = await prepareOutputFolder(out);
    try {
      const { code, stderr } = await runCli(['run', QUICKSTART, '--out', out, ...FAST]);
      expect(code).toBe(2);
      expect(stderr).toContain(`is being written by process ${process.pid}`);
    } finally {
      await first.discard();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over the lock of a process that died, and releases it when the run is done', async () => {
    const out = join(dir, 'run');
    writeFileSync(`${out}.lock`, `${deadPid()}\n`);
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('releases the lock when the run fails with an error', async () => {
    const out = join(dir, 'run');
    const prepared = await prepareOutputFolder(out);
    writeFileSync(join(dir, 'run'), 'a file put in its place meanwhile\n');
    await expect(prepared.commit()).rejects.toThrow(/is a file, not a folder/);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('does not swap a run in once interrupted, and the previous run stays', async () => {
    const out = join(dir, 'run');
    expect((await runCli(['run', QUICKSTART, '--out', out, ...FAST])).code).toBeLessThan(2);
    const before = snapshot(out);
    const prepared = await prepareOutputFolder(out);
    writeFileSync(join(prepared.partial, 'run.json'), '{"schema": "burstlab/run/v1"}\n');
    const interrupt = new AbortController();
    interrupt.abort(new InterruptedError('SIGINT'));
    await expect(prepared.commit(interrupt.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['run']);
  });
});
