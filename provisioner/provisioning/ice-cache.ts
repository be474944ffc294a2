import type { Clock } from '../../harness/clock/clock.js';
import type { CapacityType } from '../../harness/recorder/events.js';
import type { UnavailableOfferings } from '../scheduling/offerings.js';

/**
 * Offerings that answered InsufficientInstanceCapacity, remembered for a TTL (Karpenter: 3 minutes). The solver asks
 * about every offering of every candidate type for every pod, so a lookup is nested map reads with no key built, and
 * nothing at all while the cache is empty, as it is most of a run.
 */
export class IceCache implements UnavailableOfferings {
  private readonly until = new Map<string, Map<string, Map<CapacityType, number>>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  markUnavailable(type: string, zone: string, capacityType: CapacityType): void {
    let zones = this.until.get(type);
    if (!zones) this.until.set(type, (zones = new Map()));
    let byCapacity = zones.get(zone);
    if (!byCapacity) zones.set(zone, (byCapacity = new Map()));
    byCapacity.set(capacityType, this.clock.now() + this.ttlMs);
  }

  isUnavailable(type: string, zone: string, capacityType: CapacityType): boolean {
    if (this.until.size === 0) return false;
    const t = this.until.get(type)?.get(zone)?.get(capacityType);
    return t !== undefined && t > this.clock.now();
  }
}
