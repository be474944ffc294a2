import type { StateNode } from '../../provisioner/state/state-node.js';
import type { SpotInterruptionsSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Random } from '../../provisioner/runtime/random.js';
import type { SimCloudProvider } from './sim-cloud-provider.js';
import type { World } from './world.js';

/**
 * The rate that applies to an instance: the override naming both its type and zone, else its type, else its zone,
 * else the scenario's rate. Interruptions per instance-hour.
 */
export function interruptionRate(spec: SpotInterruptionsSpec, type: string, zone: string): number {
  const o = spec.overrides;
  return (
    o.find((x) => x.instanceType === type && x.zone === zone) ??
    o.find((x) => x.instanceType === type && x.zone === undefined) ??
    o.find((x) => x.instanceType === undefined && x.zone === zone) ?? { ratePerHour: spec.ratePerHour }
  ).ratePerHour;
}

/**
 * EC2 reclaiming Spot capacity: each Spot instance draws, when it is launched, an exponential time to its
 * interruption at its offering's rate, from a stream forked by its name, so one instance's draw does not depend on
 * what else was launched and a seed replays every reclaim. At that time the cloud sends the warning (the rebalance
 * recommendation `rebalanceLead` earlier, never before the launch) and takes the instance `warning` later.
 */
export class SpotInterruptions {
  private readonly random: Random;

  constructor(
    private readonly world: World,
    private readonly cloud: SimCloudProvider,
    private readonly spec: SpotInterruptionsSpec,
  ) {
    this.random = world.random.fork('spot-interruptions');
    cloud.onLaunched.push((node) => this.arm(node));
  }

  private arm(node: StateNode): void {
    if (node.capacityType !== 'spot') return;
    const rate = interruptionRate(this.spec, node.instanceType, node.zone);
    if (rate <= 0) return;
    const u = this.random.fork(node.name).next();
    const afterMs = Math.round((-Math.log(1 - u) / rate) * 3_600_000);
    const { clock, scenario } = this.world;
    if (clock.now() + afterMs >= scenario.duration) return;
    const stillThere = (): boolean => this.world.state.nodes.get(node.name) === node && node.alive;
    // The clock owns each notice's promise: the autoscaler's reaction settles before the next timer fires.
    clock.setTimer(Math.max(0, afterMs - this.spec.rebalanceLead), () => (stillThere() ? this.cloud.notify(node.name, 'rebalance-recommendation') : undefined));
    clock.setTimer(afterMs, () => (stillThere() ? this.cloud.notify(node.name, 'spot-interruption', this.spec.warning) : undefined));
  }
}
