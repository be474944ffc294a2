import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { cloudProfileOf } from '../../../harness/sim/cloud-profile.js';
import { SimCloudProvider } from '../../../harness/sim/sim-cloud-provider.js';
import { daemonsetOverhead } from '../../../harness/sim/specs.js';
import type { World } from '../../../harness/sim/world.js';
import { Random } from '../../../provisioner/runtime/random.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { testCatalog } from '../../support/builders.js';
import { describeCloudProviderContract } from '../../support/cloud-provider-contract.js';
import { fakeCloud } from '../../support/fake-cloud.js';
import { scenario } from '../../support/scenarios.js';

describeCloudProviderContract("the sim's cloud", (short) => {
  const s = scenario();
  const clock = new VirtualClock();
  const world: World = {
    scenario: s, clock, random: new Random(s.seed), recorder: new MemoryRecorder(clock, 'karpenter'), state: new ClusterState(),
    catalog: testCatalog(), overhead: daemonsetOverhead(s), wakeScheduler: () => undefined, onUnschedulable: [], onPodGone: [],
    workloadHealth: () => ({ healthy: 0, expected: 0 }),
  };
  const cloud = new SimCloudProvider(world, cloudProfileOf(s.cloud));
  for (const key of short) cloud.shortages.add(key);
  return { cloud, settle: () => clock.advanceSettled(0) };
});

describeCloudProviderContract('the fake cloud, answering 2 s later', (short) => {
  const clock = new VirtualClock();
  const cloud = fakeCloud({ clock, latencyMs: 2_000, iceFor: (r) => short.includes(`${r.type.name}/${r.zone}/${r.capacityType}`) });
  return { cloud, settle: () => clock.advanceSettled(2_000) };
});
