import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../scenarios/load.js';
import { cloudProfileOf } from '../../../harness/sim/cloud-profile.js';
import { asPreexisting } from '../../../bench/suites/kwok-provisioner.js';
import type { NodeLaunched } from '../../../provisioner/runtime/events.js';

describe('the kwok-provisioner bench scenario', () => {
  it('bursts 1,000 pods onto an empty NodePool with every simulated delay zero', async () => {
    const s = await loadScenario('bench/kwok/empty-pool-burst.yaml');
    const profile = cloudProfileOf(s.cloud);
    expect([profile.launchToRegistered.medianMs, profile.registeredToReady.medianMs]).toEqual([0, 0]);
    expect(s.workloads.map((w) => [w.replicas, w.startup.imagePull.medianMs, w.startup.containerStart.medianMs, w.schedule.at(-1)?.replicas])).toEqual([[0, 0, 0, 1000]]);
    expect(s.cluster.nodeGroups).toEqual([]);
    expect(s.autoscalers.map((a) => a.kind)).toEqual(['karpenter', 'karpenter-upstream']);
  });
});

describe('the control-plane floor of the kwok-provisioner bench', () => {
  const launched: NodeLaunched = {
    t: 7_000, autoscaler: 'karpenter', type: 'node.launched', node: 'default-abc12', instanceType: 'c5.24xlarge', zone: 'us-east-1b',
    capacityType: 'spot', pricePerHour: 1.23, cpuMilli: 96_000, memoryMiB: 190_000, allocatableCpuMilli: 95_690, allocatableMemoryMiB: 181_000,
    allocatablePods: 737, labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'default-abc12', 'karpenter.sh/nodepool': 'default' },
    taints: [{ key: 'dedicated', value: 'burst', effect: 'NoSchedule' }, { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }], owner: 'default', initial: false,
  };

  it('pre-creates the very node the bundled arm launched, under a name of its own and without a second kwok taint', () => {
    const [floor] = asPreexisting([launched]);
    expect(floor).toMatchObject({
      name: 'floor-1', instanceType: 'c5.24xlarge', zone: 'us-east-1b', capacityType: 'spot', arch: 'amd64', nodepool: 'default',
      cpuMilli: 95_690, memoryMiB: 181_000, maxPods: 737, capacity: { cpuMilli: 96_000, memoryMiB: 190_000, maxPods: 737 },
      taints: [{ key: 'dedicated', value: 'burst', effect: 'NoSchedule' }], initial: true,
    });
    expect(floor!.labels).toEqual({ ...launched.labels, 'kubernetes.io/hostname': 'floor-1' });
  });
});
