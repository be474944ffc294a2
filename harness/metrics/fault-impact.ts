import type { ChaosInjected, RunEvent, TrafficSample } from '../../provisioner/runtime/events.js';
import type { NodeTimeline, PodTimeline } from './pod-timeline.js';
import { quantilesOfMs, round } from './quantiles.js';
import { minutesInViolation, requestTotals, type WindowSlo } from './requests.js';
import type { FaultImpact, SloCheck } from './results.js';

export interface FaultSloThreshold {
  metric: string;
  op: '<=';
  threshold: number;
}

/**
 * What each injected fault of the plan did to one arm, from the log alone (chaos.injected with its nodes and pods,
 * chaos.recovered, pod and node timelines, traffic samples):
 * - displaced pods: the pods on the nodes it hit at that instant. Each is matched to its replacement: the first pod
 *   of the same workload created after the injection (or, for a displaced pod never deleted, its own node coming
 *   back), each replacement claimed once across all faults in time order. Its recovery is the replacement's Ready
 *   minus the injection; one whose replacement is not Ready by the end is unrecovered; one with no replacement at
 *   all, or whose replacement was deleted before it was Ready (its workload scaled down meanwhile), is not replaced
 *   and owed nothing;
 * - delayed pods: measured pods other than the replacements still pending when the fault ended (a shortage, a
 *   crash, throttling hold up pods without displacing any);
 * - the impact window: from the injection until the fault has ended and every displaced and delayed pod is Ready
 *   (open, to the run's end, while one never is);
 * - requests, latency and SLO minutes in violation inside that window (overlapping windows each count them);
 * - capacity lost (the nodes hit) and bought while the window was open (nodes launched in it), per hour.
 */
