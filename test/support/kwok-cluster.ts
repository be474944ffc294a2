import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WallClock } from '../../harness/clock/wall-clock.js';
import { LiveRecorder } from '../../harness/recorder/live-recorder.js';
import { watchCluster, type ClusterWatch } from '../../harness/targets/cluster-watch.js';
import { KubeClient } from '../../harness/targets/kube-client.js';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions, type StopReport } from '../../harness/targets/kwok/control-plane.js';
import { portIsFree } from '../../harness/targets/kwok/ports.js';
import { isRunning } from '../../harness/targets/kwok/processes.js';
import { toolPaths, toolVersions } from '../../harness/targets/kwok/tools.js';

/** A kwok control plane owned by the test process, with a client, and a recorder fed by pod and node watches. */
export interface KwokFixture {
  dir: string;
  plane: ControlPlane;
  client: KubeClient;
  clock: WallClock;
  recorder: LiveRecorder;
  watch: ClusterWatch;
  /** Stops the watches and the control plane (idempotent). */
  stop(): Promise<StopReport>;
}

/** Control-plane options a test may set: the metrics path, speed and the timings speed compresses. */
export type FixtureOptions = Pick<ControlPlaneOptions, 'metrics' | 'speed' | 'timings'>;

export async function startKwokFixture(autoscaler = 'none', options: FixtureOptions = {}): Promise<KwokFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-kwok-'));
  const plane = await startControlPlane({
    ...options,
    dir,
    tools: toolPaths(),
    versions: toolVersions(),
    lifetime: 'owned',
    log: (line) => void process.stderr.write(`[kwok] ${line}\n`),
  });
  try {
    const client = KubeClient.fromFile(plane.kubeconfigPath);
    const clock = new WallClock();
    const recorder = new LiveRecorder(clock, autoscaler);
    const watch = await watchCluster(client.kubeconfig, recorder);
    let stopped: Promise<StopReport> | undefined;
    return {
      dir, plane, client, clock, recorder, watch,
      stop: () => (stopped ??= watch.stop().then(() => plane.stop())),
    };
  } catch (err) {
    await plane.stop();
    throw err;
  }
}

/** What a torn-down cluster left behind: running processes and bound ports, by name. */
export async function leftovers(plane: ControlPlane): Promise<string[]> {
  const out = plane.state.processes.filter(isRunning).map((p) => `${p.name} pid ${p.pid}`);
  for (const [name, port] of Object.entries(plane.state.ports)) if (!(await portIsFree(port))) out.push(`${name} port ${port}`);
  return out;
}
