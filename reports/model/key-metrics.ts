/** The side-by-side table: which numbers a review compares, which direction is better, who has the best value. */
import { sampled } from '../../harness/metrics/quantiles.js';
import type { AutoscalerResult, Comparison } from '../../harness/metrics/results.js';
import { formatDelta, formatValue, unitForMetric, type Unit } from '../format.js';

export interface MetricRow {
  /** A path into AutoscalerResult, in the naming SLO checks use ('podToReady.p99'). */
  key: string;
  label: string;
  group: 'Speed' | 'Reliability' | 'Cost and capacity' | 'Other compared metrics';
  unit: Unit;
  /** null: informative only, neither direction is better (more nodes is not worse by itself). */
  better: 'lower' | 'higher' | null;
  values: number[];
  formatted: string[];
  /** Per arm: holds the best value (ties all marked; nothing marked when every arm is equal). */
  best: boolean[];
  /** Per arm: how far from the best value; empty for the best. */
  deltas: string[];
}

interface RowDef {
  key: string;
  label: string;
  group: MetricRow['group'];
  unit: Unit;
  better: MetricRow['better'];
  /**
   * null: the run does not define it for this arm, or it is a quantile over no samples (shown as '–', n/a, never
   * best; the row is left out when no arm has it).
   */
  get(a: AutoscalerResult): number | null;
}

const ROWS: RowDef[] = [
  { key: 'podToReady.p50', label: 'Pod-to-ready p50', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => a.podToReady.p50 },
  { key: 'podToReady.p90', label: 'Pod-to-ready p90', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => a.podToReady.p90 },
  { key: 'podToReady.p99', label: 'Pod-to-ready p99', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => a.podToReady.p99 },
  { key: 'podToReady.max', label: 'Pod-to-ready max', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => a.podToReady.max },
  { key: 'podToReady.split.waitingForNode.p99', label: '…of which waiting for a node, p99', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => a.podToReady.split.waitingForNode.p99 },
  { key: 'decisionLatency.p99', label: 'Decision latency p99 (unschedulable → launch)', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => sampled(a.decisionLatency, 'p99') },
  { key: 'nodeLaunchLatency.p50', label: 'Node launch p50 (request → Ready)', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => sampled(a.nodeLaunchLatency, 'p50') },
  { key: 'nodeLaunchLatency.p99', label: 'Node launch p99', group: 'Speed', unit: 'duration', better: 'lower', get: (a) => sampled(a.nodeLaunchLatency, 'p99') },
  { key: 'podMinutesPending', label: 'Pod-minutes pending', group: 'Speed', unit: 'minutes', better: 'lower', get: (a) => a.podMinutesPending },
  { key: 'requests.successRate', label: 'Request success rate', group: 'Reliability', unit: 'percent', better: 'higher', get: (a) => a.requests.successRate },
  { key: 'requests.failed', label: 'Failed requests', group: 'Reliability', unit: 'count', better: 'lower', get: (a) => a.requests.failed },
  { key: 'requests.latencyP95Ms', label: 'Request latency p95', group: 'Reliability', unit: 'ms', better: 'lower', get: (a) => a.requests.latencyP95Ms },
  { key: 'sloMinutesInViolation', label: 'Minutes in SLO violation', group: 'Reliability', unit: 'minutes', better: 'lower', get: (a) => a.sloMinutesInViolation },
  { key: 'pods.neverReady', label: 'Pods never ready', group: 'Reliability', unit: 'count', better: 'lower', get: (a) => a.pods.neverReady },
  { key: 'pods.abandoned', label: 'Pods given up before Ready', group: 'Reliability', unit: 'count', better: 'lower', get: (a) => a.pods.abandoned },
  { key: 'disruption.podSecondsUnavailable.total', label: 'Pod-time unavailable after disruption', group: 'Reliability', unit: 'duration', better: 'lower', get: (a) => a.disruption.podSecondsUnavailable.total },
  { key: 'cost.totalUSD', label: 'Total cost', group: 'Cost and capacity', unit: 'usd', better: 'lower', get: (a) => a.cost.totalUSD },
  // Informative: the same node-hours at on-demand prices, to read a cost lead built on the Spot discount.
  { key: 'cost.atOnDemandUSD', label: 'Cost at on-demand prices', group: 'Cost and capacity', unit: 'usd', better: null, get: (a) => a.cost.atOnDemandUSD ?? Number.NaN },
  { key: 'cost.per1kRequestsUSD', label: 'Cost per 1 000 requests', group: 'Cost and capacity', unit: 'usd', better: 'lower', get: (a) => a.cost.per1kRequestsUSD },
  { key: 'cost.ratioToLowerBound', label: 'Cost ÷ lower bound', group: 'Cost and capacity', unit: 'ratio', better: 'lower', get: (a) => a.cost.ratioToLowerBound },
  { key: 'cost.idleShare', label: 'Idle share of paid CPU', group: 'Cost and capacity', unit: 'percent', better: 'lower', get: (a) => a.cost.idleShare },
  { key: 'nodes.peak', label: 'Peak nodes', group: 'Cost and capacity', unit: 'count', better: null, get: (a) => a.nodes.peak },
  { key: 'nodes.launched', label: 'Nodes launched', group: 'Cost and capacity', unit: 'count', better: null, get: (a) => a.nodes.launched },
];

/**
 * The curated rows, then any metric results.json compares that they do not cover. Where results.json names a
 * direction for a row's metric, that direction wins, so the table never contradicts results.json.
 */
export function keyMetrics(arms: readonly AutoscalerResult[], comparison: Comparison['metrics'] = []): MetricRow[] {
  const compared = new Map(comparison.map((c) => [c.metric, c]));
  const defs: RowDef[] = ROWS.map((def) => ({ ...def, better: compared.get(def.key)?.better ?? def.better }));
  const known = new Set(ROWS.map((d) => d.key));
  for (const c of comparison) {
    if (known.has(c.metric)) continue;
    defs.push({ key: c.metric, label: c.metric, group: 'Other compared metrics', unit: unitForMetric(c.metric), better: c.better, get: (a) => c.values[a.name] ?? Number.NaN });
  }
  return defs.flatMap((def) => {
    const defined = arms.map(def.get);
    if (defined.every((v) => v === null)) return [];
    const values = defined.map((v) => v ?? Number.NaN);
    const best = bestOf(values, def.better);
    const bestValue = values.find((_, i) => best[i]);
    return [{
      key: def.key,
      label: def.label,
      group: def.group,
      unit: def.unit,
      better: def.better,
      values,
      formatted: values.map((v) => (Number.isFinite(v) ? formatValue(v, def.unit) : '–')),
      best,
      deltas: values.map((v, i) => (best[i] || bestValue === undefined || !Number.isFinite(v) ? '' : formatDelta(v, bestValue, def.unit))),
    }];
  });
}

function bestOf(values: number[], better: MetricRow['better']): boolean[] {
  if (better === null || values.length < 2 || values.some((v) => !Number.isFinite(v)) || values.every((v) => v === values[0])) return values.map(() => false);
  const target = better === 'lower' ? values.reduce((a, b) => Math.min(a, b), Infinity) : values.reduce((a, b) => Math.max(a, b), -Infinity);
  return values.map((v) => v === target);
}
