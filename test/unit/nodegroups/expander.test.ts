import { describe, expect, it } from 'vitest';
import { Random } from '../../../provisioner/runtime/random.js';
import { resources } from '../../../provisioner/api/resources.js';
import { estimate } from '../../../provisioner/nodegroups/estimator.js';
import { expand } from '../../../provisioner/nodegroups/expander.js';
import type { NodeGroup } from '../../../provisioner/nodegroups/node-group.js';
import { instanceType, pendingPods, ZONES } from '../../support/builders.js';

const OVERHEAD = resources({ cpu: 100, memory: 128, pods: 1 });

function group(name: string, type: string, o: Partial<NodeGroup> = {}): NodeGroup {
  const t = instanceType(type);
  return { name, type: t, capacityType: 'on-demand', zones: ZONES, min: 0, max: 100, autoscaled: true, priority: 0, labels: {}, taints: [], pricePerHour: t.onDemandPrice, ...o };
}

describe('the binpacking estimator', () => {
  it('counts the nodes of a group the pods need, first fit decreasing', () => {
    const e = estimate(pendingPods(10, { cpu: '1', memory: '1Gi' }), group('g', 'm5.xlarge'), OVERHEAD, 100);
    expect(e.nodes).toBe(4);
    expect(e.pods).toHaveLength(10);
  });

  it('stops at the nodes the group has room for', () => {
    expect(estimate(pendingPods(10, { cpu: '1', memory: '1Gi' }), group('g', 'm5.xlarge'), OVERHEAD, 2).pods).toHaveLength(6);
  });

  it('leaves out pods the template cannot hold', () => {
    expect(estimate(pendingPods(3, { cpu: '6' }), group('g', 'm5.xlarge'), OVERHEAD, 100).nodes).toBe(0);
  });
});

describe('the expanders', () => {
  const pods = pendingPods(6, { cpu: '1', memory: '1Gi' });
  const options = [group('small', 'm5.large'), group('big', 'm5.4xlarge', { priority: 10 })].map((g) => ({ group: g, estimate: estimate(pods, g, OVERHEAD, 100) }));

  it('least-waste picks the group leaving the least CPU and memory unused', () => {
    const cpuHeavy = pendingPods(6, { workload: 'cpu-heavy', cpu: '1', memory: '512Mi' });
    const same = [group('m5', 'm5.xlarge'), group('c5', 'c5.xlarge')].map((g) => ({ group: g, estimate: estimate(cpuHeavy, g, OVERHEAD, 100) }));
    expect(same[0]!.estimate.nodes).toBe(same[1]!.estimate.nodes);
    expect(expand('least-waste', same, new Random(1))!.group.name).toBe('c5');
  });

  it('most-pods picks the group that helps the most pods', () => {
    const limited = [{ ...options[0]!, estimate: estimate(pods, options[0]!.group, OVERHEAD, 1) }, options[1]!];
    expect(expand('most-pods', limited, new Random(1))!.group.name).toBe('big');
  });

  it('priority picks the group with the highest priority', () => {
    expect(expand('priority', options, new Random(1))!.group.name).toBe('big');
  });

  it('price picks the cheapest per pod helped', () => {
    const cheapest = options.map((o) => ({ name: o.group.name, perPod: (o.estimate.nodes * o.group.pricePerHour) / o.estimate.pods.length })).sort((a, b) => a.perPod - b.perPod)[0]!.name;
    expect(expand('price', options, new Random(1))!.group.name).toBe(cheapest);
  });

  it('random picks deterministically for a seed', () => {
    expect(expand('random', options, new Random(5))!.group.name).toBe(expand('random', options, new Random(5))!.group.name);
  });
});
