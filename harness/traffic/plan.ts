import type { Scenario } from '../../scenarios/schema/scenario.js';
import { rpsAt } from './profiles.js';

export interface TrafficPlanRow {
  workload: string;
  phase: string;
  startS: number;
  endS: number;
  minRps: number;
  maxRps: number;
  meanRps: number;
}

/** The offered load per workload and phase, computed up front from the profiles (noise excluded): `--dry-run` prints it. */
export function trafficPlan(s: Scenario, resolutionMs = 60_000): TrafficPlanRow[] {
  const rows: TrafficPlanRow[] = [];
  for (const t of s.traffic) {
    for (const ph of s.phases) {
      let min = Infinity;
      let max = 0;
      let sum = 0;
      let n = 0;
      for (let at = ph.startMs; at < ph.endMs; at += resolutionMs) {
        const r = rpsAt(t, at);
        min = Math.min(min, r);
        max = Math.max(max, r);
        sum += r;
        n++;
      }
      rows.push({ workload: t.workload, phase: ph.name, startS: ph.startMs / 1000, endS: ph.endMs / 1000, minRps: n ? Math.round(min) : 0, maxRps: Math.round(max), meanRps: n ? Math.round(sum / n) : 0 });
    }
  }
  return rows;
}
