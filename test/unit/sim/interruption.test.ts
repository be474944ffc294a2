import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { noticeAt, simulate, spotWarningAt } from '../../support/interruptions.js';
import { eventsOf, scenario, scenarioData } from '../../support/scenarios.js';

const SPOT_ONLY = [
  { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
  { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
];

/** Two web pods on Spot: a karpenter arm on a Spot NodePool, a cluster-autoscaler arm on a Spot node group. */
function spotScenario(overrides: Record<string, unknown> = {}): ReturnType<typeof scenario> {
  const data = scenarioData();
  return scenario({
    duration: '15m',
    cluster: {
      ...(data.cluster as object),
      nodeGroups: [{ name: 'ng-spot', instanceType: 'm5.large', capacityType: 'spot', min: 1, max: 10 }],
      nodePools: [{ name: 'default', requirements: SPOT_ONLY, disruption: { consolidationPolicy: 'WhenEmpty' } }],
    },
    ...overrides,
  });
}

const AT = 300_000;
const DEADLINE = AT + 120_000;

function interrupted(events: readonly RunEvent[], arm: string): string {
  return eventsOf(events, arm, 'node.interruption').find((e) => e.kind === 'spot-interruption')!.node;
}

describe('spot interruption handling on the karpenter arm', () => {
  it('launches a replacement before the two-minute deadline, moves the pods to it and is rid of the node by the deadline', async () => {
    const events = await simulate(spotScenario(), 'karpenter', [spotWarningAt('5m')]);
    const node = interrupted(events, 'karpenter');
    expect(eventsOf(events, 'karpenter', 'node.interruption')).toContainEqual(expect.objectContaining({ t: AT, node, deadlineT: DEADLINE }));
    const decided = eventsOf(events, 'karpenter', 'disruption.decided')[0]!;
    expect(decided).toMatchObject({ t: AT, method: 'interruption', reason: 'Interrupted', nodes: [node], pods: 2 });
    const replacement = eventsOf(events, 'karpenter', 'node.launched').find((e) => e.node === decided.replacements[0])!;
    expect(replacement.t).toBeLessThan(DEADLINE);
    const evicted = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Interrupted');
    expect(evicted.map((e) => e.reason)).toEqual(['evicted', 'evicted']);
    expect(evicted.every((e) => e.t < DEADLINE)).toBe(true);
    expect(eventsOf(events, 'karpenter', 'pod.scheduled').filter((e) => e.t > AT).map((e) => e.node)).toEqual([replacement.node, replacement.node]);
    expect(eventsOf(events, 'karpenter', 'node.terminated').find((e) => e.node === node)!.t).toBeLessThanOrEqual(DEADLINE);
  });

  it('keeps the interrupted offering out of capacity, so the replacement is another offering', async () => {
    const events = await simulate(spotScenario(), 'karpenter', [spotWarningAt('5m')]);
    const node = interrupted(events, 'karpenter');
    const launched = eventsOf(events, 'karpenter', 'node.launched');
    const offering = (name: string): string => {
      const e = launched.find((x) => x.node === name)!;
      return `${e.instanceType}/${e.zone}/${e.capacityType}`;
    };
    const replacement = eventsOf(events, 'karpenter', 'disruption.decided')[0]!.replacements[0]!;
    expect(offering(replacement)).not.toBe(offering(node));
  });

  it('has the cloud terminate the node at the deadline even when a pod blocks its drain', async () => {
    const pinned = { workloads: [{ name: 'web', replicas: 2, doNotDisrupt: true, resources: { cpu: '500m', memory: '512Mi' } }] };
    const events = await simulate(spotScenario(pinned), 'karpenter', [spotWarningAt('5m')]);
    const node = interrupted(events, 'karpenter');
    expect(eventsOf(events, 'karpenter', 'node.terminated').find((e) => e.node === node)).toMatchObject({ t: DEADLINE, reason: 'spot-interruption' });
    const lost = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Interrupted');
    expect(lost.map((e) => [e.t, e.reason])).toEqual([
      [DEADLINE, 'node-terminated'],
      [DEADLINE, 'node-terminated'],
    ]);
  });

  it('cannot spare the pods a wait when the warning is shorter than a node takes to boot', async () => {
    const slowBoot = { cloud: { profile: 'aws', launchToRegistered: '4m' } };
    const events = await simulate(spotScenario(slowBoot), 'karpenter', [spotWarningAt('5m')]);
    const decided = eventsOf(events, 'karpenter', 'disruption.decided')[0]!;
    const ready = eventsOf(events, 'karpenter', 'node.ready').find((e) => e.node === decided.replacements[0])!;
    expect(ready.t).toBeGreaterThan(DEADLINE);
    const evictedAt = Math.min(...eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Interrupted').map((e) => e.t));
    const recreated = eventsOf(events, 'karpenter', 'pod.created').filter((e) => e.t >= AT && e.t <= evictedAt);
    expect(recreated).toHaveLength(2);
    const readyAgain = eventsOf(events, 'karpenter', 'pod.ready').filter((e) => recreated.some((p) => p.pod === e.pod));
    expect(readyAgain.map((e) => e.t).every((t) => t > ready.t)).toBe(true);
  });

  it('only records a rebalance recommendation', async () => {
    const events = await simulate(spotScenario(), 'karpenter', [noticeAt('5m', 'rebalance-recommendation')]);
    expect(eventsOf(events, 'karpenter', 'node.interruption').map((e) => e.kind)).toEqual(['rebalance-recommendation']);
    expect(eventsOf(events, 'karpenter', 'disruption.decided')).toEqual([]);
    expect(eventsOf(events, 'karpenter', 'node.cordoned')).toEqual([]);
  });

  it.each([
    ['a scheduled change', 'scheduled-change' as const],
    ['an instance stopping', 'state-change' as const],
  ])('cordons, replaces and drains a node on %s, without caching its offering as out of capacity', async (_, kind) => {
    const events = await simulate(spotScenario(), 'karpenter', [noticeAt('5m', kind)]);
    const decided = eventsOf(events, 'karpenter', 'disruption.decided')[0]!;
    expect(decided).toMatchObject({ t: AT, method: 'interruption', reason: 'Interrupted' });
    const launched = eventsOf(events, 'karpenter', 'node.launched');
    const offering = (name: string): string => {
      const e = launched.find((x) => x.node === name)!;
      return `${e.instanceType}/${e.zone}`;
    };
    expect(offering(decided.replacements[0]!)).toBe(offering(decided.nodes[0]!));
    expect(eventsOf(events, 'karpenter', 'node.terminated').map((e) => e.node)).toContain(decided.nodes[0]);
  });
});

describe('spot interruption on the cluster-autoscaler arm', () => {
  it("loses the interrupted pods' capacity until its next scale-up", async () => {
    const events = await simulate(spotScenario(), 'cluster-autoscaler', [spotWarningAt('5m')]);
    const node = interrupted(events, 'cluster-autoscaler');
    expect(eventsOf(events, 'cluster-autoscaler', 'disruption.decided')).toEqual([]);
    expect(eventsOf(events, 'cluster-autoscaler', 'node.cordoned')).toEqual([]);
    expect(eventsOf(events, 'cluster-autoscaler', 'node.terminated').find((e) => e.node === node)).toMatchObject({ t: DEADLINE });
    const lost = eventsOf(events, 'cluster-autoscaler', 'pod.deleted').filter((e) => e.cause === 'Interrupted');
    expect(lost.map((e) => [e.t, e.reason])).toEqual([
      [DEADLINE, 'node-terminated'],
      [DEADLINE, 'node-terminated'],
    ]);
    const scaleUp = eventsOf(events, 'cluster-autoscaler', 'node.launched').find((e) => e.t > AT)!;
    expect(scaleUp.t).toBeGreaterThan(DEADLINE);
    const again = eventsOf(events, 'cluster-autoscaler', 'pod.ready').filter((e) => e.t > AT);
    expect(again).toHaveLength(2);
    const scaleUpReady = eventsOf(events, 'cluster-autoscaler', 'node.ready').find((e) => e.node === scaleUp.node)!;
    expect(again.every((e) => e.t > scaleUpReady.t)).toBe(true);
  });
});