export function faultImpacts(
  events: readonly RunEvent[],
  pods: ReadonlyMap<string, PodTimeline>,
  nodes: ReadonlyMap<string, NodeTimeline>,
  measured: readonly PodTimeline[],
  end: number,
  sloWindow: WindowSlo | null,
  faultSlo: (id: string) => readonly FaultSloThreshold[],
): FaultImpact[] {
  const injected = events.filter((e): e is ChaosInjected & { id: string } => e.type === 'chaos.injected' && e.id !== undefined);
  const recoveredAt = new Map<string, number>();
  for (const e of events) if (e.type === 'chaos.recovered') recoveredAt.set(e.id, e.t);
  const samples = events.filter((e): e is TrafficSample => e.type === 'traffic.sample');
  const byWorkload = new Map<string, PodTimeline[]>();
  for (const p of [...pods.values()].sort((a, b) => a.created - b.created || (a.pod < b.pod ? -1 : 1))) {
    const list = byWorkload.get(p.workload) ?? [];
    list.push(p);
    byWorkload.set(p.workload, list);
  }
  const claimed = new Set<string>();

  return injected.map((inj) => {
    const ended = recoveredAt.get(inj.id) ?? null;
    const displaced = new Set(inj.pods ?? []);
    const replacements = new Set<string>();
    const recoveries: number[] = [];
    let unrecovered = 0;
    let notReplaced = 0;
    let lastReady = inj.t;
    for (const name of inj.pods ?? []) {
      const pod = pods.get(name);
      if (!pod) continue;
      let readyAt: number | null = null;
      if (pod.deleted === null) {
        readyAt = ended;
      } else {
        // Its controller replaces it when its deletion starts, which the log does not mark: any later pod will do.
        const replacement = (byWorkload.get(pod.workload) ?? []).find((c) => c.created >= inj.t && !claimed.has(c.pod) && !displaced.has(c.pod));
        if (!replacement) {
          // Its workload scaled down meanwhile: nothing was owed.
          notReplaced++;
          continue;
        }
        claimed.add(replacement.pod);
        replacements.add(replacement.pod);
        if (replacement.ready === null && replacement.deleted !== null) {
          // Given up before it was Ready (its workload scaled down): nothing is owed any more.
          notReplaced++;
          continue;
        }
        readyAt = replacement.ready;
      }
      if (readyAt === null) {
        unrecovered++;
        continue;
      }
      recoveries.push(readyAt - inj.t);
      lastReady = Math.max(lastReady, readyAt);
    }
    const faultEnd = ended ?? inj.t;
    const delayed = measured.filter((p) => p.created <= faultEnd && (p.ready === null || p.ready > faultEnd) && (p.deleted === null || p.deleted > faultEnd) && !displaced.has(p.pod) && !replacements.has(p.pod));
    const delayedOpen = delayed.some((p) => p.ready === null);
    for (const p of delayed) if (p.ready !== null) lastReady = Math.max(lastReady, p.ready);
    const open = unrecovered > 0 || delayedOpen;
    const windowEnd = open ? end : Math.max(faultEnd, lastReady);
    const inWindow = samples.filter((s) => s.t >= inj.t && s.t < windowEnd);
    const requests = requestTotals(inWindow);
    const lost = inj.targets.map((n) => nodes.get(n)).filter((n): n is NodeTimeline => n !== undefined);
    const bought = [...nodes.values()].filter((n) => !n.initial && n.launched >= inj.t && n.launched < windowEnd);
    const recovery = quantilesOfMs(recoveries);
    const impact: Omit<FaultImpact, 'slo'> = {
      id: inj.id,
      fault: inj.fault,
      atS: inj.t / 1000,
      endedS: ended === null ? null : ended / 1000,
      targets: inj.targets.length,
      detail: inj.detail,
      impactWindow: { startS: inj.t / 1000, endS: windowEnd / 1000, seconds: round((windowEnd - inj.t) / 1000, 3), open },
      pods: { displaced: displaced.size, recovered: recoveries.length, unrecovered, notReplaced, delayed: delayed.length },
      recovery,
      requests,
      sloMinutesInViolation: sloWindow ? minutesInViolation(inWindow, sloWindow) : null,
      capacity: {
        lostNodes: lost.length,
        lostCpuMilli: lost.reduce((s, n) => s + n.cpuMilli, 0),
        lostUSDPerHour: round(lost.reduce((s, n) => s + n.pricePerHour, 0), 4),
        boughtNodes: bought.length,
        boughtCpuMilli: bought.reduce((s, n) => s + n.cpuMilli, 0),
        boughtUSDPerHour: round(bought.reduce((s, n) => s + n.pricePerHour, 0), 4),
      },
    };
    const thresholds = faultSlo(inj.id);
    if (thresholds.length === 0) return impact;
    const checks: SloCheck[] = thresholds.map((t) => {
      const actual = faultMetric(t.metric, impact);
      return { metric: t.metric, op: t.op, threshold: t.threshold, actual, passed: actual !== null && actual <= t.threshold };
    });
    return { ...impact, slo: { passed: checks.every((c) => c.passed), checks } };
  });
}

/** A per-fault SLO metric's value, in the units its threshold is written in; null when the fault gives none. */
export function faultMetric(metric: string, f: Omit<FaultImpact, 'slo'>): number | null {
  const q = (v: number): number | null => (f.recovery.count === 0 ? null : v);
  switch (metric) {
    case 'recovery.p50':
      return q(f.recovery.p50);
    case 'recovery.p99':
      return q(f.recovery.p99);
    case 'recovery.max':
      return q(f.recovery.max);
    case 'impactWindow':
      return f.impactWindow.seconds;
    case 'pods.displaced':
      return f.pods.displaced;
    case 'pods.unrecovered':
      return f.pods.unrecovered;
    case 'requests.failed':
      return f.requests.failed;
    case 'sloMinutesInViolation':
      return f.sloMinutesInViolation;
    default:
      return null;
  }
}

/** The fault that hurt an arm most: most SLO minutes in violation, then most failed requests, then slowest recovery. */
export function worstFault(faults: readonly FaultImpact[]): FaultImpact | null {
  let worst: FaultImpact | null = null;
  const key = (f: FaultImpact): number[] => [f.sloMinutesInViolation ?? 0, f.requests.failed, f.recovery.count ? f.recovery.max : 0, f.impactWindow.seconds];
  for (const f of faults) {
    if (!worst) {
      worst = f;
      continue;
    }
    const a = key(f);
    const b = key(worst);
    const i = a.findIndex((v, j) => v !== b[j]);
    if (i >= 0 && a[i]! > b[i]!) worst = f;
  }
  return worst;
}
