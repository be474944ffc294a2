import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../runner/errors.js';
import { refuseProtected } from '../../runner/output-dir.js';
import { STATE_SCHEMA } from './control-plane.js';

export const MARKER_FILE = '.burstlab-cluster.json';
const MARKER_SCHEMA = 'burstlab/kwok-dir/v1';

/** The throwaway folders a cluster keeps in its --dir and removes at teardown. */
export const THROWAWAY = ['etcd', 'pki', 'kwok-home'] as const;
export type Throwaway = (typeof THROWAWAY)[number];

interface Marker {
  schema: typeof MARKER_SCHEMA;
  /** The throwaway folders burstlab made here, so the only ones it may ever delete. */
  owns: Throwaway[];
}

/**
 * Takes a cluster folder for burstlab before anything is written or deleted in it. It must be new, empty, or one
 * burstlab made (its marker file lists the throwaway folders burstlab created there, and an older burstlab's
 * cluster.json marks a folder without one). A `pki`, `etcd` or
 * `kwok-home` that burstlab did not make is refused, never deleted: they would be removed at teardown. The marker
 * is written before any of them is created, so a crash in between still leaves a record of what is burstlab's.
 */
export function claimClusterDir(dir: string, flag = '--dir'): void {
  refuseProtected(dir, flag);
  let st;
  try {
    st = lstatSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`${flag} ${dir} is inside a file, not a folder`, `pass a folder path, e.g. ${flag} runs/cluster-kwok`);
    if (code !== 'ENOENT') throw cannotUse(dir, flag, err);
  }
  if (st?.isSymbolicLink()) throw new UsageError(`${flag} ${dir} is a symbolic link`, 'burstlab never writes through a link: pass the folder it points to, or a new path');
  if (st && !st.isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a folder`, `pass a folder path, e.g. ${flag} runs/cluster-kwok`);
  const marker = st ? readMarker(dir) : undefined;
  if (st && !marker && !hasClusterState(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(
      `${flag} ${dir} holds other files and is not a burstlab cluster folder (it has no ${MARKER_FILE}); nothing was changed`,
      `pass a new or empty folder for the cluster, e.g. ${flag} runs/cluster-kwok`,
    );
  }
  const foreign = THROWAWAY.filter((sub) => existsSync(join(dir, sub)) && !marker?.owns.includes(sub));
  if (foreign.length > 0) {
    throw new UsageError(
      `${foreign.map((sub) => join(dir, sub)).join(', ')} ${foreign.length === 1 ? 'was' : 'were'} not made by burstlab, and a cluster deletes its ${foreign.join(', ')} at teardown; nothing was changed`,
      `move ${foreign.length === 1 ? 'it' : 'them'} out of the way, or pass another ${flag}`,
    );
  }
  try {
    if (!st) mkdirParents(dir);
    const claimed: Marker = { schema: MARKER_SCHEMA, owns: [...THROWAWAY] };
    writeFileSync(join(dir, MARKER_FILE), JSON.stringify(claimed, null, 2) + '\n');
  } catch (err) {
    throw cannotUse(dir, flag, err);
  }
}

/** The throwaway folders burstlab made in `dir`: only these are ever deleted. */
export function ownedThrowaway(dir: string): Throwaway[] {
  return readMarker(dir)?.owns ?? [];
}

function readMarker(dir: string): Marker | undefined {
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as Partial<Marker>;
    if (marker.schema !== MARKER_SCHEMA || !Array.isArray(marker.owns)) return undefined;
    return { schema: MARKER_SCHEMA, owns: marker.owns.filter((s): s is Throwaway => (THROWAWAY as readonly string[]).includes(s)) };
  } catch {
    return undefined;
  }
}

/** A folder an earlier burstlab, from before the marker, ran a cluster in (its throwaway folders still need one). */
function hasClusterState(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as { schema?: unknown }).schema === STATE_SCHEMA;
  } catch {
    return false;
  }
}

/** One level at a time: Node's recursive mkdir loops forever on some paths (under /proc). */
function mkdirParents(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.push(d);
  }
  const top = dirname(missing[missing.length - 1] ?? dir);
  if (!statSync(top).isDirectory()) throw new Error(`${top} is not a folder`);
  for (const d of missing.reverse()) mkdirSync(d);
}

function cannotUse(dir: string, flag: string, cause: unknown): UsageError {
  return new UsageError(`${flag} ${dir}: cannot create the cluster folder there`, 'pass a folder you can write to', { cause });
}
