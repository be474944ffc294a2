import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { TrafficSample } from '../../../provisioner/runtime/events.js';
import type { SloSpec } from '../../../scenarios/schema/scenario-schema.js';
import { minutesInViolation, type WindowSlo } from '../../metrics/requests.js';

/** Without `sloMinutesInViolation` in the scenario, the guard allows this much time in violation. */
export const DEFAULT_ALLOWED_VIOLATION_MS = 5 * 60_000;

export interface SloGuardOptions {
  clock: Clock;
  slo: readonly SloSpec[];
  /** Stops every experiment of the run (EksSession.stopExperiments: FIS StopExperiment). */
  stop: (reason: string) => Promise<void>;
}

/** How long the run may be in violation before the guard stops the faults, and which windows count. */
export function guardRule(slo: readonly SloSpec[]): { allowedMs: number; window: WindowSlo; source: string } {
  const stated = slo.find((s) => s.metric === 'sloMinutesInViolation' && s.op === '<=');
  const window: WindowSlo = {
    minSuccessRate: slo.find((s) => s.metric === 'requests.successRate' && s.op === '>=')?.threshold,
    maxLatencyMs: slo.find((s) => s.metric === 'requests.latencyP95Ms' && s.op === '<=')?.threshold,
  };
  return stated
    ? { allowedMs: stated.threshold * 60_000, window, source: 'the scenario\'s sloMinutesInViolation' }
    : { allowedMs: DEFAULT_ALLOWED_VIOLATION_MS, window, source: `burstlab's default (${DEFAULT_ALLOWED_VIOLATION_MS / 60_000} minutes; set sloMinutesInViolation to choose)` };
}

/**
 * burstlab's own stop condition for FIS experiments: it reads the run's traffic samples as they are recorded and,
 * once the time in SLO violation (sample windows breaking the success-rate or latency SLO, counted as
 * results.json's sloMinutesInViolation counts them) exceeds what the scenario allows, calls `stop` once. Experiments
 * with a CloudWatch alarm stop condition get this guard too: whichever fires first stops them.
 */
export class SloGuard {
  private readonly rule: ReturnType<typeof guardRule>;
  /** Sample windows in violation, by start time: two workloads breaking in one window count once. */
  private readonly badWindows = new Map<number, number>();
  private stopped: { atMs: number; reason: string } | undefined;

  constructor(private readonly options: SloGuardOptions) {
    this.rule = guardRule(options.slo);
  }

  /** Milliseconds in violation so far. */
  get violationMs(): number {
    let ms = 0;
    for (const w of this.badWindows.values()) ms += w;
    return ms;
  }

  /** When and why the guard stopped the experiments, if it has. */
  get tripped(): { atMs: number; reason: string } | undefined {
    return this.stopped;
  }

  /** Counts a sample; resolves once `stop` has returned when this sample tipped the run over its allowance. */
  async observe(sample: TrafficSample): Promise<void> {
    if (this.stopped) return;
    if (minutesInViolation([sample], this.rule.window) === 0) return;
    this.badWindows.set(sample.t, Math.max(this.badWindows.get(sample.t) ?? 0, sample.windowMs));
    if (this.violationMs <= this.rule.allowedMs) return;
    const reason = `SLO in violation for ${(this.violationMs / 60_000).toFixed(1)} min, more than the ${(this.rule.allowedMs / 60_000).toFixed(1)} min allowed by ${this.rule.source}`;
    this.stopped = { atMs: this.options.clock.now(), reason };
    await this.options.stop(reason);
  }
}
