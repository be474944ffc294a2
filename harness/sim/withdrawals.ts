import type { SimArm } from './arms.js';
import type { SimCloudProvider } from './sim-cloud-provider.js';
import type { World } from './world.js';

/**
 * Plays the scenario's `withdraw` changes on one arm: at each, the arm's catalog stops offering the types or
 * offerings named (so the provisioner no longer plans them), the cloud refuses to launch them (a Cluster Autoscaler
 * group of that shape fails to scale up), the log records it as `chaos.injected` (fault `offerings-withdrawn`, one
 * target per offering), and the arm is told, so a Karpenter arm's nodes on them drift.
 */
export function scheduleWithdrawals(world: World, cloud: SimCloudProvider, arm: SimArm): void {
  for (const change of world.scenario.changes) {
    if (change.kind !== 'withdraw') continue;
    world.clock.setTimer(change.at, () => {
      const removed = world.catalog.withdraw(change.withdraw);
      for (const key of removed) cloud.shortages.add(key);
      const named = [...change.withdraw.instanceTypes, ...change.withdraw.offerings.map((o) => [o.instanceType, o.capacityType, o.zone].filter(Boolean).join(' '))];
      world.recorder.emit({
        type: 'chaos.injected',
        fault: 'offerings-withdrawn',
        targets: removed,
        detail: `the cloud stops offering ${named.join(', ')} (${removed.length} offering${removed.length === 1 ? '' : 's'})`,
      });
      arm.offeringsChanged();
    });
  }
}
