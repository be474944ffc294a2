import { describe, expect, it } from 'vitest';
import { run, eventsOf, scenarioData, type ScenarioData } from '../support/scenarios.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';

const MIN = 60_000;
const AT = 10 * MIN;

/** A steady web service on Spot: a Spot node group for Cluster Autoscaler, a Spot NodePool for Karpenter. */
function spotCluster(faults: unknown[], extra: ScenarioData = {}): ScenarioData {
  const base = scenarioData();
  return {
    ...base,
    duration: '30m',
    cluster: {
      ...(base.cluster as object),
      zones: ['us-east-1a', 'us-east-1b'],
      nodeGroups: [{ name: 'web-spot', instanceType: 'm5.large', capacityType: 'spot', min: 4, max: 20 }],
      nodePools: [
        {
          name: 'spot',
          requirements: [
            { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'c5.xlarge'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
          ],
          disruption: { consolidateAfter: 'Never' },
        },
      ],
    },
    workloads: [{ name: 'web', replicas: 12, resources: { cpu: '500m', memory: '512Mi' }, schedule: [{ at: '00:12', replicas: 24 }] }],
    faults,
    ...extra,
  };
}

const launchedAfter = (events: readonly RunEvent[], arm: string, from: number, to: number) => eventsOf(events, arm, 'node.launched').filter((e) => !e.initial && e.t >= from && e.t < to);

describe('spot-interruption on the sim', () => {
  it('has the Karpenter arm replace an interrupted node at the warning, before the reclaim', async () => {
    const { events } = await run(spotCluster([{ type: 'spot-interruption', at: '10m', nodes: 1, durationBeforeInterruption: '5m' }]));
    const [injected] = eventsOf(events, 'karpenter', 'chaos.injected');
    const decided = eventsOf(events, 'karpenter', 'disruption.decided').filter((e) => e.method === 'interruption');
    expect(decided).toMatchObject([{ t: AT + 3 * MIN, nodes: injected!.targets, reason: 'Interrupted' }]);
    expect(eventsOf(events, 'karpenter', 'node.interruption').filter((e) => e.node === injected!.targets[0]).map((e) => [e.t, e.kind])).toEqual([
      [AT, 'rebalance-recommendation'],
      [AT + 3 * MIN, 'spot-interruption'],
    ]);
  });

  it('has the Cluster Autoscaler arm lose the pods only when the instance is reclaimed', async () => {
    const { events } = await run(spotCluster([{ type: 'spot-interruption', at: '10m', nodes: 1 }]));
    const [injected] = eventsOf(events, 'cluster-autoscaler', 'chaos.injected');
    const gone = eventsOf(events, 'cluster-autoscaler', 'pod.deleted').filter((e) => injected!.pods!.includes(e.pod));
    expect(gone.map((e) => [e.t, e.reason])).toEqual(injected!.pods!.map(() => [AT + 2 * MIN, 'node-terminated']));
  });

  it('cannot save the displaced pods when the warning is shorter than a node takes to boot', async () => {
    const slowBoot = { cloud: { profile: 'aws', launchToRegistered: '4m' } };
    const { events } = await run(spotCluster([{ type: 'spot-interruption', at: '10m', nodes: 1 }], slowBoot));
    const [injected] = eventsOf(events, 'karpenter', 'chaos.injected');
    const [decided] = eventsOf(events, 'karpenter', 'disruption.decided').filter((e) => e.method === 'interruption');
    const replacementReady = eventsOf(events, 'karpenter', 'node.ready').find((e) => e.node === decided!.replacements[0]);
    const reclaimed = eventsOf(events, 'karpenter', 'node.terminated').find((e) => e.node === injected!.targets[0]);
    // The replacement was asked for at the warning, and still came up after the instance was gone.
    expect(decided!.t).toBe(AT);
    expect(replacementReady!.t).toBeGreaterThan(reclaimed!.t);
  });
});

describe('node-failure on the sim', () => {
  it('evicts the pods of a NotReady node after the taint-based eviction timeout', async () => {
    const { events } = await run(spotCluster([{ type: 'node-failure', at: '10m', nodes: 1, evictionTimeout: '90s' }]));
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      const [injected] = eventsOf(events, arm, 'chaos.injected');
      const deleted = eventsOf(events, arm, 'pod.deleted').filter((e) => injected!.pods!.includes(e.pod));
      expect(injected!.pods!.length).toBeGreaterThan(0);
      expect(deleted.map((e) => e.reason)).toEqual(injected!.pods!.map(() => 'evicted'));
      expect(Math.min(...deleted.map((e) => e.t))).toBeGreaterThanOrEqual(AT + 90_000);
      expect(eventsOf(events, arm, 'pod.scheduled').filter((e) => e.t >= AT && e.node === injected!.targets[0])).toEqual([]);
    }
  });

  it('takes a terminated node away at once', async () => {
    const { events } = await run(spotCluster([{ type: 'node-failure', at: '10m', nodes: 2, mode: 'terminate' }]));
    const [injected] = eventsOf(events, 'cluster-autoscaler', 'chaos.injected');
    expect(eventsOf(events, 'cluster-autoscaler', 'node.terminated').filter((e) => injected!.targets.includes(e.node)).map((e) => e.t)).toEqual([AT, AT]);
  });
});

