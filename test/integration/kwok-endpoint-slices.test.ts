import { rmSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { kwokNode } from '../../harness/targets/kwok-nodes.js';
import { onDemandNodes } from '../../harness/targets/kwok/node-shapes.js';
import { LIVE_NAMESPACE } from '../../harness/targets/live/seams.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { deployment } from '../../harness/targets/workloads.js';
import { endpointSliceFeed, type ReadyEndpointsWatch } from '../../harness/traffic/endpoint-slices.js';
import { workloadService } from '../../harness/traffic/service-manifest.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

describe.skipIf(skip)("the Service stand-in's capacity on kwok", () => {
  let f: KwokFixture | undefined;
  let watch: ReadyEndpointsWatch | undefined;

  afterAll(async () => {
    await watch?.stop();
    await f?.stop();
    if (f) rmSync(f.dir, { recursive: true, force: true });
  }, 60_000);

  it("follows the Ready endpoints of the workload's real EndpointSlices as it scales", async () => {
    if (toolsError) throw new Error(toolsError);
    f = await startKwokFixture();
    const { client } = f;
    await client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } }]);
    await client.createNodes(onDemandNodes('m5.xlarge', 2, { prefix: 'slices' }).map(kwokNode));
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
  }, 240_000);
});
