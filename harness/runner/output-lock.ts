/**
 * One writer per output location: `<out>.lock`, a file beside the folder holding the pid of the process writing
 * there, created exclusively (a hard link, which fails on an existing file as O_EXCL does) before anything else is touched and removed when the process is done with the
 * folder. Without it two runs to the same `--out` both write their partial folder and the last swap wins, silently.
 * A lock whose process is dead (kill -9, OOM) is stale and taken over: the same liveness rule as the stale
 * `.partial-<pid>` cleanup in output-dir.ts.
 */
import { rmSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { UsageError } from './errors.js';
import { onForcedExit } from './interrupt.js';
import { isAlive } from './pid.js';

export interface OutputLock {
  readonly path: string;
  /** Removes the lock; safe to call more than once. */
  release(): Promise<void>;
}

/** Locks this process holds: a lock naming this pid but not here is an earlier process's that had the same pid. */
const held = new Set<string>();

export function lockPath(out: string): string {
  return `${out}.lock`;
}

/** Takes the lock on `out` (an absolute path whose parent folder exists), or throws a UsageError naming its holder. */
export async function lockOutput(out: string, flag: string): Promise<OutputLock> {
  const path = lockPath(out);
  // Twice at most: a stale lock taken over leaves the place free for the second try, unless another process took
  // it over first.
  // Written whole beside the lock, then linked into place: link fails on an existing lock as O_EXCL does, and the
  // lock never exists without its pid, so an unreadable one is garbage and stale.
  const mine = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(mine, `${process.pid}\n`);
  } catch (err) {
    throw cannotLock(out, flag, path, err);
  }
  try {
    // Twice at most: taking over a stale lock frees the place for the second try, unless another process was faster.
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw cannotLock(out, flag, path, err);
        }
        const holder = await holderOf(path);
        if (attempt > 0 || (holder !== null && isLive(holder, path))) throw locked(out, flag, path, holder);
        await takeOverStale(path, holder);
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  held.add(path);
  const unregister = onForcedExit(() => rmSync(path, { force: true }));
  let released = false;
  return {
    path,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      unregister();
      held.delete(path);
      await rm(path, { force: true });
    },
  };
}

/** The pid in a lock file; null for one that is empty or unreadable (a process killed while writing it). */
async function holderOf(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isLive(pid: number, path: string): boolean {
  return pid === process.pid ? held.has(path) : isAlive(pid);
}

/**
 * Moves the stale lock aside and removes it. If what was moved is no longer the stale lock (another process took it
 * over between the read and the move), it is linked back, never over a newer lock, and this process stays out.
 */
async function takeOverStale(path: string, stalePid: number | null): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await holderOf(aside);
  if (moved !== stalePid && moved !== null && isAlive(moved)) {
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

/** Worded as output-dir.ts words a folder that cannot be created: the user asked for the folder, not the lock. */
function cannotLock(out: string, flag: string, path: string, cause: unknown): UsageError {
  return new UsageError(`${flag} ${out}: cannot create the output folder there (nor its lock, ${path})`, 'pass a folder you can write to', { cause });
}

function locked(out: string, flag: string, path: string, holder: number | null): UsageError {
  const who = holder === null ? 'another process' : `process ${holder}`;
  return new UsageError(
    `${flag} ${out} is being written by ${who} (lock ${path}); nothing was changed`,
    `wait for it to finish or pass another ${flag}; if no burstlab is running there, remove ${path}`,
  );
}
