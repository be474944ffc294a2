import { costCaveat, LOWER_BOUND_SHORT } from '../../reports/model/cost-notes.js';
import { sampled } from '../metrics/quantiles.js';
import { formatMeasured } from './human-units.js';
import type { AutoscalerResult, Results } from '../metrics/results.js';

export interface Row {
  label: string;
  /**
   * null: the run does not define it for this arm, or it is a quantile over no samples: shown as '–' (n/a), never
   * starred, and the row is left out when no arm has it.
   */
  value: (a: AutoscalerResult) => number | null;
  format: (v: number) => string;
  better: 'lower' | 'higher';
}

const s = (v: number): string => `${v.toFixed(1)} s`;
export const ROWS: Row[] = [
  { label: 'pod-to-ready p50', value: (a) => a.podToReady.p50, format: s, better: 'lower' },
  { label: 'pod-to-ready p90', value: (a) => a.podToReady.p90, format: s, better: 'lower' },
  { label: 'pod-to-ready p99', value: (a) => a.podToReady.p99, format: s, better: 'lower' },
  { label: 'pod-to-ready max', value: (a) => a.podToReady.max, format: s, better: 'lower' },
  { label: '  waiting for a node p99', value: (a) => a.podToReady.split.waitingForNode.p99, format: s, better: 'lower' },
  { label: '  start-up p99', value: (a) => a.podToReady.split.startup.p99, format: s, better: 'lower' },
  { label: 'decision latency p99', value: (a) => sampled(a.decisionLatency, 'p99'), format: s, better: 'lower' },
  { label: 'node launch latency p50', value: (a) => sampled(a.nodeLaunchLatency, 'p50'), format: s, better: 'lower' },
  { label: 'pod-minutes pending', value: (a) => a.podMinutesPending, format: (v) => v.toFixed(0), better: 'lower' },
  { label: 'pods never ready', value: (a) => a.pods.neverReady, format: (v) => v.toFixed(0), better: 'lower' },
  { label: 'pods given up before Ready', value: (a) => a.pods.abandoned, format: (v) => v.toFixed(0), better: 'lower' },
  { label: 'request success rate', value: (a) => a.requests.successRate, format: (v) => `${(v * 100).toFixed(3)}%`, better: 'higher' },
  { label: 'minutes in SLO violation', value: (a) => a.sloMinutesInViolation, format: (v) => v.toFixed(1), better: 'lower' },
  { label: 'peak nodes', value: (a) => a.nodes.peak, format: (v) => v.toFixed(0), better: 'lower' },
  { label: 'nodes launched', value: (a) => a.nodes.launched, format: (v) => v.toFixed(0), better: 'lower' },
  { label: 'cost', value: (a) => a.cost.totalUSD, format: (v) => `$${v.toFixed(2)}`, better: 'lower' },
  { label: 'cost / lower bound', value: (a) => a.cost.ratioToLowerBound, format: (v) => `${v.toFixed(2)}x`, better: 'lower' },
  { label: 'idle CPU share', value: (a) => a.cost.idleShare, format: (v) => `${(v * 100).toFixed(1)}%`, better: 'lower' },
];

/** The side-by-side table `burstlab run` prints: one column per autoscaler, the better value marked with '*'. */
export function comparisonTable(results: Results): string {
  const arms = results.autoscalers;
  const cells = ROWS.flatMap((row) => {
    const defined = arms.map((a) => row.value(a));
    if (defined.every((v) => v === null)) return [];
    const values = defined.map((v) => v ?? Number.NaN);
    const best = row.better === 'lower' ? values.reduce((a, b) => Math.min(a, b), Infinity) : values.reduce((a, b) => Math.max(a, b), -Infinity);
    const unique = values.filter((v) => v === best).length === 1 && arms.length > 1;
    return [[row.label, ...values.map((v) => `${Number.isNaN(v) ? '–' : row.format(v)}${unique && v === best ? ' *' : '  '}`)]];
  });
  const verdict = ['SLOs', ...arms.map((a) => (a.slo.checks.length === 0 ? 'none set  ' : a.slo.passed ? 'pass  ' : `FAIL (${a.slo.checks.filter((c) => !c.passed).length})  `))];
  const header = ['', ...arms.map((a) => `${a.name}  `)];
  const table = [header, ...cells, verdict];
  const widths = header.map((_, i) => table.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), line(verdict)];
  for (const a of arms) {
    for (const c of a.slo.checks.filter((x) => !x.passed)) out.push(`  ${a.name}: ${c.metric} = ${formatMeasured(c.metric, c.actual)} (needs ${c.op} ${formatMeasured(c.metric, c.threshold)})`);
    if (a.unsatisfiable.length > 0) out.push(`  ${a.name}: ${a.unsatisfiable.length} pod(s) could not be provisioned, e.g. ${a.unsatisfiable[0]!.pod}: ${a.unsatisfiable[0]!.reason}`);
  }
  const caveat = costCaveat(results).map((sentence) => sentence.replace(/×/g, 'x'));
  if (caveat.length) {
    out.push('* = better.', `cost caveat: ${caveat[0]}`);
    for (const sentence of caveat.slice(1)) out.push(`  ${sentence}`);
  } else out.push(`* = better.${results.scenario.target !== 'eks' ? ' Spot prices are modelled on the sim, not AWS market data.' : ''}`);
  out.push(LOWER_BOUND_SHORT);
  return out.join('\n') + '\n';
}
