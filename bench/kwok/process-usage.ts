import { readFileSync } from 'node:fs';

/** What the kernel says a process has used so far: the same reading for every controller, whatever its language. */
export interface ProcessUsage {
  pid: number;
  /** /proc/<pid>/comm: which program was measured (the controller, not a wrapper). */
  command: string;
  /** utime + stime of /proc/<pid>/stat, in seconds: CPU used since it started. */
  cpuSeconds: number;
  /** VmHWM of /proc/<pid>/status: the peak resident set since it started, in MiB. */
  peakRssMiB: number;
  /** VmRSS: resident now, in MiB. */
  rssMiB: number;
}

/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux architecture burstlab runs on. */
const USER_HZ = 100;

/** Reads `pid`'s CPU seconds and peak RSS from /proc (Linux only: the benchmark's kwok target is Linux-only too). */
export function processUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command field is in parentheses and may hold spaces: count the fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${key}`);
    return Number(m[1]);
  };
  const mib = (k: number): number => Math.round((k / 1024) * 10) / 10;
  return {
    pid,
    command: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
    cpuSeconds: Math.round((ticks / USER_HZ) * 100) / 100,
    peakRssMiB: mib(kib('VmHWM')),
    rssMiB: mib(kib('VmRSS')),
  };
}
