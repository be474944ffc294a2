import type { Clock } from '../../harness/clock/clock.js';
import type { CapacityType } from '../../harness/recorder/events.js';
import type { UnavailableOfferings } from '../scheduling/offerings.js';

/** Offerings that answered InsufficientInstanceCapacity, remembered for a TTL (Karpenter: 3 minutes). */
export class IceCache implements UnavailableOfferings {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  markUnavailable(type: string, zone: string, capacityType: CapacityType): void {
    this.until.set(`${type}/${zone}/${capacityType}`, this.clock.now() + this.ttlMs);
  }

  isUnavailable(type: string, zone: string, capacityType: CapacityType): boolean {
    // The solver asks for every offering of every type it considers: most of the time nothing is cached.
    if (this.until.size === 0) return false;
    const key = `${type}/${zone}/${capacityType}`;
    const t = this.until.get(key);
    if (t === undefined) return false;
    if (t > this.clock.now()) return true;
    this.until.delete(key);
    return false;
  }
}
