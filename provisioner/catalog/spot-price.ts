import { hashString } from '../runtime/random.js';

/**
 * Spot prices are live market data on AWS (DescribeSpotPriceHistory); off AWS we model them, and reports say so.
 * Assumptions, chosen to match the ranges AWS publishes (Spot "up to 90%" off; typical current-generation discounts
 * 60-75%):
 * - each instance family has one market discount, drawn uniformly from 55%..80% by a hash of the family name, because
 *   sizes of one family share the same pool pressure;
 * - each (type, zone) pair deviates from it by up to +/-5 percentage points, by a hash of the pair, because zones
 *   differ in spare capacity;
 * - prices do not move during a run (a run is at most days; Spot prices change slowly since the 2017 pricing model).
 * Deterministic: no seed enters, so every run and every autoscaler sees the same prices.
 */
export function spotPrice(type: string, family: string, zone: string, onDemand: number): number {
  const familyDiscount = 0.55 + 0.25 * unit(hashString(`spot-family:${family}`));
  const zoneDeviation = 0.1 * unit(hashString(`spot-zone:${type}:${zone}`)) - 0.05;
  const discount = Math.min(0.9, Math.max(0.4, familyDiscount + zoneDeviation));
  return Math.round(onDemand * (1 - discount) * 1e5) / 1e5;
}

function unit(h: number): number {
  return h / 4294967296;
}
