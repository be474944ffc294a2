import type { Random } from '../../provisioner/runtime/random.js';

/** A latency distribution: log-normal from its median and 90th percentile (fixed when they are equal). */
export interface LatencyDistribution {
  medianMs: number;
  p90Ms: number;
}

const Z90 = 1.2815515655446004;

/** Draws a latency in whole milliseconds. Log-normal because boot and pull times are skewed right. */
export function drawLatency(d: LatencyDistribution, random: Random): number {
  if (d.p90Ms <= d.medianMs || d.medianMs <= 0) return Math.max(0, Math.round(d.medianMs));
  const sigma = Math.log(d.p90Ms / d.medianMs) / Z90;
  return Math.round(d.medianMs * Math.exp(sigma * random.normal()));
}
