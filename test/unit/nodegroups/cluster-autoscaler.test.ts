import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { resources } from '../../../provisioner/api/resources.js';
import { ClusterAutoscaler } from '../../../provisioner/nodegroups/cluster-autoscaler.js';
import type { NodeGroup } from '../../../provisioner/nodegroups/node-group.js';
import { Random } from '../../../provisioner/runtime/random.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { instanceType, podSpec, ZONES, type PodOptions } from '../../support/builders.js';
import { fakeCloud } from '../../support/fake-cloud.js';

function group(name: string, priority: number): NodeGroup {
  const t = instanceType('m5.large');
  return { name, type: t, capacityType: 'on-demand', zones: ZONES, min: 0, max: 10, autoscaled: true, priority, labels: {}, taints: [], pricePerHour: t.onDemandPrice };
}

describe('Cluster Autoscaler on an asynchronous cloud', () => {
  it('logs a scale-up the cloud rejects, backs the group off, and scales another group at the next scan', async () => {
    const clock = new VirtualClock();
    const state = new ClusterState();
    const recorder = new MemoryRecorder(clock, 'cluster-autoscaler');
    const overhead = resources({ cpu: 100, memory: 128, pods: 1 });
    const cloud = fakeCloud({ clock, state, overhead, iceFor: (r) => r.owner === 'preferred' });
    const ca = new ClusterAutoscaler({
      clock, state, cloud, recorder, overhead,
      random: new Random(1),
      actions: { cordon: () => undefined, evict: () => undefined, deletePod: () => undefined },
      groups: [group('preferred', 10), group('fallback', 0)],
      settings: {
        scanIntervalMs: 10_000, expander: 'priority', maxNodesPerScaleUp: 1_000, scaleDownUtilizationThreshold: 0.5,
        scaleDownUnneededMs: 600_000, scaleDownDelayAfterAddMs: 600_000, maxNodeProvisionMs: 900_000,
      },
    });
    const pod = new StatePod('p-1', podSpec({ cpu: '1' }), 0);
    pod.unschedulableAt = 0;
    state.addPod(pod);
    ca.start();
    await clock.advanceSettled(10_000);
    const errors = recorder.events.filter((e) => e.type === 'cloud.error');
    // The ASG tries each of its zones before the scale-up counts as failed.
    expect(errors.map((e) => (e.type === 'cloud.error' ? [e.t, e.operation, e.node] : []))).toEqual(ZONES.map(() => [10_000, 'create', cloud.attempts[0]!.name]));
    expect(cloud.attempts.map((r) => r.zone).sort()).toEqual([...ZONES].sort());
    expect(cloud.launched).toEqual([]);
    await clock.advanceSettled(10_000);
    expect(cloud.launched.map((r) => r.owner)).toEqual(['fallback']);
    expect([...state.nodes.values()].map((n) => n.owner)).toEqual(['fallback']);
  });
});

/** A CA over one group with a Ready node of it in the state, scanning every 10 s. */
function caWithReadyNode(): { clock: VirtualClock; state: ClusterState; cloud: ReturnType<typeof fakeCloud>; node: StateNode } {
  const clock = new VirtualClock();
  const state = new ClusterState();
  const overhead = resources({ cpu: 100, memory: 128, pods: 1 });
  const cloud = fakeCloud({ clock, state, overhead });
  const g = group('web', 0);
  const node = new StateNode({
    name: 'web-1', instanceType: g.type.name, zone: ZONES[0]!, capacityType: 'on-demand', pricePerHour: g.pricePerHour, capacity: g.type.capacity,
    allocatable: g.type.allocatable, labels: { ...g.type.labels }, taints: [], owner: 'web', ownerKind: 'nodegroup', overhead, launchedAt: 0, initial: true,
  });
  node.phase = 'ready';
  state.addNode(node);
  const ca = new ClusterAutoscaler({
    clock, state, cloud, overhead,
    recorder: new MemoryRecorder(clock, 'cluster-autoscaler'),
    random: new Random(1),
    actions: { cordon: () => undefined, evict: () => undefined, deletePod: () => undefined },
    groups: [g],
    settings: {
      scanIntervalMs: 10_000, expander: 'random', maxNodesPerScaleUp: 1_000, scaleDownUtilizationThreshold: 0.5,
      scaleDownUnneededMs: 600_000, scaleDownDelayAfterAddMs: 600_000, maxNodeProvisionMs: 900_000,
    },
  });
  ca.start();
  return { clock, state, cloud, node };
}

function unschedulablePod(state: ClusterState, o: PodOptions): void {
  const pod = new StatePod('p-1', podSpec(o), 0);
  pod.unschedulableAt = 0;
  state.addPod(pod);
}

describe("Cluster Autoscaler's filter of pods that fit the cluster as it is", () => {
  it('does not scale up for a pending pod that fits a Ready node, which kube-scheduler has not retried yet', async () => {
    const { clock, state, cloud } = caWithReadyNode();
    unschedulablePod(state, { cpu: '500m' });
    await clock.advanceSettled(20_000);
    expect(cloud.attempts).toEqual([]);
  });

  it('still scales up for a pending pod the Ready node has no room left for', async () => {
    const { clock, state, cloud, node } = caWithReadyNode();
    const running = new StatePod('running', podSpec({ cpu: '1200m' }), 0);
    state.addPod(running);
    state.bind(running, node);
    unschedulablePod(state, { cpu: '800m' });
    await clock.advanceSettled(10_000);
    expect(cloud.attempts).toHaveLength(1);
  });

  it('leaves a pod whose placement depends on other pods (anti-affinity) to the upcoming nodes, as without topology counts it cannot tell', async () => {
    const { clock, state, cloud } = caWithReadyNode();
    unschedulablePod(state, { cpu: '500m', antiAffinity: ['kubernetes.io/hostname'] });
    await clock.advanceSettled(10_000);
    expect(cloud.attempts).toHaveLength(1);
  });
});
