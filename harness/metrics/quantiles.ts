import type { Quantiles } from './results.js';

/** Nearest-rank quantile of an ascending array: the smallest value with at least q of the samples at or below it. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Milliseconds in, seconds out (rounded to the millisecond, so results.json stays short and stable). */
export function quantilesOfMs(samplesMs: readonly number[]): Quantiles {
  const sorted = Float64Array.from(samplesMs).sort();
  const s = (ms: number): number => Math.round(ms) / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  const arr = Array.from(sorted);
  return {
    count: arr.length,
    p50: s(quantileSorted(arr, 0.5)),
    p90: s(quantileSorted(arr, 0.9)),
    p99: s(quantileSorted(arr, 0.99)),
    max: s(arr.length ? arr[arr.length - 1]! : 0),
    mean: s(arr.length ? sum / arr.length : 0),
  };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A quantile, or null when it is over no samples: a quantile of nothing is not 0, it does not exist. */
export function sampled(q: Quantiles, key: 'p50' | 'p90' | 'p99' | 'max' | 'mean'): number | null {
  return q.count > 0 ? q[key] : null;
}
