import type { OfferedLoad } from './offered-load.js';

/**
 * Requests per wall second this machine sends and serves on loopback while a kwok cluster runs beside it (2 cores,
 * measured: see README "Real HTTP load"). A plan whose peak total is higher is scaled down to it.
 */
export const DEFAULT_MAX_WALL_RPS = 300;

/** The peak of the summed offered load over all workloads, per window. */
export function peakTotalRps(load: readonly OfferedLoad[]): number {
  const windows = load.reduce((n, l) => Math.max(n, l.rps.length), 0);
  let peak = 0;
  for (let i = 0; i < windows; i++) peak = Math.max(peak, load.reduce((sum, l) => sum + (l.rps[i] ?? 0), 0));
  return peak;
}

/**
 * The factor every request rate is multiplied by so that the plan's peak fits `maxWallRps` (1 when it fits
 * already). Per-pod capacity is scaled by the same factor, so utilisation, success rate and latency stay what they
 * would be at full rate; only the count of requests behind each figure shrinks.
 */
export function rateScaleFor(load: readonly OfferedLoad[], maxWallRps = DEFAULT_MAX_WALL_RPS): number {
  if (!(maxWallRps > 0)) throw new RangeError(`maxWallRps must be positive, got ${maxWallRps}`);
  const peak = peakTotalRps(load);
  return peak <= maxWallRps ? 1 : maxWallRps / peak;
}
