import type { CapacityType } from '../runtime/events.js';
import { LABEL } from '../api/labels.js';
import type { InstanceType, Offering } from '../catalog/instance-type.js';
import type { Requirements } from './requirements.js';

/** Offerings Karpenter has seen fail with InsufficientInstanceCapacity, cached per (type, zone, capacity type). */
export interface UnavailableOfferings {
  isUnavailable(type: string, zone: string, capacityType: CapacityType): boolean;
}

export const NONE_UNAVAILABLE: UnavailableOfferings = { isUnavailable: () => false };

/** Offerings of a type that the requirements allow and that are not known to be out of capacity. */
export function usableOfferings(type: InstanceType, reqs: Requirements, unavailable: UnavailableOfferings): Offering[] {
  return type.offerings.filter(
    (o) =>
      reqs.allows(LABEL.zone, o.zone) &&
      reqs.allows(LABEL.capacityType, o.capacityType) &&
      !unavailable.isUnavailable(type.name, o.zone, o.capacityType),
  );
}

/** Whether any offering of the type is usable: usableOfferings without building the list, for the solver's hot path. */
export function hasUsableOffering(type: InstanceType, reqs: Requirements, unavailable: UnavailableOfferings): boolean {
  for (const o of type.offerings) {
    if (reqs.allows(LABEL.zone, o.zone) && reqs.allows(LABEL.capacityType, o.capacityType) && !unavailable.isUnavailable(type.name, o.zone, o.capacityType)) return true;
  }
  return false;
}

/**
 * The offering to launch among a claim's instance types: capacity types in Karpenter's order (reserved, then spot,
 * then on-demand), the cheapest within the first capacity type that has any. Offerings of equal price are told apart
 * by `zoneLoad` (fewest first): the cloud picks among equally cheap zones (kwok's provider samples one at random), so
 * a batch spreads over them instead of piling into the zone listed first.
 */
export function chooseOffering(
  types: readonly InstanceType[],
  reqs: Requirements,
  unavailable: UnavailableOfferings,
  zoneLoad: (zone: string) => number = () => 0,
): { type: InstanceType; offering: Offering } | null {
  const order: CapacityType[] = ['reserved', 'spot', 'on-demand'];
  for (const ct of order) {
    let best: { type: InstanceType; offering: Offering } | null = null;
    for (const type of types) {
      for (const o of usableOfferings(type, reqs, unavailable)) {
        if (o.capacityType !== ct) continue;
        if (!best || o.pricePerHour < best.offering.pricePerHour || (o.pricePerHour === best.offering.pricePerHour && zoneLoad(o.zone) < zoneLoad(best.offering.zone))) {
          best = { type, offering: o };
        }
      }
    }
    if (best) return best;
  }
  return null;
}

/** The price a claim would pay for a type: its cheapest usable offering (Infinity when none). */
export function cheapestPrice(type: InstanceType, reqs: Requirements, unavailable: UnavailableOfferings): number {
  let min = Infinity;
  for (const o of usableOfferings(type, reqs, unavailable)) if (o.pricePerHour < min) min = o.pricePerHour;
  return min;
}
