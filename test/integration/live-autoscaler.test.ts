import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi, type KubernetesObject, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { sleep } from '../../harness/clock/wall-clock.js';
import { toJsonl } from '../../harness/recorder/jsonl.js';
import { INITIAL_ANNOTATION } from '../../harness/recorder/live-nodes.js';
import type { Clock } from '../../provisioner/runtime/clock.js';
import { Random } from '../../provisioner/runtime/random.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import { loadScenario } from '../../scenarios/load.js';
import { startLiveAutoscaler } from '../../harness/targets/live/autoscaler.js';
import { KARPENTER_API } from '../../harness/targets/live/karpenter-crds.js';
import type { NodeClaimObject } from '../../harness/targets/live/informers.js';
import { LIVE_NAMESPACE, type LiveAutoscaler } from '../../harness/targets/live/seams.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { deployment } from '../../harness/targets/workloads.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

const SCENARIO = join(import.meta.dirname, 'fixtures', 'live-arms.yaml');
const web = { name: 'web', namespace: LIVE_NAMESPACE, cpuMilli: 250, memoryMiB: 512, kwok: true };
const PODS = 30;
/** Generous: two cores shared with other work, and consolidation waits consolidateAfter + a 10 s round + 15 s validation. */
const STEP_MS = 150_000;

interface Arm {
  f: KwokFixture;
  controller: LiveAutoscaler;
  spec: AutoscalerSpec;
}

/** A fresh control plane with the arm's controller started on it, the live namespace made; `warmUpMs` before t = 0. */
async function startArm(kind: AutoscalerSpec['kind'], warmUpMs = 0, path = SCENARIO): Promise<Arm> {
  const scenario = await loadScenario(path);
  const spec = scenario.autoscalers.find((a) => a.kind === kind)!;
  const f = await startKwokFixture(spec.name);
  try {
    await f.client.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } }]);
    const controller = await startLiveAutoscaler(
      { kubeconfigPath: f.plane.kubeconfigPath, scenario, clock: warmUpMs > 0 ? beforeStart(f.clock, warmUpMs) : f.clock, random: new Random(scenario.seed), recorder: f.recorder, speed: 1, logDir: f.dir },
      spec,
    );
    return { f, controller, spec };
  } catch (err) {
    await f.stop();
    throw err;
  }
}

/** A clock whose t = 0 is `ms` from now, as a live run's scenario clock during its warm-up. */
function beforeStart(clock: Clock, ms: number): Clock {
  return { now: () => clock.now() - ms, setTimer: (delayMs, fn) => clock.setTimer(delayMs, fn) };
}

