import { describe, expect, it } from 'vitest';
import { resources } from '../../../provisioner/api/resources.js';
import { balancedRejection, nodeDisruptionCost, scoreMove } from '../../../provisioner/disruption/balanced.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { instanceType, podSpec } from '../../support/builders.js';

function node(name: string, pool: string, price: number): StateNode {
  const type = instanceType('m5.large');
  return new StateNode({
    name, instanceType: type.name, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: price, capacity: type.capacity,
    allocatable: type.allocatable, labels: {}, taints: [], owner: pool, ownerKind: 'nodepool', overhead: resources(), launchedAt: 0, initial: true,
  });
}

const pods = (n: number, priority = 0): StatePod[] => Array.from({ length: n }, (_, i) => new StatePod(`p-${priority}-${i}`, podSpec({ workload: 'web', priority }), 0));

describe("the Balanced consolidation policy's score", () => {
  it('counts one for the node plus each pod, a high-priority pod up to ten and a negative one as nothing', () => {
    expect(nodeDisruptionCost(pods(3))).toBe(4);
    expect(nodeDisruptionCost(pods(1, 1_000_000_000))).toBe(11);
    expect(nodeDisruptionCost(pods(1, -1_000_000_000))).toBe(1);
  });

  it('scores a move as its share of the pool cost over its share of the disruption, approving from 0.5', () => {
    expect(scoreMove(0.25, 2, { cost: 1, disruptionCost: 4 })).toMatchObject({ savingsFraction: 0.25, disruptionFraction: 0.5, score: 0.5, approved: true });
    expect(scoreMove(0.24, 2, { cost: 1, disruptionCost: 4 }).approved).toBe(false);
  });

  it('approves deleting the only node of a pool (score 1) and rejects a move that saves nothing', () => {
    expect(scoreMove(0.2, 5, { cost: 0.2, disruptionCost: 5 })).toMatchObject({ score: 1, approved: true });
    expect(scoreMove(0, 5, { cost: 1, disruptionCost: 10 })).toMatchObject({ score: 0, approved: false });
  });

  it('leaves moves of pools with another policy alone, and has each Balanced pool of a move approve its share', () => {
    const a = { node: node('a1', 'a', 0.2), pods: pods(1), cost: 1 };
    const b = { node: node('b1', 'b', 0.2), pods: pods(9), cost: 9 };
    const totals = new Map([['a', { cost: 1, disruptionCost: 20 }], ['b', { cost: 1, disruptionCost: 20 }]]);
    expect(balancedRejection([a, b], 0.4, new Set(), totals)).toBeNull();
    expect(balancedRejection([a, b], 0.4, new Set(['a']), totals)).toBeNull();
    expect(balancedRejection([a, b], 0.4, new Set(['a', 'b']), totals)).toMatch(/NodePool b is Balanced: the move saves 20\.0% of the pool's cost for 50\.0% of its disruption cost, score 0\.40 < 0\.50/);
  });
});
