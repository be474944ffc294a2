import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scenarioClockOf } from '../../harness/clock/scaled-clock.js';
import { WallClock } from '../../harness/clock/wall-clock.js';
import { MemoryRecorder } from '../../harness/recorder/recorder.js';
import { kwokNode } from '../../harness/targets/kwok-nodes.js';
import { onDemandNodes } from '../../harness/targets/kwok/node-shapes.js';
import { toolPaths } from '../../harness/targets/kwok/tools.js';
import { LIVE_NAMESPACE } from '../../harness/targets/live/seams.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { deployment } from '../../harness/targets/workloads.js';
import { endpointSliceFeed, type ReadyEndpointsWatch } from '../../harness/traffic/endpoint-slices.js';
import { workloadService } from '../../harness/traffic/service-manifest.js';
import { VegetaLoad } from '../../harness/traffic/vegeta.js';
import type { TrafficSample } from '../../provisioner/runtime/events.js';
import { Random } from '../../provisioner/runtime/random.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';
import { scenario } from '../support/scenarios.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

describe.skipIf(skip)("the Service stand-in's capacity on kwok", () => {
  let f: KwokFixture | undefined;
  let watch: ReadyEndpointsWatch | undefined;
  let load: VegetaLoad | undefined;
  const fixture = (): KwokFixture => {
    if (!f) throw new Error('the control plane did not start');
    return f;
  };

  beforeAll(async () => {
    if (toolsError) throw new Error(toolsError);
    f = await startKwokFixture();
    await f.client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } }]);
    await f.client.createNodes(onDemandNodes('m5.xlarge', 2, { prefix: 'slices' }).map(kwokNode));
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await watch?.stop();
    await f?.stop();
    if (f) rmSync(f.dir, { recursive: true, force: true });
  }, 60_000);

  it("follows the Ready endpoints of the workload's real EndpointSlices as it scales", async () => {
    const { client } = fixture();
    const app = { name: 'web', namespace: LIVE_NAMESPACE, replicas: 3, cpuMilli: 100, memoryMiB: 128, kwok: true };
    await client.apply([deployment(app), workloadService('web')]);
    let ready = -1;
    watch = await endpointSliceFeed(client.kubeconfig, LIVE_NAMESPACE, ['web'])((service, n) => {
      if (service === 'web') ready = n;
    });
    await waitUntil('3 ready endpoints', () => ready === 3, 60_000, () => `at ${ready}`);
    await client.scale('Deployment', LIVE_NAMESPACE, 'web', 5);
    await waitUntil('5 ready endpoints', () => ready === 5, 60_000, () => `at ${ready}`);
    await client.scale('Deployment', LIVE_NAMESPACE, 'web', 1);
    await waitUntil('1 ready endpoint', () => ready === 1, 60_000, () => `at ${ready}`);
    expect(watch.errors).toEqual([]);
    await watch.stop();
    watch = undefined;
  }, 240_000);

  it('serves real HTTP load at the capacity of the Ready pods, and more once the Deployment scales up', async () => {
    const { client, plane, dir } = fixture();
    const app = { name: 'api', namespace: LIVE_NAMESPACE, replicas: 2, cpuMilli: 100, memoryMiB: 128, kwok: true };
    await client.apply([deployment(app), workloadService('api')]);
    // 90 scenario seconds at speed 10: 200 rps offered, two pods serving 50 each; five pods from 30 s.
    const s = scenario({
      duration: '90s',
      sampleInterval: '10s',
      requestTimeout: '300ms',
      workloads: [{ name: 'api', replicas: 2, resources: { cpu: '100m', memory: '128Mi' }, capacityRpsPerPod: 50 }],
      traffic: [{ workload: 'api', profile: 'constant', rps: 200, noise: 0 }],
    });
    const clock = scenarioClockOf(new WallClock(), 10);
    const recorder = new MemoryRecorder(clock, 'arm');
    load = new VegetaLoad(
      { kubeconfigPath: plane.kubeconfigPath, scenario: s, clock, random: new Random(s.seed), recorder, speed: 10, logDir: dir },
      { loadgenPath: toolPaths().loadgen },
    );
    await load.start();
    clock.setTimer(30_000 - clock.now(), () => void client.scale('Deployment', LIVE_NAMESPACE, 'api', 5));
    await new Promise<void>((resolve) => clock.setTimer(93_000 - clock.now(), resolve));
    await load.stop();

    const served = recorder.events.filter((e): e is TrafficSample => e.type === 'traffic.sample').map((e) => e.servedRps);
    expect(served).toHaveLength(9);
    for (const x of served.slice(1, 3)) {
      expect(x).toBeGreaterThan(85);
      expect(x).toBeLessThan(120);
    }
    for (const x of served.slice(7)) expect(x).toBeGreaterThan(190);
    expect(load.warnings).toEqual([]);
  }, 120_000);
});
