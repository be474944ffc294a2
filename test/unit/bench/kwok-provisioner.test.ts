import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../scenarios/load.js';
import { cloudProfileOf } from '../../../harness/sim/cloud-profile.js';

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