describe('zone-outage on the sim', () => {
  it('launches nothing in the lost zone until it comes back', async () => {
    const { events } = await run(spotCluster([{ type: 'zone-outage', at: '10m', zone: 'us-east-1a', duration: '8m', evictionTimeout: '60s' }]));
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      expect(launchedAfter(events, arm, AT, AT + 8 * MIN).filter((e) => e.zone === 'us-east-1a')).toEqual([]);
      expect(launchedAfter(events, arm, AT, AT + 8 * MIN).length).toBeGreaterThan(0);
      expect(eventsOf(events, arm, 'chaos.recovered').map((e) => e.t)).toEqual([AT + 8 * MIN]);
    }
  });
});

describe('insufficient-capacity on the sim', () => {
  it('launches none of the refused offerings while the window is open', async () => {
    const { events } = await run(spotCluster([{ type: 'insufficient-capacity', at: '10m', duration: '10m', offerings: [{ instanceType: 'm5.large', capacityType: 'spot' }] }]));
    expect(launchedAfter(events, 'karpenter', AT, AT + 10 * MIN).filter((e) => e.instanceType === 'm5.large')).toEqual([]);
    expect(launchedAfter(events, 'karpenter', AT, AT + 10 * MIN).length).toBeGreaterThan(0);
    expect(eventsOf(events, 'cluster-autoscaler', 'cloud.error').filter((e) => e.t >= AT && e.t < AT + 10 * MIN)[0]?.error).toMatch(/insufficient capacity for m5.large spot/);
  });
});

describe('autoscaler-crash on the sim', () => {
  it('decides nothing while the autoscaler is down and launches under new names after the restart', async () => {
    const { events } = await run(spotCluster([{ type: 'autoscaler-crash', at: '11m', duration: '4m' }]));
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      expect(launchedAfter(events, arm, 11 * MIN, 15 * MIN)).toEqual([]);
      const after = launchedAfter(events, arm, 15 * MIN, 30 * MIN);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((e) => /-r1-\d{4}$/.test(e.node))).toBe(true);
    }
  });
});

describe('api-throttling on the sim', () => {
  it('fails every launch call with a throttling error while the window is open', async () => {
    const { events } = await run(spotCluster([{ type: 'api-throttling', at: '11m', duration: '3m' }]));
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      expect(launchedAfter(events, arm, 11 * MIN, 14 * MIN)).toEqual([]);
      const errors = eventsOf(events, arm, 'cloud.error').filter((e) => e.t >= 11 * MIN && e.t < 14 * MIN);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => /RequestLimitExceeded/.test(e.error))).toBe(true);
      expect(launchedAfter(events, arm, 14 * MIN, 30 * MIN).length).toBeGreaterThan(0);
    }
  });
});
