import { readdirSync, readFileSync } from 'node:fs';
import { portIsFree } from '../../harness/targets/kwok/ports.js';

/**
 * Processes still running whose command line mentions `dir`: every process a live run starts names its cluster
 * folder in its arguments (etcd's data dir, the others' kubeconfig or config), so none under `dir` may survive.
 */
export async function leftoverProcesses(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    if (Number(pid) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && argv.some((a) => a.includes(dir))) out.push(`${pid} ${argv.slice(0, 2).join(' ')}`);
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** SIGKILLs every process `leftoverProcesses` finds: a failed test's cleanup, so a regression leaks nothing. */
export async function killLeftovers(dir: string): Promise<void> {
  for (const line of await leftoverProcesses(dir)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The ports among `ports` that something still listens on. */
export async function busyPorts(ports: readonly number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const p of ports) if (!(await portIsFree(p))) busy.push(p);
  return busy;
}
