import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';

type HpaSpec = NonNullable<WorkloadSpec['hpa']>;

/**
 * The HorizontalPodAutoscaler's replica calculation on a request-rate metric, with its default behaviour:
 * desired = ceil(rps / target per pod), no change within the tolerance, scale-down held to the highest
 * recommendation of the stabilization window (300 s), scale-up limited per period to the larger of +percent and
 * +pods, the result clamped to min..max. Pure: the caller supplies time and load.
 */
export class HpaCalculator {
  private readonly history: Array<{ at: number; replicas: number }> = [];
  private readonly scaleEvents: Array<{ at: number; from: number; to: number }> = [];

  private minReplicas: number;

  constructor(private readonly spec: HpaSpec) {
    this.minReplicas = spec.minReplicas;
  }

  /** Scheduled scaling raises or lowers the floor (as a CronJob patching minReplicas would). */
  setMinReplicas(n: number): void {
    this.minReplicas = Math.min(this.spec.maxReplicas, n);
  }

  recommend(now: number, rps: number, current: number): number {
    const { spec } = this;
    let raw = Math.ceil(rps / spec.targetRpsPerPod);
    // The tolerance applies to the metric's ratio to its target, as the HPA controller computes it.
    if (current > 0 && Math.abs(rps / current / spec.targetRpsPerPod - 1) <= spec.tolerance) raw = current;
    raw = Math.min(spec.maxReplicas, Math.max(this.minReplicas, raw));
    this.history.push({ at: now, replicas: raw });
    const horizon = Math.max(spec.scaleDown.stabilizationWindow, spec.scaleUp.stabilizationWindow);
    while (this.history.length > 0 && this.history[0]!.at < now - horizon) this.history.shift();

    let upCandidate = raw;
    let downCandidate = raw;
    for (const h of this.history) {
      if (h.at >= now - spec.scaleUp.stabilizationWindow) upCandidate = Math.min(upCandidate, h.replicas);
      if (h.at >= now - spec.scaleDown.stabilizationWindow) downCandidate = Math.max(downCandidate, h.replicas);
    }
    let next = current;
    if (upCandidate > current) next = Math.min(upCandidate, spec.maxReplicas, this.scaleUpLimit(now, current));
    else if (downCandidate < current) next = Math.max(downCandidate, this.minReplicas, this.scaleDownLimit(now, current));
    if (next !== current) this.scaleEvents.push({ at: now, from: current, to: next });
    return next;
  }

  /** Replicas added (positive) or removed (negative) by this HPA within the last `period`. */
  private changedInPeriod(now: number, period: number, direction: 1 | -1): number {
    const horizon = Math.max(this.spec.scaleUp.period, this.spec.scaleDown.period);
    while (this.scaleEvents.length > 0 && this.scaleEvents[0]!.at <= now - horizon) this.scaleEvents.shift();
    let sum = 0;
    for (const e of this.scaleEvents) {
      const delta = e.to - e.from;
      if (e.at > now - period && Math.sign(delta) === direction) sum += delta;
    }
    return sum;
  }

  /** As the HPA controller: the policies apply to the replicas at the period's start, never below the current count. */
  private scaleUpLimit(now: number, current: number): number {
    const { scaleUp } = this.spec;
    const base = current - this.changedInPeriod(now, scaleUp.period, 1);
    return Math.max(current, Math.ceil(base * (1 + scaleUp.percent / 100)), base + scaleUp.pods);
  }

  private scaleDownLimit(now: number, current: number): number {
    const { scaleDown } = this.spec;
    const base = current - this.changedInPeriod(now, scaleDown.period, -1);
    return Math.min(current, Math.floor(base * (1 - scaleDown.percent / 100)));
  }
}
