import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { toJsonl } from '../../harness/recorder/jsonl.js';
import { cpuMilli, memoryMiB } from '../../harness/recorder/live-quantity.js';
import { portIsFree } from '../../harness/targets/kwok/ports.js';
import { isRunning } from '../../harness/targets/kwok/processes.js';
import { KARPENTER_API } from '../../harness/targets/live/karpenter-crds.js';
import type { WatchedNodeClaim } from '../../harness/targets/live/nodeclaim-events.js';
import { LIVE_NAMESPACE } from '../../harness/targets/live/seams.js';
import { startUpstreamKarpenter, type UpstreamKarpenter } from '../../harness/targets/live/upstream-karpenter.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { formatViolation } from '../../harness/verify/violation.js';
import { verifyEvents } from '../../harness/verify/verify.js';
import { deployment } from '../../harness/targets/workloads.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { Random } from '../../provisioner/runtime/random.js';
import { loadScenario } from '../../scenarios/load.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';

const toolsError = inject('kwokToolsError');
const karpenterError = inject('karpenterKwokError');
// Only a missing Go skips, as for every kwok test; a failed build fails.
const skip = (toolsError !== '' || inject('karpenterKwokGoMissing')) && !process.env.CI;

const SCENARIO = join(import.meta.dirname, 'fixtures', 'karpenter-upstream.yaml');
const web = { name: 'web', namespace: LIVE_NAMESPACE, cpuMilli: 250, memoryMiB: 512, kwok: true };
const PODS = 30;
/** Generous: two cores shared with other work; upstream batches for a second and boots nodes in 3 s. */
const READY_MS = 240_000;

const isReady = (p: V1Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const label = (n: V1Node | undefined, key: string): string | undefined => n?.metadata?.labels?.[key];

describe.skipIf(skip)('upstream Karpenter as a live arm on kwok', () => {
  let f: KwokFixture | undefined;
  let controller: UpstreamKarpenter | undefined;

  afterEach(async (ctx) => {
    const failed = ctx.task.result?.state === 'fail';
    await controller?.stop();
    await f?.stop();
    if (f && !failed) rmSync(f.dir, { recursive: true, force: true });
    else if (f) {
      writeFileSync(join(f.dir, 'events.jsonl'), toJsonl(f.recorder.events()));
      process.stderr.write(`[karpenter-upstream] logs and events.jsonl kept in ${f.dir}\n`);
    }
    f = undefined;
    controller = undefined;
  }, 120_000);

  it("launches NodeClaims that become kwok nodes of the catalogue's types for a burst of pods, and the recorder measures them", async () => {
    if (toolsError) throw new Error(toolsError);
    if (karpenterError) throw new Error(karpenterError);
    const scenario = await loadScenario(SCENARIO);
    const spec = scenario.autoscalers[0]!;
    f = await startKwokFixture(spec.name);
    await f.client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } }]);
    controller = await startUpstreamKarpenter(
      { kubeconfigPath: f.plane.kubeconfigPath, scenario, clock: f.clock, random: new Random(scenario.seed), recorder: f.recorder, speed: 1, logDir: f.dir },
      spec,
    );
    expect(controller.components).toMatchObject({ 'karpenter (arm upstream)': expect.stringMatching(/^v\d+\.\d+\.\d+$/) });
    const fx = f;

    await fx.client.apply([deployment({ ...web, replicas: PODS })]);
    const webPods = (): V1Pod[] => fx.watch.pods.list(LIVE_NAMESPACE).filter((p) => p.metadata?.labels?.app === web.name);
    await waitUntil(`${PODS} Ready web pods`, () => webPods().filter(isReady).length === PODS, READY_MS, () => `${webPods().filter(isReady).length} Ready of ${webPods().length}`, 200);

    const custom = fx.client.kubeconfig.makeApiClient(CustomObjectsApi);
    const claims = ((await custom.listClusterCustomObject({ ...KARPENTER_API, plural: 'nodeclaims' })) as { items: Array<WatchedNodeClaim & { status?: { nodeName?: string } }> }).items;
    const claimOfNode = new Map(claims.map((c) => [c.status?.nodeName, c]));
    const catalog = new Catalog({ region: scenario.cluster.region, zones: scenario.cluster.zones });
    const nodesUsed = new Set(webPods().map((p) => p.spec!.nodeName!));
    expect(nodesUsed.size).toBeGreaterThan(1);
    const launched = new Map(fx.recorder.events().flatMap((e) => (e.type === 'node.launched' ? [[e.node, e] as const] : [])));
    const readyAt = new Map(fx.recorder.events().flatMap((e) => (e.type === 'node.ready' ? [[e.node, e.t] as const] : [])));
    for (const name of nodesUsed) {
      const node = fx.watch.nodes.get(name);
      expect(claimOfNode.get(name), `NodeClaim of ${name}`).toBeDefined();
      const type = catalog.get(label(node, 'node.kubernetes.io/instance-type') ?? '');
      expect(type, `${name}'s instance type is the catalogue's`).toBeDefined();
      expect(label(node, 'karpenter.k8s.aws/instance-size')).toBe('large');
      expect(['c', 'm', 'r']).toContain(label(node, 'karpenter.k8s.aws/instance-category'));
      expect(label(node, 'karpenter.sh/nodepool')).toBe('default');
      expect(label(node, 'team')).toBe('web');
      expect(scenario.cluster.zones).toContain(label(node, 'topology.kubernetes.io/zone'));
      expect({ cpu: cpuMilli(node?.status?.allocatable?.cpu), memory: memoryMiB(node?.status?.allocatable?.memory) }).toEqual({ cpu: type!.allocatable.cpu, memory: type!.allocatable.memory });

      // Measured: launched when its claim was created (before the 3 s registration delay), at the offering's price.
      const e = launched.get(name);
      const offering = type!.offerings.find((o) => o.zone === label(node, 'topology.kubernetes.io/zone') && o.capacityType === label(node, 'karpenter.sh/capacity-type'));
      expect(e?.type === 'node.launched' && e.pricePerHour).toBeCloseTo(offering!.pricePerHour, 5);
      expect(readyAt.get(name)! - e!.t, `${name} launch to Ready`).toBeGreaterThanOrEqual(2_500);
    }
    const events = fx.recorder.events();
    const created = events.filter((e): e is Extract<RunEvent, { type: 'claim.created' }> => e.type === 'claim.created');
    expect(created.map((e) => e.claim).sort()).toEqual(claims.map((c) => c.metadata!.name!).sort());
    expect(created.reduce((n, e) => n + e.pods, 0)).toBeGreaterThanOrEqual(PODS);
    expect(events.filter((e) => e.type === 'pod.ready').length).toBe(PODS);
    // Every bind respects the node's allocatable, labels and taints as logged (what `burstlab verify` checks).
    expect(verifyEvents(events).violations.map(formatViolation)).toEqual([]);

    // Stopped means gone: the process and its ports.
    expect(isRunning(controller.process)).toBe(true);
    await controller.stop();
    expect(isRunning(controller.process)).toBe(false);
    expect(await portIsFree(controller.healthProbePort)).toBe(true);
  }, 600_000);
});
