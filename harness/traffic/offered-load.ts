import type { Random } from '../../provisioner/runtime/random.js';
import type { TrafficSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { rpsAt } from './profiles.js';

/** The stream a workload's traffic noise is drawn from: one per workload, so every arm and target sees the same load. */
export function trafficNoise(random: Random, workload: string): Random {
  return random.fork(`traffic:${workload}`);
}

/** Offered load at `at` with the profile's noise: what one sample window offers, on every target. */
export function offeredRps(spec: TrafficSpec, at: number, noise: Random): number {
  return Math.max(0, rpsAt(spec, at) * (1 + spec.noise * noise.normal()));
}

/** One workload's offered load as the sim samples it: rate `rps[i]` for the window starting at `startMs + i x windowMs`. */
export interface OfferedLoad {
  workload: string;
  startMs: number;
  windowMs: number;
  rps: number[];
}

/**
 * Every traffic entry's offered load over [fromMs, scenario end), one rate per sample window, with the same noise
 * draws the sim makes from `random` (the run's root stream) for the same windows. Windows are aligned to the
 * scenario's epoch: the first covers the sample window `fromMs` falls in.
 */
export function offeredLoad(s: Scenario, random: Random, fromMs = 0): OfferedLoad[] {
  const first = Math.floor(fromMs / s.sampleInterval);
  const count = Math.max(0, Math.ceil(s.duration / s.sampleInterval) - first);
  return s.traffic.map((t) => {
    const noise = trafficNoise(random, t.workload);
    for (let i = 0; i < first; i++) noise.normal();
    const rps = Array.from({ length: count }, (_, i) => offeredRps(t, (first + i) * s.sampleInterval, noise));
    return { workload: t.workload, startMs: first * s.sampleInterval, windowMs: s.sampleInterval, rps };
  });
}
