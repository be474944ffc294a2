import { rmSync } from 'node:fs';
import { AutoscalingV2Api, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep, stopwatch } from '../../harness/clock/wall-clock.js';
import { kwokNode } from '../../harness/targets/kwok-nodes.js';
import { onDemandNodes } from '../../harness/targets/kwok/node-shapes.js';
import { HPA_TARGET_UTILIZATION, hpaManifest } from '../../harness/targets/live/hpa-manifest.js';
import { startLoadMetrics } from '../../harness/targets/live/load-metrics.js';
import { LIVE_NAMESPACE } from '../../harness/targets/live/seams.js';
import type { LiveLoadMetrics } from '../../harness/targets/live/seams.js';
import { deployment } from '../../harness/targets/workloads.js';
import { scenario } from '../support/scenarios.js';
import { leftovers, startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

// Speed 2: the HPA syncs every 7.5 s wall and its scale-down window is 15 s wall; metrics-server scrapes every 10 s
// (its floor), so each reaction takes a few scrapes and syncs.
const SPEED = 2;
const TARGET_RPS = 50;
const live = scenario({
  workloads: [
    {
      name: 'web',
      replicas: 2,
      resources: { cpu: '200m', memory: '128Mi' },
      hpa: { minReplicas: 2, maxReplicas: 10, targetRpsPerPod: TARGET_RPS, scaleDown: { stabilizationWindow: '30s' } },
    },
  ],
  traffic: [{ workload: 'web', profile: 'constant', rps: 100 }],
});
const web = live.workloads[0]!;

describe.skipIf(skip)('a real HPA on metrics-server over kwok', () => {
  let f: KwokFixture | undefined;
  let load: LiveLoadMetrics | undefined;
  let failed = false;
  const fixture = (): KwokFixture => {
    if (!f) throw new Error('the control plane did not start');
    return f;
  };
  const metrics = (): LiveLoadMetrics => {
    if (!load) throw new Error('the load metrics did not start');
    return load;
  };

  const readHpa = (): Promise<V2HorizontalPodAutoscaler> =>
    fixture().client.kubeconfig.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name: 'web', namespace: LIVE_NAMESPACE });

  /** Polls the HPA until `done` holds; the wall seconds it took. */
  const hpaUntil = async (what: string, done: (h: V2HorizontalPodAutoscaler) => boolean, timeoutMs: number): Promise<number> => {
    const elapsed = stopwatch();
    let last: V2HorizontalPodAutoscaler | undefined;
    while (elapsed() < timeoutMs) {
      last = await readHpa();
      if (done(last)) return elapsed() / 1000;
      await sleep(500);
    }
    throw new Error(`timed out waiting for the HPA to ${what}; its status: ${JSON.stringify(last?.status)}`);
  };

  beforeAll(async () => {
    if (toolsError) throw new Error(toolsError);
    f = await startKwokFixture('none', { metrics: true, speed: SPEED });
    process.stderr.write(`[kwok-hpa] control plane with the metrics path ready in ${f.plane.state.startupS.toFixed(1)} s\n`);
    await f.client.createNodes(onDemandNodes('m5.xlarge', 3, { prefix: 'hpa' }).map(kwokNode));
    await f.client.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } },
      deployment({ name: 'web', namespace: LIVE_NAMESPACE, replicas: 2, cpuMilli: 200, memoryMiB: 128, kwok: true }),
    ]);
    await f.client.apply([hpaManifest(web, SPEED).manifest]);
    load = await startLoadMetrics({ kubeconfigPath: f.plane.kubeconfigPath, scenario: live });
  }, 180_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });

  afterAll(async () => {
    await load?.stop().catch(() => undefined);
    await f?.stop();
    if (f) expect(await leftovers(f.plane)).toEqual([]);
    if (f && !failed) rmSync(f.dir, { recursive: true, force: true });
    else if (f) process.stderr.write(`[kwok-hpa] logs kept in ${f.dir}\n`);
  }, 60_000);

  it('sees the offered load as CPU utilisation at the target when each pod gets its target rate', async () => {
    await metrics().setOfferedLoad('web', 2 * TARGET_RPS);
    await hpaUntil('report the target utilisation', (h) => nearTarget(utilisation(h)), 90_000);
    expect((await readHpa()).status?.desiredReplicas).toBe(2);
  }, 120_000);

  it('scales the Deployment up when the load per pod rises', async () => {
    await metrics().setOfferedLoad('web', 6 * TARGET_RPS);
    const s = await hpaUntil('scale up', (h) => (h.status?.desiredReplicas ?? 0) > 2, 90_000);
    process.stderr.write(`[kwok-hpa] HPA reacted to 3x the load after ${s.toFixed(1)} s wall\n`);
    // New pods dilute the load until each serves its target again: 300 rps at 50 per pod is 6 replicas.
    await hpaUntil('settle at 6 replicas with the target utilisation', (h) => h.status?.currentReplicas === 6 && nearTarget(utilisation(h)), 120_000);
  }, 240_000);

  it('scales back down to minReplicas when the load falls', async () => {
    await metrics().setOfferedLoad('web', TARGET_RPS / 2);
    const s = await hpaUntil('scale down to 2', (h) => h.status?.desiredReplicas === 2, 120_000);
    process.stderr.write(`[kwok-hpa] HPA scaled down to minReplicas ${s.toFixed(1)} s wall after the load fell (window 15 s wall)\n`);
    await hpaUntil('have 2 current replicas', (h) => h.status?.currentReplicas === 2, 60_000);
  }, 200_000);
});

/** The HPA truncates utilisation to a whole percent of a rate metrics-server measured between two scrapes. */
function nearTarget(u: number | undefined): boolean {
  return u !== undefined && Math.abs(u - HPA_TARGET_UTILIZATION) <= 2;
}

function utilisation(h: V2HorizontalPodAutoscaler): number | undefined {
  return h.status?.currentMetrics?.find((m) => m.type === 'Resource')?.resource?.current.averageUtilization;
}
