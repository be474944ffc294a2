import type { Clock } from '../runtime/clock.js';
import type { CapacityType } from '../runtime/events.js';
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
    const zones = this.until.get(type);
    const byCapacity = zones?.get(zone);
    const t = byCapacity?.get(capacityType);
    if (t === undefined) return false;
    if (t > this.clock.now()) return true;
    // Expired: forget it, so that a cache emptied again answers from the fast path above.
    byCapacity!.delete(capacityType);
    if (byCapacity!.size === 0) zones!.delete(zone);
    if (zones!.size === 0) this.until.delete(type);
    return false;
  }
}
