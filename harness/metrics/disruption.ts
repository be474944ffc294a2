/**
 * The disruption-impact metric: what taking capacity away did, from one arm's events alone (disruption.decided,
 * disruption.blocked, eviction.blocked, node.interruption, and pod.deleted with a cause). The definition of
 * pod-seconds unavailable is `definitions.disruptionImpact` (harness/metrics/definitions.ts), word for word this code.
 */
import type { DisruptionReason, RunEvent } from '../../provisioner/runtime/events.js';
import { round } from './quantiles.js';
import type { DisruptionMetrics } from './results.js';

interface Disrupted {
  deleted: number;
  cause: DisruptionReason;
}

/** `events`: one arm's events in log order; `end`: the run's end (ms), where an unreplaced pod stops counting. */
export function disruptionImpact(events: readonly RunEvent[], end: number): DisruptionMetrics {
  const byMethod: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  const blockedBy: Record<string, number> = {};
  const blockedNodes = new Set<string>();
  const interruptions: Record<string, number> = {};
  let decisions = 0;
  let nodesRemoved = 0;
  let nodesReplaced = 0;
  let savings = 0;
  let evictionsBlocked = 0;

  const workloadOf = new Map<string, { workload: string; priority: number }>();
  const readyOnce = new Set<string>();
  // Per workload, disrupted pods not yet replaced, oldest deletion first.
  const waiting = new Map<string, Disrupted[]>();
  const podsByCause: Record<string, number> = {};
  const secondsByCause: Record<string, number> = {};
  const add = (o: Record<string, number>, k: string, v = 1): void => void (o[k] = (o[k] ?? 0) + v);

  for (const e of events) {
    switch (e.type) {
      case 'disruption.decided':
        decisions++;
        add(byMethod, e.method);
        add(byReason, e.reason);
        if (e.replacements.length > 0) nodesReplaced += e.nodes.length;
        else nodesRemoved += e.nodes.length;
        savings += e.savingsPerHour;
        break;
      case 'disruption.blocked':
        add(blockedBy, e.blockedBy);
        blockedNodes.add(e.node);
        break;
      case 'eviction.blocked':
        evictionsBlocked++;
        break;
      case 'node.interruption':
        add(interruptions, e.kind);
        break;
      case 'pod.created':
        workloadOf.set(e.pod, { workload: e.workload, priority: e.priority });
        break;
      case 'pod.deleted': {
        const w = workloadOf.get(e.pod);
        // Placeholders (negative priority) exist to be displaced: losing one is no one's unavailability.
        if (e.cause === undefined || !w || w.priority < 0) break;
        add(podsByCause, e.cause);
        const queue = waiting.get(w.workload) ?? [];
        queue.push({ deleted: e.t, cause: e.cause });
        waiting.set(w.workload, queue);
        break;
      }
      case 'pod.ready': {
        const w = workloadOf.get(e.pod);
        if (!w || readyOnce.has(e.pod)) break;
        readyOnce.add(e.pod);
        const next = waiting.get(w.workload)?.shift();
        if (next) add(secondsByCause, next.cause, (e.t - next.deleted) / 1000);
        break;
      }
      default:
        break;
    }
  }
  for (const queue of waiting.values()) for (const d of queue) add(secondsByCause, d.cause, Math.max(0, end - d.deleted) / 1000);

  const total = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
  return {
    decisions: { total: decisions, byMethod: sorted(byMethod), byReason: sorted(byReason) },
    nodesRemoved,
    nodesReplaced,
    savingsPerHourUSD: round(savings, 4),
    interruptions: { total: total(interruptions), byKind: sorted(interruptions) },
    podsDisrupted: { total: total(podsByCause), byCause: sorted(podsByCause) },
    podSecondsUnavailable: { total: round(total(secondsByCause), 3), byCause: roundValues(sorted(secondsByCause)) },
    blocked: { total: total(blockedBy), byReason: sorted(blockedBy), nodes: blockedNodes.size, evictionsByPdb: evictionsBlocked },
  };
}

/** True when the arm's log has any disruption fact at all: reports hide their disruption parts otherwise. */
export function hasDisruption(d: DisruptionMetrics): boolean {
  return d.decisions.total + d.blocked.total + d.blocked.evictionsByPdb + d.interruptions.total + d.podsDisrupted.total > 0;
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function roundValues(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v, 3)]));
}
