import { describe, expect, it } from 'vitest';
import { resources } from '../../../provisioner/api/resources.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { CycleNodeIndex } from '../../../harness/sim/node-index.js';
import { instanceType, podSpec } from '../../support/builders.js';

function node(name: string): StateNode {
  const type = instanceType('m5.large');
  const n = new StateNode({
    name, instanceType: type.name, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.096, capacity: type.capacity,
    allocatable: type.allocatable, labels: { 'topology.kubernetes.io/zone': 'us-east-1a' }, taints: [], owner: 'ng', ownerKind: 'nodegroup',
    overhead: resources(), launchedAt: 0, initial: true,
  });
  n.phase = 'ready';
  return n;
}

describe("the sim scheduler's node index across cycles", () => {
  it('is kept for the next cycle while the schedulable nodes are the same', () => {
    const nodes = [node('a'), node('b')];
    const first = CycleNodeIndex.next(null, nodes);
    expect(CycleNodeIndex.next(first, [...nodes])).toBe(first);
  });

  it('is rebuilt when a node joins', () => {
    const nodes = [node('a'), node('b')];
    const first = CycleNodeIndex.next(null, nodes);
    expect(CycleNodeIndex.next(first, [...nodes, node('c')])).not.toBe(first);
  });

  it('sees a taint added to a node in place since the last cycle', () => {
    const nodes = [node('a'), node('b')];
    const spec = podSpec({ workload: 'web' });
    const first = CycleNodeIndex.next(null, nodes);
    expect(first.eligibleFor(spec)).toEqual([0, 1]);
    nodes[1]!.taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' });
    expect(CycleNodeIndex.next(first, nodes).eligibleFor(spec)).toEqual([0]);
  });
});
