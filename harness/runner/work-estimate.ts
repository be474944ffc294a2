import type { Scenario } from '../../scenarios/schema/scenario.js';
import { rpsAt } from '../traffic/profiles.js';

/**
 * How much of the simulator's work is done at a point of simulated time, estimated from the scenario's plan.
 * The sim's time goes into pods it has to place: a market-open arm spends over half its wall time in the few
 * simulated minutes where thousands of pods are created, and little in idle hours. So each slice of simulated time
 * weighs IDLE_WORK_PER_MINUTE per simulated minute plus the pods the plan creates in it (initial replicas, HPA scale-ups from the traffic
 * profile without noise, scheduled scaling).
 */
export interface PlannedWork {
  /** Planned share of an arm's work done when `fraction` of its simulated time has passed; 0..1, non-decreasing. */
  shareAt(fraction: number): number;
}

const SLICES = 400;
/** Samples of the plan per slice: scale-ups shorter than a slice still count. */
const SAMPLES_PER_SLICE = 8;
/**
 * A simulated minute with no pods to place costs about as much as placing this many pods (traffic samples, HPA
 * syncs, autoscaler loops). Measured on market-open: ~3 ms per idle simulated minute against 0.5-1.5 ms per pod.
 */
const IDLE_WORK_PER_MINUTE = 3;

export function plannedWork(s: Scenario): PlannedWork {
  const work = new Array<number>(SLICES).fill((IDLE_WORK_PER_MINUTE * s.duration) / 60_000 / SLICES);
  const samples = SLICES * SAMPLES_PER_SLICE;
  for (const w of s.workloads) {
    const traffic = s.traffic.find((t) => t.workload === w.name);
    const schedule = [...w.schedule].sort((a, b) => a.at - b.at);
    let floor = w.hpa?.minReplicas ?? 0;
    let fixed = w.replicas;
    let next = 0;
    let previous = w.hpa ? Math.min(w.hpa.maxReplicas, Math.max(w.hpa.minReplicas, w.replicas)) : w.replicas;
    work[0]! += previous;
    for (let k = 1; k <= samples; k++) {
      const at = (s.duration * k) / samples;
      for (; next < schedule.length && schedule[next]!.at <= at; next++) {
        if (w.hpa) floor = schedule[next]!.replicas;
        else fixed = schedule[next]!.replicas;
      }
      const wanted = w.hpa
        ? Math.min(w.hpa.maxReplicas, Math.max(floor, Math.ceil((traffic ? rpsAt(traffic, at) : 0) / w.hpa.targetRpsPerPod)))
        : fixed;
      if (wanted > previous) work[Math.min(SLICES - 1, Math.floor((k - 1) / SAMPLES_PER_SLICE))]! += wanted - previous;
      previous = wanted;
    }
  }
  const cumulative = [0];
  for (const x of work) cumulative.push(cumulative[cumulative.length - 1]! + x);
  const total = cumulative[SLICES]!;
  return {
    shareAt(fraction: number): number {
      const f = Math.min(1, Math.max(0, fraction)) * SLICES;
      const i = Math.min(SLICES - 1, Math.floor(f));
      return (cumulative[i]! + (f - i) * work[i]!) / total;
    },
  };
}

/**
 * Progress of a whole run across its arms, by wall time rather than by arm count: the arms play the same plan but
 * at different speeds (a Karpenter arm's solver can take 2-4x a Cluster Autoscaler arm's time). An arm is expected
 * to take at least as long as the mean of those already finished, and longer when its own pace says so once it has
 * done a tenth of its planned work (an early pace over idle hours says little about a spike to come, so it never
 * shortens the estimate). The fraction shown never goes back.
 */
export class RunProgress {
  private arm = 0;
  private armStartedAt: number;
  private readonly finished: number[] = [];
  private shown = 0;

  constructor(
    private readonly plan: PlannedWork,
    private readonly arms: number,
    private readonly now: () => number,
  ) {
    this.armStartedAt = now();
  }

  /** Share of the whole run done, 0..1, when arm `arm` (0-based, in order) has simulated `fraction` of its time. */
  at(arm: number, fraction: number): number {
    const t = this.now();
    while (this.arm < arm) {
      this.finished.push(t - this.armStartedAt);
      this.armStartedAt = t;
      this.arm++;
    }
    const share = this.plan.shareAt(fraction);
    const elapsed = t - this.armStartedAt;
    const meanFinished = this.finished.length ? this.finished.reduce((a, b) => a + b, 0) / this.finished.length : null;
    const ownPace = share >= 0.1 ? elapsed / share : null;
    const current = ownPace === null ? meanFinished : Math.max(ownPace, meanFinished ?? 0);
    let estimate: number;
    if (current === null || current <= 0) {
      estimate = (arm + share) / this.arms;
    } else {
      const future = (this.finished.reduce((a, b) => a + b, 0) + current) / (this.finished.length + 1);
      const done = this.finished.reduce((a, b) => a + b, 0) + elapsed;
      const remaining = Math.max(0, current - elapsed) + (this.arms - arm - 1) * future;
      estimate = done + remaining > 0 ? done / (done + remaining) : 1;
    }
    if (arm === this.arms - 1 && fraction >= 1) estimate = 1;
    this.shown = Math.min(1, Math.max(this.shown, estimate));
    // An arm's last report is its end: the next arm's clock starts now, not at its own first report.
    if (fraction >= 1 && this.arm === arm) {
      this.finished.push(t - this.armStartedAt);
      this.armStartedAt = t;
      this.arm++;
    }
    return this.shown;
  }
}