const webPods = (f: KwokFixture): V1Pod[] => f.watch.pods.list(LIVE_NAMESPACE).filter((p) => p.metadata?.labels?.app === web.name);
const isReady = (p: V1Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const label = (n: V1Node | undefined, key: string): string | undefined => n?.metadata?.labels?.[key];
const events = (f: KwokFixture, type: RunEvent['type']): RunEvent[] => f.recorder.events().filter((e) => e.type === type);

async function scaleAndWaitReady(f: KwokFixture, replicas: number): Promise<void> {
  await f.client.apply([deployment({ ...web, replicas })]);
  await waitUntil(`${replicas} Ready web pods`, () => webPods(f).filter(isReady).length === replicas, STEP_MS, () => `${webPods(f).filter(isReady).length} Ready of ${webPods(f).length}`, 200);
}

describe.skipIf(skip)('the bundled arms as live controllers on kwok', () => {
  let arm: Arm | undefined;
  let failed = false;

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
    await arm?.controller.stop();
    await arm?.f.stop();
    if (arm && !failed) rmSync(arm.f.dir, { recursive: true, force: true });
    else if (arm) {
      writeFileSync(join(arm.f.dir, 'events.jsonl'), toJsonl(arm.f.recorder.events()));
      process.stderr.write(`[live] logs and events.jsonl kept in ${arm.f.dir}\n`);
    }
    arm = undefined;
  }, 120_000);

  it('launches real NodeClaims for unschedulable pods, drains replaced nodes through the Eviction API within a PodDisruptionBudget and removes empty ones', async () => {
    if (toolsError) throw new Error(toolsError);
    arm = await startArm('karpenter');
    const { f } = arm;
    const custom = f.client.kubeconfig.makeApiClient(CustomObjectsApi);
    const claims = async (): Promise<NodeClaimObject[]> =>
      ((await custom.listClusterCustomObject({ ...KARPENTER_API, plural: 'nodeclaims' })) as { items: NodeClaimObject[] }).items;

    await scaleAndWaitReady(f, PODS);
    const nodesUsed = new Set(webPods(f).map((p) => p.spec!.nodeName!));
    const initialized = (c: NodeClaimObject): boolean => c.status?.conditions?.some((x) => x.type === 'Initialized' && x.status === 'True') === true;
    // A claim's conditions are written right after the watch sees its node Ready: allow the write a moment.
    let listed = await claims();
    for (let i = 0; i < 50 && listed.filter((c) => nodesUsed.has(c.metadata!.name!) && initialized(c)).length < nodesUsed.size; i++) {
      await sleep(100);
      listed = await claims();
    }
    const byName = new Map(listed.map((c) => [c.metadata!.name!, c]));
    expect(nodesUsed.size).toBeGreaterThan(1);
    for (const name of nodesUsed) {
      const node = f.watch.nodes.get(name);
      const claim = byName.get(name);
      expect(claim?.status?.nodeName, `NodeClaim of ${name}`).toBe(name);
      const conditions = Object.fromEntries((claim?.status?.conditions ?? []).map((c) => [c.type, c.status]));
      expect(conditions).toMatchObject({ Launched: 'True', Registered: 'True', Initialized: 'True' });
      expect(label(node, 'karpenter.sh/nodepool')).toBe('default');
      expect(label(node, 'team')).toBe('web');
      expect(label(node, 'karpenter.k8s.aws/instance-size')).toBe('large');
      expect(['c', 'm', 'r']).toContain(label(node, 'karpenter.k8s.aws/instance-category'));
      expect(['us-east-1a', 'us-east-1b', 'us-east-1c']).toContain(label(node, 'topology.kubernetes.io/zone'));
      expect(label(node, 'karpenter.sh/capacity-type')).toBe('on-demand');
      expect(label(node, 'kubernetes.io/arch')).toBe('amd64');
      expect(label(node, 'node.kubernetes.io/instance-type')).toMatch(/\.large$/);
    }
    expect(events(f, 'claim.created').length).toBeGreaterThanOrEqual(nodesUsed.size);

    // A node is replaced and drained, its pods evicted through the API (the pod's DisruptionTarget condition says
    // EvictionByEvictionAPI): by consolidation onto a cheaper type when the plan allows one, else when the NodePool's
    // nodes expire after 2 minutes. A real PodDisruptionBudget lets one pod go at a time.
    await f.client.apply([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: web.name, namespace: LIVE_NAMESPACE }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: web.name } } } } as KubernetesObject]);
    const evicted = (): RunEvent[] => events(f, 'pod.deleted').filter((e) => e.type === 'pod.deleted' && e.reason === 'evicted');
    let fewestReady = PODS;
    await waitUntil('three pods evicted from replaced nodes', () => {
      fewestReady = Math.min(fewestReady, webPods(f).filter(isReady).length);
      return evicted().length >= 3;
    }, STEP_MS, () => `${evicted().length} evicted, ${events(f, 'disruption.decided').length} decisions`, 50);
    expect(fewestReady).toBeGreaterThanOrEqual(PODS - 1);
    expect(events(f, 'disruption.decided').some((e) => e.type === 'disruption.decided' && e.method !== 'emptiness' && e.replacements.length > 0)).toBe(true);
    await waitUntil(`${PODS} Ready web pods again`, () => webPods(f).filter(isReady).length === PODS, STEP_MS, () => `${webPods(f).filter(isReady).length} Ready`, 200);

    // Down to nothing: the empty nodes go by emptiness, Node and NodeClaim both.
    await f.client.scale('Deployment', LIVE_NAMESPACE, web.name, 0);
    const poolNodes = (): V1Node[] => f.watch.nodes.list().filter((n) => label(n, 'karpenter.sh/nodepool') === 'default');
    await waitUntil('every NodePool node to be gone', () => poolNodes().length === 0, STEP_MS, () => `${poolNodes().length} left`, 500);
    expect(events(f, 'disruption.decided').some((e) => e.type === 'disruption.decided' && e.method === 'emptiness')).toBe(true);
    let left = await claims();
    for (let i = 0; left.length > 0 && i < 100; i++) {
      await sleep(100);
      left = await claims();
    }
    expect(left).toEqual([]);
  }, 900_000);

  it('places the pods it finds during a live run\'s warm-up on nodes that are there and Ready at once, as the sim\'s warm start', async () => {
    if (toolsError) throw new Error(toolsError);
    arm = await startArm('karpenter', 600_000);
    const { f } = arm;
    await scaleAndWaitReady(f, PODS);
    const nodes = [...new Set(webPods(f).map((p) => p.spec!.nodeName!))].map((n) => f.watch.nodes.get(n)!);
    for (const node of nodes) expect(node.metadata?.annotations?.[INITIAL_ANNOTATION], node.metadata?.name).toBe('true');
  }, 300_000);

  it('plays a NodePool change at its time: the NodePool object is re-applied and the nodes it no longer describes are replaced by drift', async () => {
    if (toolsError) throw new Error(toolsError);
    arm = await startArm('karpenter', 0, join(import.meta.dirname, 'fixtures', 'live-drift.yaml'));
    const { f } = arm;
    const custom = f.client.kubeconfig.makeApiClient(CustomObjectsApi);
    await scaleAndWaitReady(f, 10);
    const before = new Set(webPods(f).map((p) => p.spec!.nodeName!));
    expect([...before].map((n) => label(f.watch.nodes.get(n), 'team'))).toEqual([...before].map(() => 'web'));

    const poolNodes = (): V1Node[] => f.watch.nodes.list().filter((n) => label(n, 'karpenter.sh/nodepool') === 'default');
    const drifted = (): boolean => poolNodes().length > 0 && poolNodes().every((n) => label(n, 'team') === 'api') && webPods(f).filter(isReady).length === 10;
    await waitUntil('every node relabelled by drift and 10 pods Ready', drifted, STEP_MS, () => poolNodes().map((n) => `${n.metadata!.name}:${label(n, 'team')}`).join(' '), 500);
    const pool = (await custom.getClusterCustomObject({ ...KARPENTER_API, plural: 'nodepools', name: 'default' })) as { spec: { template: { metadata?: { labels?: Record<string, string> } } } };
    expect(pool.spec.template.metadata?.labels).toMatchObject({ team: 'api' });
    expect(events(f, 'disruption.decided').some((e) => e.type === 'disruption.decided' && e.method === 'drift')).toBe(true);
    for (const name of before) expect(f.watch.nodes.get(name), `drifted node ${name}`).toBeUndefined();
  }, 600_000);

  it('scales a node group up for unschedulable pods after the ASG lag and down again through cordon, drain and delete', async () => {
    if (toolsError) throw new Error(toolsError);
    arm = await startArm('cluster-autoscaler');
    const { f } = arm;
    const groupNodes = (): V1Node[] => f.watch.nodes.list().filter((n) => label(n, 'eks.amazonaws.com/nodegroup') === 'web-m5-large');
    await waitUntil('the group at its minimum', () => groupNodes().length === 1, 30_000);

    await scaleAndWaitReady(f, PODS);
    expect(groupNodes().length).toBeGreaterThan(1);
    for (const node of groupNodes()) {
      expect(label(node, 'node.kubernetes.io/instance-type')).toBe('m5.large');
      expect(label(node, 'karpenter.sh/nodepool')).toBeUndefined();
      expect(label(node, 'karpenter.k8s.aws/instance-family')).toBe('m5');
    }
    expect(events(f, 'nodegroup.scaled').some((e) => e.type === 'nodegroup.scaled' && e.expander !== 'scale-down')).toBe(true);

    await f.client.scale('Deployment', LIVE_NAMESPACE, web.name, 0);
    await waitUntil('the group back at its minimum', () => groupNodes().length === 1, STEP_MS, () => `${groupNodes().length} nodes`, 500);
    expect(events(f, 'nodegroup.scaled').some((e) => e.type === 'nodegroup.scaled' && e.expander === 'scale-down')).toBe(true);
    expect(events(f, 'node.cordoned').length).toBeGreaterThan(0);
  }, 900_000);
});
