/** One arm's disruption impact in a sentence, for summary.md. */
import type { DisruptionMetrics } from '../../harness/metrics/results.js';
import { formatCount, formatDuration, formatUSD } from '../format.js';

export function disruptionLine(d: DisruptionMetrics): string {
  const by = (o: Record<string, number>, fmt: (v: number) => string): string => {
    const parts = Object.entries(o).filter(([, v]) => v > 0);
    return parts.length ? ` (${parts.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})` : '';
  };
  const parts = [
    `${formatCount(d.decisions.total)} decision${d.decisions.total === 1 ? '' : 's'}${by(d.decisions.byReason, formatCount)}`,
    `${formatCount(d.nodesRemoved)} nodes removed, ${formatCount(d.nodesReplaced)} replaced, ${formatUSD(d.savingsPerHourUSD)}/h saved`,
    `${formatCount(d.podsDisrupted.total)} pods disrupted, ${formatDuration(d.podSecondsUnavailable.total)} pod-time unavailable${by(d.podSecondsUnavailable.byCause, formatDuration)}`,
  ];
  if (d.blocked.total > 0) parts.push(`${formatCount(d.blocked.total)} blocked rounds on ${formatCount(d.blocked.nodes)} nodes${by(d.blocked.byReason, formatCount)}`);
  if (d.blocked.evictionsByPdb > 0) parts.push(`${formatCount(d.blocked.evictionsByPdb)} evictions refused by a PDB`);
  return parts.join('; ');
}
