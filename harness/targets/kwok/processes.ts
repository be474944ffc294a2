import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { sleep, stopwatch } from '../../clock/wall-clock.js';

export interface ProcessSpec {
  /** Short name for messages and the log file. */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/** What is needed to find and stop a process later, possibly from another burstlab invocation. */
export interface ProcessRecord {
  name: string;
  pid: number;
  command: string;
}

export interface StartedProcess extends ProcessRecord {
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * How long a process should live:
 * - 'owned': no longer than this Node process, however it ends. Three layers, because each misses a case:
 *   1. a clean exit or a Ctrl-C: the run tears down in order (stopProcesses), and an 'exit' hook SIGKILLs the
 *      process group of anything still owned (a second Ctrl-C exits at once);
 *   2. a SIGKILL of burstlab, or a crash the exit hook never sees: every owned process is started under
 *      `setpriv --pdeathsig SIGKILL` where util-linux has it, so the kernel kills it when burstlab dies. The
 *      kernel sends it when the *thread* that started the child exits, so owned processes are started from the
 *      main thread only (run-live.ts runs a live run there, never on a worker);
 *   3. the same without setpriv (macOS, minimal images), or for what an owned process forks: a watchdog, one small
 *      detached Node process per burstlab, holds the read end of a pipe from burstlab and the list of owned
 *      process groups (each child is started in a group of its own). A pipe's write end closes when its process
 *      dies, however it dies, so the watchdog reads end-of-file the moment burstlab is gone, SIGKILLs every group
 *      still listed and exits. Groups leave the list when they stop, so a reused pid is never signalled.
 *   The kubeconfig with the cluster's admin token lives in the cluster's folder inside the run's folder (its
 *   `.partial-<pid>` sibling until the run is complete) and is deleted at teardown; after a SIGKILL it stays
 *   there, naming a cluster that is already gone, and the next run into that folder removes it.
 * - 'detached': it outlives us (`burstlab cluster up`); `cluster down` stops it by its recorded pid.
 */
export type Lifetime = 'owned' | 'detached';

const owned = new Map<number, ProcessRecord>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a SIGKILL to each group is the only teardown possible here.
  process.on('exit', () => {
    for (const p of owned.values()) killGroup(p.pid, 'SIGKILL');
  });
}

/** The watchdog's program: '+<pgid>' and '-<pgid>' lines on stdin; at end-of-file, SIGKILL every group listed. */
const WATCHDOG_SOURCE = `
const groups = new Set();
let pending = '';
const killAll = () => {
  for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch {} }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let i = pending.indexOf('\\n'); i >= 0; i = pending.indexOf('\\n')) {
    const line = pending.slice(0, i);
    pending = pending.slice(i + 1);
    const pgid = Number(line.slice(1));
    if (line[0] === '+') groups.add(pgid);
    else groups.delete(pgid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
`;

let watchdog: Writable | undefined;

/** Starts the watchdog on first use; `+pgid` / `-pgid` keep its list. Best effort: the other layers still hold. */
function tellWatchdog(line: string): void {
  if (!watchdog) {
    const dog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    dog.on('error', () => undefined);
    dog.unref();
    // Neither the pipe nor the watchdog may keep burstlab alive: it ends when burstlab does.
    (dog.stdin as unknown as { unref?: () => void }).unref?.();
    dog.stdin.on('error', () => undefined);
    watchdog = dog.stdin;
  }
  watchdog.write(`${line}\n`);
}

let setprivWorks: boolean | undefined;
function canUseSetpriv(): boolean {
  setprivWorks ??= spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivWorks;
}

/** `command args` run so that the kernel SIGKILLs it when this process dies (setpriv --pdeathsig, where present). */
export function diesWithParent(command: string, args: readonly string[]): { command: string; args: string[] } {
  return canUseSetpriv() ? { command: 'setpriv', args: ['--pdeathsig', 'SIGKILL', '--', command, ...args] } : { command, args: [...args] };
}

export function startProcess(spec: ProcessSpec, lifetime: Lifetime): StartedProcess {
  const fd = openSync(spec.logFile, 'a');
  const { command, args } = lifetime === 'owned' ? diesWithParent(spec.command, spec.args) : spec;
  // detached: its own process group, so a Ctrl-C in the terminal reaches burstlab, which then tears down in order.
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env: spec.env ?? process.env });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  const record: ProcessRecord = { name: spec.name, pid, command: spec.command };
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      forget(pid);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => resolve(err.message));
  });
  if (lifetime === 'owned') {
    owned.set(pid, record);
    installExitHook();
    tellWatchdog(`+${pid}`);
  } else {
    child.unref();
  }
  return { ...record, exited };
}

/** No longer owned: off the exit hook's and the watchdog's lists. */
function forget(pid: number): void {
  if (owned.delete(pid)) tellWatchdog(`-${pid}`);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * True while the process runs and is still the program we started: a recorded pid may have been reused by an
 * unrelated process since, and that one must never be signalled.
 */
export function isRunning(p: ProcessRecord): boolean {
  const proc = `/proc/${p.pid}`;
  if (!existsSync('/proc/self')) {
    try {
      process.kill(p.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`${proc}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    const argv = readFileSync(`${proc}/cmdline`, 'utf8').split('\0');
    return argv.includes(p.command);
  } catch {
    return false;
  }
}

/** Stops processes in the order given: SIGTERM, then SIGKILL after `graceMs`. Returns those that needed SIGKILL. */
export async function stopProcesses(list: readonly ProcessRecord[], graceMs = 5_000): Promise<string[]> {
  const killed: string[] = [];
  for (const p of list) {
    if (!isRunning(p)) continue;
    killGroup(p.pid, 'SIGTERM');
    const elapsed = stopwatch();
    while (isRunning(p) && elapsed() < graceMs) await sleep(20);
    if (isRunning(p)) {
      killGroup(p.pid, 'SIGKILL');
      killed.push(p.name);
      while (isRunning(p) && elapsed() < graceMs + 5_000) await sleep(20);
    }
    forget(p.pid);
  }
  return killed;
}
