import type { TrafficSample } from '../../provisioner/runtime/events.js';
import { round } from './quantiles.js';

export interface RequestTotals {
  total: number;
  failed: number;
  successRate: number;
  latencyP95Ms: number;
}

/** Request counts from traffic samples (rate x window), and the request-weighted 95th percentile of latency. */
export function requestTotals(samples: readonly TrafficSample[]): RequestTotals {
  let total = 0;
  let failed = 0;
  const weighted: Array<{ latency: number; n: number }> = [];
  for (const s of samples) {
    const n = (s.rps * s.windowMs) / 1000;
    total += n;
    failed += ((s.rps - s.servedRps) * s.windowMs) / 1000;
    if (n > 0) weighted.push({ latency: s.latencyMs, n });
  }
  weighted.sort((a, b) => a.latency - b.latency);
  let p95 = 0;
  let seen = 0;
  for (const w of weighted) {
    seen += w.n;
    if (seen >= 0.95 * total) {
      p95 = w.latency;
      break;
    }
  }
  return {
    total: Math.round(total),
    failed: Math.round(failed),
    successRate: total > 0 ? round(1 - failed / total, 6) : 1,
    latencyP95Ms: p95,
  };
}

export interface WindowSlo {
  minSuccessRate?: number | undefined;
  maxLatencyMs?: number | undefined;
}

/**
 * Minutes of sample windows that broke the per-window SLOs: success rate below the minimum or latency above the
 * maximum; with neither set, any failed request puts the window in violation.
 */
export function minutesInViolation(samples: readonly TrafficSample[], slo: WindowSlo): number {
  let ms = 0;
  for (const s of samples) {
    const success = s.rps > 0 ? s.servedRps / s.rps : 1;
    const noThresholds = slo.minSuccessRate === undefined && slo.maxLatencyMs === undefined;
    const bad =
      (noThresholds && s.servedRps < s.rps) ||
      (slo.minSuccessRate !== undefined && success < slo.minSuccessRate) ||
      (slo.maxLatencyMs !== undefined && s.latencyMs > slo.maxLatencyMs);
    if (bad) ms += s.windowMs;
  }
  return round(ms / 60_000, 2);
}

