import type { Results } from '../metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { CapacityReplay, type CapacityCounts } from './capacity.js';
import { PlacementReplay, type PlacementCounts } from './placement.js';
import { checkResults, type ResultsCounts } from './results-check.js';
import type { Violation } from './violation.js';

export interface ArmCounts {
  arm: string;
  placement: PlacementCounts;
  capacity: CapacityCounts;
}

export interface VerifyReport {
  arms: ArmCounts[];
  /** Absent when only the log was checked. */
  results?: ResultsCounts;
  /** In log order per check; results.json's last. */
  violations: Violation[];
}

/**
 * Re-checks a run from its event log alone (and results.json against that log): every bind, every launch, and
 * every metric the log determines. Pure: the caller reads the files.
 */
export function verifyEvents(events: readonly RunEvent[], results?: Results): VerifyReport {
  const violations: Violation[] = [];
  const report = (v: Violation): void => void violations.push(v);
  const arms = new Map<string, { placement: PlacementReplay; capacity: CapacityReplay }>();
  for (const e of events) {
    let arm = arms.get(e.autoscaler);
    if (!arm) arms.set(e.autoscaler, (arm = { placement: new PlacementReplay(e.autoscaler, report), capacity: new CapacityReplay(e.autoscaler, report) }));
    arm.placement.apply(e);
    arm.capacity.apply(e);
  }
  const out: VerifyReport = {
    arms: [...arms.entries()].map(([arm, r]) => ({ arm, placement: r.placement.counts, capacity: r.capacity.counts })),
    violations,
  };
  if (results) out.results = checkResults(events, results, report);
  return out;
}
