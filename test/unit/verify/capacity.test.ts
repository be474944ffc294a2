import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { CapacityReplay } from '../../../harness/verify/capacity.js';
import { formatViolation, type Violation } from '../../../harness/verify/violation.js';

const CA = 'cluster-autoscaler';
const group = (max: number): RunEvent => ({
  t: 0, autoscaler: CA, type: 'nodegroup.defined', group: 'ng', instanceType: 'm5.large', capacityType: 'on-demand', zones: ['us-east-1a'],
  min: 0, max, autoscaled: true, labels: {}, taints: [], cpuMilli: 2000, memoryMiB: 7577, allocatableCpuMilli: 1830, allocatableMemoryMiB: 6803,
  allocatablePods: 29, allocatableGpu: 0,
});
const launched = (t: number, node: string): RunEvent => ({
  t, autoscaler: CA, type: 'node.launched', node, instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.096,
  cpuMilli: 2000, memoryMiB: 7577, owner: 'ng', initial: false,
});
const scaled = (t: number, from: number, to: number): RunEvent => ({ t, autoscaler: CA, type: 'nodegroup.scaled', group: 'ng', from, to, expander: to < from ? 'scale-down' : 'least-waste' });
const cordoned = (t: number, node: string, reason: string): RunEvent => ({ t, autoscaler: CA, type: 'node.cordoned', node, reason });
const terminated = (t: number, node: string): RunEvent => ({ t, autoscaler: CA, type: 'node.terminated', node, reason: 'underutilized' });

function replay(events: RunEvent[]): string[] {
  const found: Violation[] = [];
  const r = new CapacityReplay(CA, (v) => found.push(v));
  for (const e of events) r.apply(e);
  return found.map(formatViolation);
}

describe("a node group's size as verify counts it", () => {
  it('no longer counts a node from the scale-down that cordoned it, so its replacement fits under the max', () => {
    const log = [group(2), launched(0, 'a'), launched(0, 'b'), scaled(10_000, 2, 1), cordoned(10_000, 'a', 'underutilized'), scaled(20_000, 1, 2), launched(20_000, 'c'), terminated(100_000, 'a'), launched(110_000, 'd')];
    expect(replay(log)).toEqual(['t=110.000s cluster-autoscaler: nodegroup ng (launching d): node group size: 3 live nodes > max 2']);
  });

  it('keeps counting a cordoned node that no scale-down released until it is terminated', () => {
    const log = [group(2), launched(0, 'a'), launched(0, 'b'), cordoned(10_000, 'a', 'interrupted'), launched(20_000, 'c'), terminated(30_000, 'a'), launched(40_000, 'd')];
    expect(replay(log)).toEqual([
      't=20.000s cluster-autoscaler: nodegroup ng (launching c): node group size: 3 live nodes > max 2',
      't=40.000s cluster-autoscaler: nodegroup ng (launching d): node group size: 3 live nodes > max 2',
    ]);
  });
});
