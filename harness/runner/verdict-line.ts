import type { AutoscalerResult, Results, SloCheck } from '../metrics/results.js';
import { verdict } from '../../reports/model/verdict.js';
import type { Colour } from './colour.js';
import { formatMeasured } from './human-units.js';

/**
 * The run in one line, what `--quiet` still prints and CI logs grep for:
 * `market-open: cluster-autoscaler FAIL (podToReady.p99 215.2 s > 180 s), karpenter pass; winner karpenter`.
 * The winner is the report's (reports/model/verdict.ts), so the line and report.html never disagree.
 */
export function verdictLine(results: Results, c: Colour): string {
  const arms = results.autoscalers.map((a) => `${a.name} ${armStatus(a, c)}`);
  const winner = results.autoscalers.length > 1 ? verdict(results.autoscalers, { peakPending: {}, clock: (t) => `${t} s` }).winner : null;
  const tail = results.autoscalers.length < 2 ? '' : winner ? `; winner ${c.bold(winner)}` : '; no outright winner';
  return `${results.scenario.name}: ${arms.join(', ') || 'no autoscaler results'}${tail}\n`;
}

function armStatus(a: AutoscalerResult, c: Colour): string {
  if (a.slo.checks.length === 0) return 'no SLOs set';
  if (a.slo.passed) return c.green('pass');
  return `${c.red('FAIL')} (${a.slo.checks.filter((x) => !x.passed).map(describeFailure).join('; ')})`;
}

function describeFailure(check: SloCheck): string {
  return describeBroken(check.metric, check.op, check.actual, check.threshold);
}

/**
 * 'podToReady.p99 215.2 s > 180 s': the measured value on the wrong side of the threshold; `qualifier` names what
 * the value is when it is not a single run's ('median' for a multi-seed run).
 */
export function describeBroken(metric: string, op: SloCheck['op'], actual: number | null, threshold: number, qualifier?: string): string {
  if (actual === null) return `${metric}${qualifier ? ` ${qualifier}` : ''} has no value (needs ${op} ${formatMeasured(metric, threshold)})`;
  const broken = op === '<=' ? '>' : '<';
  return `${metric}${qualifier ? ` ${qualifier}` : ''} ${formatMeasured(metric, actual)} ${broken} ${formatMeasured(metric, threshold)}`;
}
