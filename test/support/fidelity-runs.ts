/**
 * A sim run and a live run of the same scenario and seed, made from the report fixture: the live run's figures are
 * the sim's moved by chosen shares, so a test knows exactly which agree and which do not.
 */
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import { makeReportFixture, type Fixture } from './report-fixture.js';

export interface LiveMoves {
  /** Per arm name: shares to move the sim's figures by (0.2 = 20% more on the live run). */
  [arm: string]: { p50?: number; p99?: number; peakNodes?: number };
}

export const FIDELITY_DIGEST = 'sha256:0f1d2e3c4b5a69788796a5b4c3d2e1f00f1d2e3c4b5a69788796a5b4c3d2e1f0';

export function simFixture(seed = 11): Fixture {
  const run = makeReportFixture({ durationS: 1_800, peakPods: 60, seed });
  run.meta.scenarioDigest = FIDELITY_DIGEST;
  return run;
}

/** The sim fixture replayed "live": target kwok, speed 1, the figures moved as `moves` says. */
export function liveFixture(sim: Fixture, moves: LiveMoves): Fixture {
  const live: Fixture = structuredClone(sim);
  live.results.scenario.target = 'kwok';
  live.meta = { ...live.meta, target: 'kwok', speed: 1 };
  for (const arm of live.results.autoscalers) move(arm, moves[arm.name] ?? {});
  return live;
}

function move(arm: AutoscalerResult, by: LiveMoves[string]): void {
  arm.podToReady.p50 *= 1 + (by.p50 ?? 0);
  arm.podToReady.p99 *= 1 + (by.p99 ?? 0);
  arm.nodes.peak = Math.round(arm.nodes.peak * (1 + (by.peakNodes ?? 0)));
}
