import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { resources } from '../../../provisioner/api/resources.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import type { StatePod } from '../../../provisioner/state/state-pod.js';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { kwokNode } from '../../../harness/targets/kwok-nodes.js';
import { ClusterStateFeed } from '../../../harness/targets/live/cluster-state-feed.js';
import { LivePodSpecs } from '../../../harness/targets/live/live-pod-spec.js';

function pod(name: string, status: NonNullable<V1Pod['status']> = {}, nodeName?: string): V1Pod {
  return {
    metadata: { name, namespace: 'burstlab', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'pause', resources: { requests: { cpu: '250m', memory: '512Mi' } } }], ...(nodeName ? { nodeName } : {}) },
    status,
  };
}

const unschedulable = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] };
const ready = { conditions: [{ type: 'Ready', status: 'True' }] };

function node(name: string, isReady: boolean): V1Node {
  const n = kwokNode({ name, instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'on-demand', arch: 'amd64', nodepool: 'default', cpuMilli: 1930, memoryMiB: 7200, maxPods: 29, pricePerHour: 0.096 });
  n.status = { ...n.status, conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }] };
  return n;
}

function feed(): { state: ClusterState; feed: ClusterStateFeed; seen: { unschedulable: StatePod[]; ready: StateNode[] } } {
  const state = new ClusterState();
  const seen = { unschedulable: [] as StatePod[], ready: [] as StateNode[] };
  const f = new ClusterStateFeed(state, new VirtualClock(0), new LivePodSpecs(), resources(), {
    unschedulable: (p) => void seen.unschedulable.push(p),
    registered: () => undefined,
    ready: (n) => void seen.ready.push(n),
  });
  return { state, feed: f, seen };
}

describe('the cluster state fed by informers', () => {
  it('finds a pod unschedulable through its PodScheduled condition and tells the autoscaler', () => {
    const { state, feed: f, seen } = feed();
    f.pod(pod('a'), false);
    expect(state.pods.get('burstlab/a')!.provisionable).toBe(false);
    f.pod(pod('a', unschedulable), false);
    expect(state.pods.get('burstlab/a')!.provisionable).toBe(true);
    expect(seen.unschedulable.map((p) => p.name)).toEqual(['burstlab/a']);
  });

  it('binds a pod whose node the node informer has not delivered yet once the node arrives', () => {
    const { state, feed: f } = feed();
    f.pod(pod('a', ready, 'n1'), false);
    expect(state.pods.get('burstlab/a')!.node).toBeNull();
    f.node(node('n1', true), false);
    const n1 = state.nodes.get('n1')!;
    expect(n1.pods.size).toBe(1);
    expect(n1.requested.cpu).toBe(250);
  });

  it('turns a node Ready from its condition and frees a pod\'s room only when the pod is gone', () => {
    const { state, feed: f, seen } = feed();
    f.node(node('n1', false), false);
    expect(state.nodes.get('n1')!.phase).toBe('registered');
    f.node(node('n1', true), false);
    expect(seen.ready.map((n) => n.name)).toEqual(['n1']);
    f.pod(pod('a', ready, 'n1'), false);
    expect(state.pods.get('burstlab/a')!.phase).toBe('ready');
    const deleting = pod('a', ready, 'n1');
    deleting.metadata!.deletionTimestamp = new Date(0);
    f.pod(deleting, false);
    expect(state.nodes.get('n1')!.pods.size).toBe(1);
    f.pod(deleting, true);
    expect(state.nodes.get('n1')!.pods.size).toBe(0);
    expect(state.pods.has('burstlab/a')).toBe(false);
  });

  it('keeps new pods off a Ready node the node lifecycle controller tainted not-ready, until it is Ready again', () => {
    const { state, feed: f } = feed();
    f.node(node('n1', true), false);
    const down = node('n1', false);
    down.spec = { ...down.spec, taints: [...(down.spec?.taints ?? []), { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] };
    f.node(down, false);
    expect(state.nodes.get('n1')!.taints).toContainEqual({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    f.node(node('n1', true), false);
    expect(state.nodes.get('n1')!.taints.map((t) => t.key)).not.toContain('node.kubernetes.io/not-ready');
  });

  it('leaves DaemonSet pods out: they are every node\'s overhead', () => {
    const { state, feed: f } = feed();
    const ds = pod('ds-1', ready, 'n1');
    ds.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u' }];
    f.pod(ds, false);
    expect(state.pods.size).toBe(0);
  });
});
