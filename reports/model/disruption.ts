/**
 * The report's disruption part: per arm, nodes removed and replaced per reason over time (a chart on the shared time
 * axis), the impact numbers of results.json, and a marker per decision for every time chart. Absent (null) when no
 * arm's log holds a disruption fact, so runs without disruption show no empty section.
 */
import { hasDisruption } from '../../harness/metrics/disruption.js';
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import type { DisruptionDecided, DisruptionReason, RunEvent } from '../../provisioner/runtime/events.js';
import type { ChartSpec } from './charts.js';

export interface DisruptionMarker {
  tS: number;
  label: string;
}

export interface DisruptionArm {
  arm: string;
  /** Index among the report's arms: its chart is `disruption-nodes-<index>`. */
  index: number;
  metrics: AutoscalerResult['disruption'];
}

export interface DisruptionModel {
  arms: DisruptionArm[];
  charts: ChartSpec[];
  markers: DisruptionMarker[];
  /** Every blocker any arm logged, and every cause of a disrupted pod, in a stable order for the tables' rows. */
  blockers: string[];
  causes: string[];
}

const REASONS: DisruptionReason[] = ['Empty', 'Underutilized', 'Drifted', 'Expired', 'Interrupted'];
const REASON_COLORS: Record<DisruptionReason, string> = { Empty: '#868e96', Underutilized: '#1c7ed6', Drifted: '#ae3ec9', Expired: '#f59f00', Interrupted: '#e03131' };

const SHORT: Record<DisruptionDecided['method'], string> = {
  emptiness: 'empty',
  drift: 'drift',
  'multi-node-consolidation': 'consolidation',
  'single-node-consolidation': 'consolidation',
  expiration: 'expired',
  interruption: 'interrupted',
};

/** `x`: the time charts' shared axis (seconds); `byArm`: each arm's events in time order (its disruption decisions suffice). */
export function disruptionModel(arms: readonly AutoscalerResult[], byArm: ReadonlyMap<string, readonly RunEvent[]>, x: readonly number[]): DisruptionModel | null {
  if (!arms.some((a) => hasDisruption(a.disruption))) return null;
  const decided = arms.map((a) => (byArm.get(a.name) ?? []).filter((e): e is DisruptionDecided => e.type === 'disruption.decided'));
  const series = decided.map((ds) => cumulativeSeries(ds, x));
  const yMax = series.flatMap((s) => s.map((l) => l.values[l.values.length - 1] ?? 0)).reduce((a, b) => Math.max(a, b), 1);
  // An arm that decided nothing gets no chart: the section says so in words instead of drawing an empty plot.
  const charts: ChartSpec[] = arms.flatMap((_, i) =>
    series[i]!.length ? [{ id: `disruption-nodes-${i}`, kind: 'time' as const, unit: 'count' as const, yMax: Math.ceil(yMax * 1.05), series: series[i]! }] : [],
  );
  const markers = new Map<string, DisruptionMarker>();
  for (const ds of decided) for (const d of ds) markers.set(`${d.t}\u0000${SHORT[d.method]}`, { tS: d.t / 1000, label: SHORT[d.method] });
  const keys = (pick: (a: AutoscalerResult) => Record<string, number>): string[] => [...new Set(arms.flatMap((a) => Object.keys(pick(a))))].sort();
  return {
    arms: arms.map((a, index) => ({ arm: a.name, index, metrics: a.disruption })),
    charts,
    markers: [...markers.values()].sort((a, b) => a.tS - b.tS),
    blockers: keys((a) => a.disruption.blocked.byReason),
    causes: keys((a) => ({ ...a.disruption.podsDisrupted.byCause, ...a.disruption.podSecondsUnavailable.byCause })),
  };
}

/** Nodes decided on up to each x, one line per reason and per outcome (removed, or replaced: dashed) that occurred. */
function cumulativeSeries(decisions: readonly DisruptionDecided[], x: readonly number[]): ChartSpec['series'] {
  const out: ChartSpec['series'] = [];
  for (const reason of REASONS) {
    for (const replaced of [false, true]) {
      const steps = decisions.filter((d) => d.reason === reason && d.replacements.length > 0 === replaced).sort((a, b) => a.t - b.t);
      if (steps.length === 0) continue;
      let k = 0;
      let count = 0;
      const values = x.map((s) => {
        while (k < steps.length && steps[k]!.t <= s * 1000) count += steps[k++]!.nodes.length;
        return count;
      });
      out.push({ label: `${reason} · ${replaced ? 'replaced' : 'removed'}`, color: REASON_COLORS[reason], values, ...(replaced ? { dash: true } : {}) });
    }
  }
  return out;
}
