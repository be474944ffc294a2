import { worstFault } from '../../harness/metrics/fault-impact.js';
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import { formatDuration } from '../format.js';

/**
 * For the verdict: per arm, the injected fault that hurt it most (harness/metrics/fault-impact.ts, worstFault) and
 * what it cost, so a reader sees at once which fault mattered and which autoscaler recovered faster from it.
 */
export function worstFaultLines(arms: readonly AutoscalerResult[], clock: (tS: number) => string): string[] {
  return arms.flatMap((a) => {
    const f = worstFault(a.faults ?? []);
    if (!f) return [];
    const recovery = f.recovery.count > 0 ? `, its ${f.pods.recovered} displaced pod(s) Ready again in p50 ${formatDuration(f.recovery.p50)} / max ${formatDuration(f.recovery.max)}` : f.pods.delayed > 0 ? `, ${f.pods.delayed} pod(s) held pending` : '';
    const violation = f.sloMinutesInViolation === null ? '' : `, ${f.sloMinutesInViolation} min in SLO violation`;
    const open = f.impactWindow.open ? ' (not recovered by the end of the run)' : ` over ${formatDuration(f.impactWindow.seconds)}`;
    return [`Worst fault for ${a.name}: the ${f.fault} at ${clock(f.atS)} (${f.id})${recovery}, ${f.requests.failed.toLocaleString('en-US')} requests failed${violation}${open}.`];
  });
}
