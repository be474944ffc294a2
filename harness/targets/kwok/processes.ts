import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
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
 * - 'owned': no longer than this Node process. The kernel kills it if we die (setpriv --pdeathsig, where present),
 *   and an exit hook kills it if we exit without tearing down.
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
      owned.delete(pid);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => resolve(err.message));
  });
  if (lifetime === 'owned') {
    owned.set(pid, record);
    installExitHook();
  } else {
    child.unref();
  }
  return { ...record, exited };
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
    owned.delete(p.pid);
  }
  return killed;
}
