import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarker, removeMarker, staleMarkers, writeMarker } from '../../../harness/targets/eks/run-markers.js';
import { tempDirs } from '../../support/temp-dirs.js';

const tempDir = tempDirs('burstlab-markers-');
const marker = (runId: string) => ({ runId, region: 'us-east-1', clusterName: 'game-day', namespace: `burstlab-${runId}`, startedAt: '2026-11-25T13:00:00Z' });
/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

function writeRaw(dir: string, runId: string, content: string): string {
  const path = join(dir, 'eks-runs', `${runId}.json`);
  writeFileSync(path, content);
  return path;
}

describe('run markers', () => {
  it("finds as stale only the markers of this machine's runs whose process is gone, and reports an unreadable one", () => {
    const dir = tempDir();
    writeMarker(dir, marker('alive'));
    writeRaw(dir, 'dead', JSON.stringify({ ...marker('dead'), pid: deadPid(), host: hostname() }));
    writeRaw(dir, 'elsewhere', JSON.stringify({ ...marker('elsewhere'), pid: deadPid(), host: `not-${hostname()}` }));
    const broken = writeRaw(dir, 'broken', '{"runId": ');

    const { stale, unreadable } = staleMarkers(dir);

    expect(stale.map((m) => m.runId)).toEqual(['dead']);
    expect(unreadable).toEqual([broken]);
  });

  it('is gone once removed, and an empty state folder has nothing stale', () => {
    const dir = tempDir();
    writeMarker(dir, marker('run-1'));
    expect(readMarker(dir, 'run-1')).toMatchObject({ runId: 'run-1', pid: process.pid, host: hostname() });
    removeMarker(dir, 'run-1');
    expect(readMarker(dir, 'run-1')).toBeUndefined();
    expect(staleMarkers(tempDir())).toEqual({ stale: [], unreadable: [] });
  });
});
