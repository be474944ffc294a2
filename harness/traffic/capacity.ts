import { DEFAULTS } from '../../scenarios/schema/defaults.js';
import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';

/**
 * The capacity emulator: what a workload's ready pods can serve. Each pod serves up to `capacityRpsPerPod`; load
 * beyond that fails. Latency follows an M/M/1-style curve, base / (1 - utilisation), so it climbs steeply as pods
 * saturate, and is capped at the request timeout (those requests are the failed ones). The sim applies it per
 * sample window (`serve`); the live Service stand-in applies the same curve per request (service-queue.ts).
 */
export interface ServedLoad {
  servedRps: number;
  latencyMs: number;
}

/**
 * Requests per second one ready pod of the workload serves: `capacityRpsPerPod`, else the default headroom above its
 * HPA's target; unlimited when neither is given.
 */
export function capacityRpsPerPod(w: Pick<WorkloadSpec, 'capacityRpsPerPod' | 'hpa'>): number {
  return w.capacityRpsPerPod ?? (w.hpa ? w.hpa.targetRpsPerPod * DEFAULTS.workload.capacityHeadroom : Infinity);
}

/** Latency of a request at this utilisation of the ready pods' capacity: base / (1 - u), at most the timeout. */
export function congestionLatencyMs(utilisation: number, baseLatencyMs: number, timeoutMs: number): number {
  return utilisation >= 1 ? timeoutMs : Math.min(timeoutMs, baseLatencyMs / (1 - utilisation));
}

export function serve(rps: number, readyPods: number, capacityRpsPerPod: number, baseLatencyMs: number, timeoutMs: number): ServedLoad {
  if (rps <= 0) return { servedRps: 0, latencyMs: baseLatencyMs };
  const capacity = readyPods * capacityRpsPerPod;
  if (capacity <= 0) return { servedRps: 0, latencyMs: timeoutMs };
  const servedRps = Math.min(rps, capacity);
  return { servedRps, latencyMs: Math.round(congestionLatencyMs(rps / capacity, baseLatencyMs, timeoutMs)) };
}
