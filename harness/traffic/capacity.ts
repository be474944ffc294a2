/**
 * The capacity emulator: what a workload's ready pods can serve. Each pod serves up to `capacityRpsPerPod`; load
 * beyond that fails. Latency follows an M/M/1-style curve, base / (1 - utilisation), so it climbs steeply as pods
 * saturate, and is capped at the request timeout (those requests are the failed ones).
 */
export interface ServedLoad {
  servedRps: number;
  latencyMs: number;
}

export function serve(rps: number, readyPods: number, capacityRpsPerPod: number, baseLatencyMs: number, timeoutMs: number): ServedLoad {
  if (rps <= 0) return { servedRps: 0, latencyMs: baseLatencyMs };
  const capacity = readyPods * capacityRpsPerPod;
  if (capacity <= 0) return { servedRps: 0, latencyMs: timeoutMs };
  const utilisation = rps / capacity;
  const servedRps = Math.min(rps, capacity);
  const latencyMs = utilisation >= 1 ? timeoutMs : Math.min(timeoutMs, baseLatencyMs / (1 - utilisation));
  return { servedRps, latencyMs: Math.round(latencyMs) };
}
