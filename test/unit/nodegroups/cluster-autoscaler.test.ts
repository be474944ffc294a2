import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { resources } from '../../../provisioner/api/resources.js';
import { ClusterAutoscaler } from '../../../provisioner/nodegroups/cluster-autoscaler.js';
import type { NodeGroup } from '../../../provisioner/nodegroups/node-group.js';
import { Random } from '../../../provisioner/runtime/random.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { instanceType, podSpec, ZONES } from '../../support/builders.js';
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
