import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { hostname, homedir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../runner/pid.js';

/**
 * What a run on EKS leaves in the state folder while it runs, so that a crash (SIGKILL, a lost machine) is found by
 * the next start and its leftovers cleaned up with nothing but this.
 */
export interface RunMarker {
  runId: string;
  region: string;
  clusterName: string;
  namespace: string;
  kubeconfig?: string;
  context?: string;
  pid: number;
  host: string;
  startedAt: string;
}

/** The state folder, outside any repository: BURSTLAB_STATE_DIR, or $XDG_STATE_HOME/burstlab, or ~/.local/state/burstlab. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BURSTLAB_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'burstlab');
}

function markersDir(dir: string): string {
  return join(dir, 'eks-runs');
}

function markerPath(dir: string, runId: string): string {
  return join(markersDir(dir), `${encodeURIComponent(runId)}.json`);
}

/** Writes the marker atomically (a crash mid-write leaves no half marker). */
export function writeMarker(dir: string, marker: Omit<RunMarker, 'pid' | 'host'>): RunMarker {
  const full: RunMarker = { ...marker, pid: process.pid, host: hostname() };
  mkdirSync(markersDir(dir), { recursive: true });
  const path = markerPath(dir, marker.runId);
  writeFileSync(`${path}.tmp`, JSON.stringify(full, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  return full;
}

export function removeMarker(dir: string, runId: string): void {
  rmSync(markerPath(dir, runId), { force: true });
}

export function readMarker(dir: string, runId: string): RunMarker | undefined {
  try {
    return JSON.parse(readFileSync(markerPath(dir, runId), 'utf8')) as RunMarker;
  } catch {
    return undefined;
  }
}

/**
 * Markers of runs that ended without removing theirs: their process is gone. A marker from another machine is
 * left alone (its run may still be going there); one that cannot be read is reported, never deleted blindly.
 */
export function staleMarkers(dir: string): { stale: RunMarker[]; unreadable: string[] } {
  let names: string[];
  try {
    names = readdirSync(markersDir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return { stale: [], unreadable: [] };
  }
  const stale: RunMarker[] = [];
  const unreadable: string[] = [];
  for (const name of names.sort()) {
    const path = join(markersDir(dir), name);
    let m: RunMarker;
    try {
      m = JSON.parse(readFileSync(path, 'utf8')) as RunMarker;
    } catch {
      unreadable.push(path);
      continue;
    }
    if (typeof m.runId !== 'string' || typeof m.region !== 'string') unreadable.push(path);
    else if (m.host === hostname() && !isAlive(m.pid)) stale.push(m);
  }
  return { stale, unreadable };
}
