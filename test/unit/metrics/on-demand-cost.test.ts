import { describe, expect, it } from 'vitest';
import { costAtOnDemand } from '../../../harness/metrics/on-demand-cost.js';
import type { NodeTimeline } from '../../../harness/metrics/pod-timeline.js';
import { arm, run } from '../../support/scenarios.js';

const HOUR = 3_600_000;

function node(o: Partial<NodeTimeline> & Pick<NodeTimeline, 'node' | 'capacityType' | 'pricePerHour'>): NodeTimeline {
  return { instanceType: 'm5.large', zone: 'us-east-1a', cpuMilli: 2000, memoryMiB: 8192, allocatableCpuMilli: 1930, owner: 'default', initial: false, launched: 0, registered: null, ready: null, terminated: null, ...o };
}

const listPrice = (prices: Record<string, number>) => (type: string) => prices[type];

describe('cost at on-demand prices', () => {
  it("prices a Spot node's hours at its type's on-demand list price", () => {
    const spot = node({ node: 'a', capacityType: 'spot', pricePerHour: 0.03, instanceType: 'm5.large', terminated: 2 * HOUR });
    expect(costAtOnDemand([spot], 4 * HOUR, listPrice({ 'm5.large': 0.096 }))).toBeCloseTo(0.192, 9);
  });

  it('keeps an on-demand node at the price it paid', () => {
    const od = node({ node: 'a', capacityType: 'on-demand', pricePerHour: 0.1 });
    expect(costAtOnDemand([od], 3 * HOUR, listPrice({}))).toBeCloseTo(0.3, 9);
  });

  it('counts a node still running at the end of the run up to the end only', () => {
    const late = node({ node: 'a', capacityType: 'spot', pricePerHour: 0.03, launched: 3 * HOUR });
    expect(costAtOnDemand([late], 4 * HOUR, listPrice({ 'm5.large': 0.096 }))).toBeCloseTo(0.096, 9);
  });

  it("is unknown when a Spot node's type has no on-demand price, rather than a total that leaves the node out", () => {
    const spot = node({ node: 'a', capacityType: 'spot', pricePerHour: 0.03, instanceType: 'x9.huge' });
    expect(costAtOnDemand([spot], HOUR, listPrice({ 'm5.large': 0.096 }))).toBeNull();
  });
});

describe('results.json cost.atOnDemandUSD', () => {
  it('is above the paid cost for an arm on Spot and equal to it for an arm on on-demand node groups', async () => {
    const { results } = await run({
      duration: '30m',
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        nodeGroups: [{ name: 'ng-m5-large', instanceType: 'm5.large', min: 1, max: 50 }],
        nodePools: [{ name: 'default', requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] }],
      },
      workloads: [{ name: 'web', replicas: 12, resources: { cpu: '500m', memory: '512Mi' } }],
    });
    const karpenter = arm(results, 'karpenter').cost;
    const ca = arm(results, 'cluster-autoscaler').cost;
    expect(Object.keys(karpenter.byCapacityType)).toEqual(['spot']);
    expect(karpenter.atOnDemandUSD).toBeGreaterThan(karpenter.totalUSD * 1.5);
    expect(Object.keys(ca.byCapacityType)).toEqual(['on-demand']);
    expect(ca.atOnDemandUSD).toBe(ca.totalUSD);
  });
});
