import { describe, expect, it } from 'vitest';
import { nextStartIndex, numFeasibleNodesToFind } from '../../../harness/sim/node-sampling.js';

describe("kube-scheduler's numFeasibleNodesToFind", () => {
  it('looks at every node of a cluster under 100 nodes, whatever the percentage', () => {
    expect(numFeasibleNodesToFind(0, 50)).toBe(50);
    expect(numFeasibleNodesToFind(10, 50)).toBe(50);
  });

  it('finds 50% of 100 nodes by default, raised to the minimum of 100 nodes', () => {
    expect(numFeasibleNodesToFind(0, 100)).toBe(100);
  });

  it('finds 42% of 1,000 nodes by default: 50% less one point per 125 nodes', () => {
    expect(numFeasibleNodesToFind(0, 1_000)).toBe(420);
  });

  it('finds 10% of 5,000 nodes by default', () => {
    expect(numFeasibleNodesToFind(0, 5_000)).toBe(500);
  });

  it('never goes below 5% by default, however large the cluster', () => {
    expect(numFeasibleNodesToFind(0, 10_000)).toBe(500);
    expect(numFeasibleNodesToFind(0, 20_000)).toBe(1_000);
  });

  it('rounds down as upstream integer arithmetic does', () => {
    expect(numFeasibleNodesToFind(0, 1_249)).toBe(Math.trunc((1_249 * 41) / 100));
    expect(numFeasibleNodesToFind(33, 1_001)).toBe(330);
  });

  it('takes a set percentage as given, with the minimum of 100 nodes', () => {
    expect(numFeasibleNodesToFind(100, 5_000)).toBe(5_000);
    expect(numFeasibleNodesToFind(1, 5_000)).toBe(100);
  });
});

describe("kube-scheduler's nextStartNodeIndex", () => {
  it('moves past the nodes a search processed, wrapping at the end of the list', () => {
    expect(nextStartIndex(0, 144, 300)).toBe(144);
    expect(nextStartIndex(288, 144, 300)).toBe(132);
  });

  it('stays put after a search that processed every node', () => {
    expect(nextStartIndex(17, 300, 300)).toBe(17);
  });
});
