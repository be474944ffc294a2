import type { SeedsArm, SeedsResults } from '../metrics/aggregate.js';
import type { Colour } from './colour.js';
import { describeBroken } from './verdict-line.js';

/**
 * A multi-seed run in one line, what `--quiet` still prints:
 * `quickstart (3 seeds, SLOs on the median): cluster-autoscaler FAIL (podToReady.p99 median 168.8 s > 120 s;
 * failed on 3 of 3 seeds), karpenter pass`; with several failed checks, `;` between them. The single-seed line's wording (verdict-line.ts), judged by the seeds
 * rule (harness/metrics/aggregate.ts): a check passes on its median, and the seeds that failed it are counted beside
 * it, so a pass that some seeds failed says so. No winner: the report names one for a single run only.
 */
export function seedsVerdictLine(agg: SeedsResults, c: Colour): string {
  const n = agg.scenario.seeds.length;
  const arms = agg.autoscalers.map((a) => `${a.name} ${armStatus(a, n, c)}`);
  return `${agg.scenario.name} (${n} seeds, SLOs on the median): ${arms.join(', ') || 'no autoscaler results'}\n`;
}

function armStatus(a: SeedsArm, n: number, c: Colour): string {
  if (a.slo.checks.length === 0) return 'no SLOs set';
  const ofSeeds = (failed: number): string => `failed on ${failed} of ${n} seeds`;
  if (a.slo.passed) return a.slo.seedsFailed === 0 ? c.green('pass') : `${c.green('pass')} (${ofSeeds(a.slo.seedsFailed)})`;
  const failures = a.slo.checks.filter((x) => !x.passed).map((x) => `${describeBroken(x.metric, x.op, x.actual?.median ?? null, x.threshold, 'median')}, ${ofSeeds(x.seedsFailed)}`);
  return `${c.red('FAIL')} (${failures.join('; ')})`;
}
