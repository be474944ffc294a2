import type { Clock } from '../../provisioner/runtime/clock.js';
import type { SimArm } from './arms.js';
import type { World } from './world.js';

/**
 * Plays the scenario's `withdraw` changes on one arm: at each, the arm's catalog stops offering the types or
 * offerings named, so a Karpenter arm no longer plans them and its nodes on them drift; the log records it as
 * `chaos.injected` (fault `offerings-withdrawn`, one target per offering). A Cluster Autoscaler group's fixed shape is
 * not taken away (its failed scale-ups are not modelled; the scenario warns, scenarios/schema/withdrawal-warnings.ts).
 * The same on a live arm, whose clock may already run when it starts: withdrawals already past are not replayed.
 */
export function scheduleWithdrawals(world: Pick<World, 'scenario' | 'catalog' | 'recorder'> & { clock: Clock }, arm: Pick<SimArm, 'offeringsChanged'>): void {
  for (const change of world.scenario.changes) {
    if (change.kind !== 'withdraw' || change.at < world.clock.now()) continue;
    world.clock.setTimer(change.at - world.clock.now(), () => {
      const removed = world.catalog.withdraw(change.withdraw);
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
