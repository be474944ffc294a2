import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimClusterDir, MARKER_FILE } from '../../harness/targets/kwok/cluster-dir.js';
import { STATE_SCHEMA, stopCluster, type ClusterState } from '../../harness/targets/kwok/control-plane.js';
import { freePorts } from '../../harness/targets/kwok/ports.js';
import { runCli, snapshot } from '../support/cli.js';

/** A cluster.json as `cluster up` writes it, for processes given by the test. */
async function clusterState(dir: string, processes: ClusterState['processes']): Promise<ClusterState> {
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await freePorts(6);
  return {
    schema: STATE_SCHEMA,
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    server: `https://127.0.0.1:${apiserver}`,
    startedAt: '2026-11-25T00:00:00.000Z',
    startupS: 0,
    versions: { kubernetes: 'v1.36.3', etcd: 'v3.6.0', kwok: 'v0.7.0', metricsServer: 'v0.8.0', vegeta: 'v12.13.0' },
    ports: { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver!, controllerManager: controllerManager!, scheduler: scheduler!, kwok: kwok! },
    processes,
  };
}

describe('burstlab cluster --dir', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-cluster-dir-'));
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const sub of ['pki', 'etcd', 'kwok-home']) {
    it(`refuses a ${sub} folder it did not make in its own cluster folder, exits 2 and changes nothing`, async () => {
      // A folder a stopped cluster of an older burstlab left (cluster.json, no marker), then someone's ${sub}/.
      writeFileSync(join(dir, 'cluster.json'), JSON.stringify(await clusterState(dir, [])));
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'mine'), 'not burstlab\n');
      const before = snapshot(dir);
      const { code, stderr } = await runCli(['cluster', 'up', '--target', 'kwok', '--dir', dir]);
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`${join(dir, sub)} was not made by burstlab`));
      expect(stderr).toMatch(/hint: /);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('refuses a non-empty folder that is not a burstlab cluster folder', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const before = snapshot(dir);
    const { code, stderr } = await runCli(['cluster', 'up', '--target', 'kwok', '--dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a burstlab cluster folder/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('marks a new folder as its own, and accepts it again for the next cluster', () => {
    const cluster = join(dir, 'a', 'cluster');
    claimClusterDir(cluster);
    expect(JSON.parse(readFileSync(join(cluster, MARKER_FILE), 'utf8')).owns).toEqual(['etcd', 'pki', 'kwok-home']);
    mkdirSync(join(cluster, 'pki'));
    expect(() => claimClusterDir(cluster)).not.toThrow();
  });

  it('deletes at teardown only the throwaway folders it made', async () => {
    writeFileSync(join(dir, MARKER_FILE), JSON.stringify({ schema: 'burstlab/kwok-dir/v1', owns: ['etcd'] }));
    for (const sub of ['etcd', 'pki']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'f'), sub);
    }
    await stopCluster(await clusterState(dir, []));
    expect(existsSync(join(dir, 'etcd'))).toBe(false);
    expect(readFileSync(join(dir, 'pki', 'f'), 'utf8')).toBe('pki');
  });

  it('exits 2 for `cluster up --timeout 0`', async () => {
    const { code, stderr } = await runCli(['cluster', 'up', '--target', 'kwok', '--dir', dir, '--timeout', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--timeout needs a whole number >= 1/);
  });

  it('reports a half-started cluster as not healthy with exit 3, naming what is down and the missing kubeconfig', async () => {
    // Stand-ins for the two components a start-up that died half-way had launched; isRunning matches the command.
    const running = ['etcd', 'kube-apiserver'].map((name) => {
      const child = spawn('sleep', ['60'], { stdio: 'ignore' });
      children.push(child);
      return { name, pid: child.pid!, command: 'sleep' };
    });
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(await clusterState(dir, running)));
    const { code, stdout } = await runCli(['cluster', 'status', '--target', 'kwok', '--dir', dir]);
    expect(code).toBe(3);
    expect(stdout).toMatch(/etcd\s+pid \d+\s+running/);
    expect(stdout).toMatch(/NOT HEALTHY: 3 of 5 components down: kube-controller-manager \(never started\), kube-scheduler \(never started\), kwok \(never started\)/);
    expect(stdout).toMatch(/the kubeconfig does not exist/);
    expect(stdout).toMatch(/kubeconfig .* \(MISSING\)/);
  });
});
