import { describe, expect, it } from 'vitest';
import { resources } from '../../../provisioner/api/resources.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { instanceType, podSpec } from '../../support/builders.js';

function readyNode(state: ClusterState, name: string): StateNode {
  const type = instanceType('m5.large');
  const node = new StateNode({
    name, instanceType: type.name, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.096, capacity: type.capacity,
    allocatable: type.allocatable, labels: {}, taints: [], owner: 'default', ownerKind: 'nodepool', overhead: resources(), launchedAt: 0, initial: true,
  });
  node.phase = 'ready';
  state.addNode(node);
  return node;
}

function addPods(state: ClusterState, names: string[], priority = 0): StatePod[] {
  return names.map((name) => {
    const pod = new StatePod(name, podSpec({ workload: 'web', priority }), 0);
    state.addPod(pod);
    return pod;
  });
}

describe('the cluster state as the scheduler reads it', () => {
  it('lists the pending pods in the order they were added, leaving out bound and terminating ones', () => {
    const state = new ClusterState();
    const node = readyNode(state, 'n1');
    const [a, b, c, d] = addPods(state, ['a', 'b', 'c', 'd']);
    state.bind(b!, node);
    c!.phase = 'terminating';
    expect(state.pendingPods()).toEqual([a, d]);
  });

  it('lists a pod as pending again once it is unbound and pending', () => {
    const state = new ClusterState();
    const node = readyNode(state, 'n1');
    const [a] = addPods(state, ['a']);
    state.bind(a!, node);
    state.unbind(a!);
    a!.phase = 'pending';
    expect(state.pendingPods()).toEqual([a]);
  });

  it('names the nodes running a pod of lower priority, until that pod is unbound', () => {
    const state = new ClusterState();
    const low = readyNode(state, 'low');
    const high = readyNode(state, 'high');
    const [placeholder] = addPods(state, ['placeholder'], -10);
    const [web] = addPods(state, ['web'], 0);
    state.bind(placeholder!, low);
    state.bind(web!, high);
    expect([...state.nodesRunningBelow(0)]).toEqual([low]);
    expect([...state.nodesRunningBelow(1)].sort((x, y) => (x.name < y.name ? -1 : 1))).toEqual([high, low]);
    state.unbind(placeholder!);
    expect([...state.nodesRunningBelow(0)]).toEqual([]);
  });
});
