import type { StatePod } from '../../../provisioner/state/state-pod.js';
import type { LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';
import type { ArmLife, SimArm } from '../../sim/arms.js';

/** A clock whose timers do nothing once the process that set them is dead: a killed process runs no more loops. */
class ProcessClock implements Clock {
  alive = true;
  constructor(private readonly clock: Clock) {}
  now(): number {
    return this.clock.now();
  }
  setTimer(delayMs: number, fn: () => unknown): Timer {
    return this.clock.setTimer(delayMs, () => (this.alive ? fn() : undefined));
  }
}

/**
 * The autoscaler under test as a process that can crash and restart. A crash ends its life: its timers (batching,
 * scans, disruption rounds) and its listeners (unschedulable pods, interruption notices) go quiet, and everything it
 * held only in memory (the insufficient-capacity cache, a batch, backoffs, unneeded timers) is lost. A restart builds
 * a new one that reads the cluster as it is then (the shared cluster state, the NodePools as changed so far), as a
 * restarted controller re-lists it from the API. Without a crash it is exactly the arm it wraps.
 */
export class ArmProcess implements SimArm {
  private life: ProcessClock;
  private arm: SimArm;
  private incarnation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly make: (life: ArmLife) => SimArm,
  ) {
    this.life = new ProcessClock(clock);
    this.arm = this.spawn();
  }

  get pools(): SimArm['pools'] {
    return this.arm.pools;
  }

  get running(): boolean {
    return this.life.alive;
  }

  warmStart(pending: readonly StatePod[]): LaunchRequest[] {
    return this.arm.warmStart(pending);
  }

  start(): void {
    this.arm.start();
  }

  offeringsChanged(): void {
    // A dead process hears nothing; the next one reads the catalog as it is when it starts.
    if (this.life.alive) this.arm.offeringsChanged();
  }

  crash(): void {
    this.life.alive = false;
  }

  restart(): void {
    if (this.life.alive) return;
    this.incarnation++;
    this.life = new ProcessClock(this.clock);
    this.arm = this.spawn();
    this.arm.start();
  }

  private spawn(): SimArm {
    const life = this.life;
    return this.make({ clock: life, alive: () => life.alive, incarnation: this.incarnation });
  }
}
