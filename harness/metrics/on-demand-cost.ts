import type { NodeTimeline } from './pod-timeline.js';

const HOUR_MS = 3_600_000;

/** On-demand list price per hour of an instance type in the run's region; undefined when the catalog has none. */
export type OnDemandPrice = (instanceType: string) => number | undefined;

/**
 * What an arm's nodes would have cost had every one been bought on-demand, for the same node-hours: the cost with
 * the Spot (or reserved) discount taken out, so arms on different capacity types can be compared on what they
 * launched rather than on how it was priced. Null when a discounted node's type has no on-demand price to use.
 */
export function costAtOnDemand(nodes: readonly NodeTimeline[], end: number, onDemandPrice: OnDemandPrice): number | null {
  let total = 0;
  for (const n of [...nodes].sort((a, b) => (a.node < b.node ? -1 : 1))) {
    const price = n.capacityType === 'on-demand' ? n.pricePerHour : onDemandPrice(n.instanceType);
    if (price === undefined) return null;
    total += ((Math.min(n.terminated ?? end, end) - n.launched) / HOUR_MS) * price;
  }
  return total;
}
