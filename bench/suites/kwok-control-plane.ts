import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WallClock } from '../../harness/clock/wall-clock.js';
import { podToReady } from '../../harness/metrics/pod-latency.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { LiveRecorder } from '../../harness/recorder/live-recorder.js';
import { watchCluster } from '../../harness/targets/cluster-watch.js';
import { KubeClient } from '../../harness/targets/kube-client.js';
import { kwokNode } from '../../harness/targets/kwok-nodes.js';
import { startControlPlane, type ControlPlane } from '../../harness/targets/kwok/control-plane.js';
import { onDemandNodes } from '../../harness/targets/kwok/node-shapes.js';
import { ensureTools, toolVersions, type ToolPaths } from '../../harness/targets/kwok/tools.js';
import { scaleToZero, scaleUp } from '../../harness/targets/pod-burst.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { summarize, type BenchSuite } from '../suite.js';

const STARTS = 5;
const ROUNDS = 5;
const PODS = 1000;
const NODE_TYPE = 'm5.4xlarge';
const NODES = 10;

/** The pod events of one workload (and every node event): one round's slice of a shared log. */
function eventsOf(events: readonly RunEvent[], workload: string): RunEvent[] {
  const pods = new Set(events.filter((e) => e.type === 'pod.created' && e.workload === workload).map((e) => (e as { pod: string }).pod));
  return events.filter((e) => !e.type.startsWith('pod.') || pods.has((e as { pod: string }).pod));
}

async function withCluster<T>(tools: ToolPaths, log: (line: string) => void, fn: (plane: ControlPlane) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-bench-kwok-'));
  const plane = await startControlPlane({ dir, tools, versions: toolVersions(), lifetime: 'owned', log });
  try {
    return await fn(plane);
  } finally {
    const report = await plane.stop();
    if (report.survivors.length || report.busyPorts.length) throw new Error(`teardown left ${report.survivors.join(', ')} ports ${report.busyPorts.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

export const kwokControlPlane: BenchSuite = {
  name: 'kwok-control-plane',
  description:
    `kwok target, binaries cached: control-plane cold start (first process started to etcd, kube-apiserver, ` +
    `kube-controller-manager, kube-scheduler and kwok healthy), ${STARTS} starts; then pod-to-ready of a ` +
    `${PODS}-replica Deployment (100m CPU, 128Mi each) onto ${NODES} pre-created ${NODE_TYPE} kwok nodes with every ` +
    `simulated delay zero, ${ROUNDS} rounds of 0 -> ${PODS} -> 0 on one cluster: the floor the control plane itself sets.`,
  async run(log) {
    const tools = await ensureTools(log);
    const quiet = (): void => {};
    const startsS: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      await withCluster(tools, quiet, async (plane) => void startsS.push(plane.state.startupS));
      log(`cold start ${i + 1}: ${startsS[i]!.toFixed(2)} s`);
    }

    const rounds = await withCluster(tools, quiet, async (plane) => {
      const client = KubeClient.fromFile(plane.kubeconfigPath);
      const recorder = new LiveRecorder(new WallClock(), 'none');
      const watch = await watchCluster(client.kubeconfig, recorder);
      try {
        await client.createNodes(onDemandNodes(NODE_TYPE, NODES, { prefix: 'bench' }).map(kwokNode));
        await waitUntil(`${NODES} Ready nodes`, () => watch.nodes.list().filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === NODES, 60_000);
        const out = [];
        for (let r = 1; r <= ROUNDS; r++) {
          const app = { name: `burst-${r}`, namespace: 'default', replicas: PODS, cpuMilli: 100, memoryMiB: 128, kwok: true };
          const allReadyMs = await scaleUp(client, watch, app, 300_000);
          await scaleToZero(client, watch, app, 300_000);
          const latency = podToReady(eventsOf(recorder.events(), app.name), 'none');
          const { scheduling, startup } = latency.split;
          log(`round ${r}: ${latency.count} pods, p50 ${latency.p50} s, p99 ${latency.p99} s (scheduling p50 ${scheduling.p50} s, start-up p50 ${startup.p50} s), all Ready after ${(allReadyMs / 1000).toFixed(2)} s`);
          out.push({
            round: r, pods: latency.count, p50S: latency.p50, p90S: latency.p90, p99S: latency.p99, maxS: latency.max,
            schedulingP50S: scheduling.p50, schedulingP99S: scheduling.p99, startupP50S: startup.p50, startupP99S: startup.p99,
            allReadyS: Math.round(allReadyMs) / 1000,
          });
        }
        return out;
      } finally {
        await watch.stop();
      }
    });

    return {
      versions: toolVersions(),
      coldStartS: summarize(startsS),
      podToReadyP50S: summarize(rounds.map((r) => r.p50S)),
      podToReadyP99S: summarize(rounds.map((r) => r.p99S)),
      allReadyS: summarize(rounds.map((r) => r.allReadyS)),
      rounds,
    };
  },
};
