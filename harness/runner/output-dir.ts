import { rmSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { BurstlabError, RunError, UsageError } from './errors.js';
import { interruption, onForcedExit, uninterruptible } from './interrupt.js';
import { lockOutput } from './output-lock.js';
import { isAlive } from './pid.js';
import { LIVE_ARMS_DIR, type RunMeta } from './run-meta.js';

/** run.json's schema marker: what makes a folder "a burstlab run" that a new run may replace. */
export const RUN_SCHEMA: RunMeta['schema'] = 'burstlab/run/v1';

export interface OutputOptions {
  /** Replace a non-empty folder that is not a burstlab run (never a file, a link, or the working or home folder). */
  force?: boolean;
  /** The flag named in messages. */
  flag?: string;
  /** What a folder this command may replace holds (default: a run's run.json); anything else is foreign. */
  marker?: FolderMarker;
}

/** A JSON file whose `schema` field marks a folder as one burstlab wrote (file names alone could be anyone's). */
export interface FolderMarker {
  file: string;
  schema: string;
  /** 'a burstlab run', for messages. */
  what: string;
  /**
   * Everything such a folder holds when burstlab wrote it: replacing it never takes anything else with it, such as
   * notes a user kept beside the results.
   */
  entries: ReadonlySet<string>;
}

export const RUN_MARKER: FolderMarker = {
  file: 'run.json',
  schema: RUN_SCHEMA,
  what: 'a burstlab run',
  entries: new Set(['run.json', 'results.json', 'events.jsonl', 'events.jsonl.gz', 'report.html', 'junit.xml', 'summary.md', 'seeds', LIVE_ARMS_DIR]),
};

/**
 * A run's output folder, written beside its final place and swapped in whole:
 * - the run is written to `<out>.partial-<pid>` (a sibling, so the final renames stay on one file system);
 * - `commit` moves a previous run aside to `<out>.old-<pid>`, renames the new one in and only then removes the old;
 * - `discard` removes the partial folder and any parent folder that was created for it.
 * A `kill -9` can still leave either sibling behind; the next run in the same place cleans them up (and puts a
 * previous run moved aside back when the new one never made it in).
 * The process holds `<out>.lock` (output-lock.ts) from `prepareOutputFolder` until `commit` or `discard`, so a
 * second process writing to the same place is refused instead of racing this one to the swap.
 */
export interface OutputFolder {
  readonly path: string;
  readonly partial: string;
  /** Swaps the partial folder in. Aborting `signal` during the swap puts everything back and throws. */
  commit(signal?: AbortSignal): Promise<void>;
  discard(): Promise<void>;
}

type Existing = 'absent' | 'empty' | 'run' | 'foreign';

/**
 * Checks everything about the output location before any work starts (a bad `--out` is exit 2 in a second, not
 * after minutes of simulation) and creates the partial folder.
 */
export async function prepareOutputFolder(path: string, options: OutputOptions = {}): Promise<OutputFolder> {
  const out = resolve(path);
  const flag = options.flag ?? '--out';
  const force = options.force ?? false;
  const marker = options.marker ?? RUN_MARKER;
  refuseProtected(out, flag);
  await inspect(out, flag, force, marker);
  const created = await makeParents(out, flag);
  const partial = `${out}.partial-${process.pid}`;
  let lock;
  try {
    lock = await lockOutput(out, flag);
  } catch (err) {
    await removeEmpty(created);
    throw err;
  }
  try {
    // Under the lock: nobody else is writing here now, so what is left beside `out` is a dead process's.
    await recoverStaleSiblings(out, marker);
    await inspect(out, flag, force, marker);
    await mkdir(partial);
  } catch (err) {
    await lock.release();
    await removeEmpty(created);
    throw err instanceof BurstlabError ? err : cannotWrite(out, flag, err);
  }
  const unregister = onForcedExit(() => rmSync(partial, { recursive: true, force: true }));
  const discard = async (): Promise<void> => {
    unregister();
    await rm(partial, { recursive: true, force: true });
    await lock.release();
    await removeEmpty(created);
  };
  return {
    path: out,
    partial,
    discard,
    async commit(signal?: AbortSignal): Promise<void> {
      try {
        await uninterruptible(() => swapIn(partial, out, flag, force, marker, signal));
      } catch (err) {
        await discard();
        if (err instanceof BurstlabError) throw err;
        throw new RunError(`could not move the run into ${out}`, 'check that the folder is writable; a previous run there is as it was', { cause: err });
      }
      unregister();
      await lock.release();
    },
  };
}

async function swapIn(partial: string, out: string, flag: string, force: boolean, marker: FolderMarker, signal: AbortSignal | undefined): Promise<void> {
  // Checked again: the folder may have changed while the run was simulating.
  const existing = await inspect(out, flag, force, marker);
  if (signal?.aborted) throw interruption(signal);
  if (existing === 'absent') {
    await rename(partial, out);
    if (signal?.aborted) {
      await rename(out, partial);
      throw interruption(signal);
    }
    return;
  }
  const aside = `${out}.old-${process.pid}`;
  await rename(out, aside);
  try {
    await rename(partial, out);
  } catch (err) {
    await rename(aside, out);
    throw err;
  }
  if (signal?.aborted) {
    await rename(out, partial);
    await rename(aside, out);
    throw interruption(signal);
  }
  // lstat'ed as a real folder just before the rename; rm never follows links inside it.
  await rm(aside, { recursive: true, force: true });
}

/**
 * For commands that add files to a folder and delete nothing (`report --out`, `compare --out`): creates the folder
 * and its parents with the same clear errors as a run's output folder (under a file, cannot be created, a file in
 * its place). Returns its absolute path.
 */
export async function ensureFolder(path: string, flag = '--out'): Promise<string> {
  const dir = resolve(path);
  await makeParents(dir, flag);
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotWrite(dir, flag, err);
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a folder`, `pass a folder path, e.g. ${flag} runs/my-report`);
  }
  return dir;
}

/** The folder the user works in, their home, the root, and anything above them: never an output folder. */
export function refuseProtected(out: string, flag: string): void {
  const protectedDirs = [
    { dir: process.cwd(), what: 'the working folder' },
    { dir: homedir(), what: 'your home folder' },
  ];
  for (const { dir, what } of protectedDirs) {
    if (dir === out || dir.startsWith(out.endsWith(sep) ? out : out + sep)) {
      throw new UsageError(`${flag} ${out} ${dir === out ? 'is' : 'holds'} ${what}; burstlab never replaces it`, `pass a folder of its own, e.g. ${flag} runs/my-run`);
    }
  }
}

async function inspect(out: string, flag: string, force: boolean, marker: FolderMarker): Promise<Existing> {
  let st;
  try {
    st = await lstat(out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    if (code === 'ENOTDIR') throw underFile(out, flag, await fileAbove(out));
    throw cannotWrite(out, flag, err);
  }
  if (st.isSymbolicLink()) {
    throw new UsageError(`${flag} ${out} is a symbolic link`, `burstlab never writes through a link: pass the folder it points to, or a new path`);
  }
  if (!st.isDirectory()) {
    throw new UsageError(`${flag} ${out} is a file, not a folder`, `burstlab never replaces a file: pass a folder path, e.g. ${flag} runs/my-run`);
  }
  const entries = await readdir(out);
  if (entries.length === 0) return 'empty';
  if (await hasMarker(out, marker)) {
    const others = entries.filter((e) => !marker.entries.has(e)).sort();
    if (others.length === 0 || force) return 'run';
    throw new UsageError(
      `${flag} ${out} is ${marker.what} but also holds ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}, which burstlab did not write; nothing was changed`,
      `move them out of the folder, pass a new folder, or add --force to replace the folder and everything in it`,
    );
  }
  if (force) return 'foreign';
  throw new UsageError(
    `${flag} ${out} holds other files and is not ${marker.what} (it has no ${marker.file} with schema ${marker.schema}); nothing was changed`,
    `pass a new or empty folder, or add --force to replace that folder and everything in it`,
  );
}

/** The outermost folder at or above `path` that is a burstlab run (a multi-seed run holds one per seed), or null. */
export async function outermostRun(path: string): Promise<string | null> {
  let found: string | null = null;
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (await hasMarker(dir, RUN_MARKER)) found = dir;
    if (dirname(dir) === dir) return found;
  }
}

async function hasMarker(dir: string, marker: FolderMarker): Promise<boolean> {
  try {
    const file = join(dir, marker.file);
    if (!(await lstat(file)).isFile()) return false;
    const meta = JSON.parse(await readFile(file, 'utf8')) as { schema?: unknown };
    return meta.schema === marker.schema;
  } catch {
    return false;
  }
}

const SIBLING = /^(.*)\.(partial|old)-(\d+)$/;

/**
 * Cleans what a process killed outright (kill -9, OOM) left beside `out`: its partial folder, and a previous run it
 * had moved aside, which goes back in place if the new run never made it there. A live process's siblings are its
 * own business and stay.
 */
async function recoverStaleSiblings(out: string, marker: FolderMarker): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dirname(out));
  } catch {
    return;
  }
  const stale = names
    .map((name) => ({ name, m: SIBLING.exec(name) }))
    // This process has written nothing yet: a sibling named after its pid is left by an earlier one that had it.
    .filter(({ m }) => m !== null && m[1] === basename(out) && (Number(m[3]) === process.pid || !isAlive(Number(m[3]))))
    .map(({ name, m }) => ({ path: join(dirname(out), name), kind: m![2] as 'partial' | 'old' }));
  for (const s of stale.filter((x) => x.kind === 'old')) {
    if (!(await exists(out)) && (await isRealDir(s.path)) && (await hasMarker(s.path, marker))) await rename(s.path, out);
    else await rm(s.path, { recursive: true, force: true });
  }
  for (const s of stale.filter((x) => x.kind === 'partial')) await rm(s.path, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isRealDir(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Creates the missing folders above `out` one level at a time, returning those it made (deepest last). Node's own
 * `mkdir({ recursive: true })` loops forever on some paths (under /proc), and a parent that is a file must be a
 * usage error naming it, not an ENOTDIR stack trace.
 */
async function makeParents(out: string, flag: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = dirname(out); ; dir = dirname(dir)) {
    try {
      if (!(await stat(dir)).isDirectory()) throw underFile(out, flag, dir);
      break;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(dir) === dir) throw cannotWrite(out, flag, err);
      missing.push(dir);
    }
  }
  const created: string[] = [];
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
      created.push(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      await removeEmpty(created);
      throw cannotWrite(out, flag, err);
    }
  }
  return created;
}

async function removeEmpty(created: readonly string[]): Promise<void> {
  for (const dir of [...created].reverse()) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

/** The nearest existing path above `path`, when it is not a folder. */
async function fileAbove(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      return (await stat(dir)).isDirectory() ? undefined : dir;
    } catch {
      continue;
    }
  }
  return undefined;
}

function underFile(out: string, flag: string, file: string | undefined): UsageError {
  return new UsageError(
    `${flag} ${out} is inside ${file ? `${file}, which is a file` : 'a file'}, not a folder`,
    `pass a path whose parent folders are folders, e.g. ${flag} runs/my-run`,
  );
}

function cannotWrite(out: string, flag: string, cause: unknown): UsageError {
  return new UsageError(`${flag} ${out}: cannot create the output folder there`, 'pass a folder you can write to', { cause });
}
