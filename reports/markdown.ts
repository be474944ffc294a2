/**
 * summary.md, for a CI job summary or a PR comment: the verdict, the key metrics, the phases and the slowest pods.
 * GitHub renders HTML inside Markdown, so names are entity-escaped as well as Markdown-escaped.
 */
import { describeCheck, formatCount, formatDuration, formatMetric, formatPercent, formatUSD } from './format.js';
import { describeDifference, type Agreement } from './model/agreement.js';
import { costCaveat, LOWER_BOUND_NOTE } from './model/cost-notes.js';
import type { ReportModel } from './model/report-model.js';
import { disruptionLine } from './model/disruption-line.js';
import { explainSlowPod } from './model/slow-pod-reason.js';

export function mdEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Only what would start emphasis, code, a link or a table cell; # + - matter only at a line's start, where names never are.
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/[\r\n\u2028\u2029]+/g, ' ');
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

export function renderMarkdown(m: ReportModel, slowestPerArm = 5): string {
  const { results, verdict: v } = m;
  const caveat = costCaveat(results);
  const out: string[] = [];
  out.push(`## burstlab: ${mdEscape(results.scenario.name)}`, '');
  out.push(
    `Target \`${mdEscape(results.scenario.target)}\` · seed ${results.scenario.seed} · ${formatDuration(results.scenario.durationS)} of scenario time · run ${mdEscape(m.meta.startedAt)} · burstlab ${mdEscape(m.meta.burstlabVersion)}`,
    '',
  );
  if (m.simVsLive !== undefined) out.push(`**${mdEscape(m.simVsLive)}**`, '');
  if (results.warnings.length) {
    out.push(`> **${results.warnings.length} scenario warning(s)**: what the scenario says that this run accepted but did not model, or read differently than written:`);
    for (const w of results.warnings) out.push(`> - ${mdEscape(w.path)}: ${mdEscape(w.message)}`);
    out.push('');
  }
  out.push(`**${mdEscape(v.headline)}**`, '');
  for (const g of v.margins) out.push(`- ${mdEscape(g.label)}: ${mdEscape(g.lead.name)} **${mdEscape(g.lead.value)}** vs ${mdEscape(g.rival.name)} ${mdEscape(g.rival.value)} (${mdEscape(g.relative)})`);
  if (v.margins.length) out.push('');
  if (caveat.length) out.push(`> **Cost caveat:** ${caveat.map(mdEscape).join(' ')}`, '');
  out.push(row(['Autoscaler', 'SLOs', 'Checks']), row(['---', '---', '---']));
  for (const a of v.arms) {
    const checks = a.checks.map((c) => `${c.passed ? '✅' : '❌'} ${mdEscape(describeCheck(c))} (was ${mdEscape(formatMetric(c.metric, c.actual))})`).join('<br>');
    out.push(row([mdEscape(a.name), a.passed ? '✅ met' : '❌ missed', checks || 'none defined']));
  }
  out.push('');
  if (v.reasons.length) {
    out.push('**Why**', '');
    for (const r of v.reasons) out.push(`- ${mdEscape(r)}`);
    out.push('');
  }
  out.push('### Key metrics', '', row(['Metric', ...m.arms.map((a) => mdEscape(a.name))]), row(['---', ...m.arms.map(() => '---:')]));
  const marks: Record<string, string> = { ...(caveat.length ? { 'cost.totalUSD': ' †' } : {}), 'cost.ratioToLowerBound': ' ‡' };
  for (const r of m.metrics) {
    out.push(row([mdEscape(r.label) + (marks[r.key] ?? ''), ...r.formatted.map((f, i) => (r.best[i] ? `**${mdEscape(f)}** ★` : `${mdEscape(f)}${r.deltas[i] ? ` (${mdEscape(r.deltas[i]!)})` : ''}`))]));
  }
  out.push('');
  const shown = new Set(m.metrics.map((r) => r.key));
  if (caveat.length && shown.has('cost.totalUSD')) out.push('† See the cost caveat above.', '');
  if (shown.has('cost.ratioToLowerBound')) out.push(`‡ ${mdEscape(LOWER_BOUND_NOTE)}`, '');
  if (m.agreement) agreementMarkdown(m.agreement, out);
  if (results.phases.length) {
    out.push('### By phase', '', row(['Phase', ...m.arms.map((a) => `${mdEscape(a.name)} p99 · served · peak pending`)]), row(['---', ...m.arms.map(() => '---')]));
    for (const phase of results.phases) {
      const cells = results.autoscalers.map((a) => {
        const p = a.phases.find((x) => x.name === phase.name);
        return p ? `${p.podToReady.count ? formatDuration(p.podToReady.p99) : '–'} · ${formatPercent(p.requests.successRate)} · ${formatCount(p.peakPendingPods)}` : '–';
      });
      out.push(row([`${mdEscape(phase.name)} (${m.clock(phase.startS)}–${m.clock(phase.endS)})`, ...cells]));
    }
    out.push('');
  }
  if (m.faults.length) {
    out.push('### Faults', '');
    for (const f of m.faults) out.push(`- ${m.clock(f.tS)} **${mdEscape(f.fault)}** on ${mdEscape(f.arms.join(', '))}: ${mdEscape(f.detail)}`);
    out.push('');
  }
  if (m.disruption) {
    out.push('### Disruption', '');
    for (const a of m.disruption.arms) out.push(`- **${mdEscape(a.arm)}**: ${mdEscape(disruptionLine(a.metrics))}`);
    out.push('');
  }
  out.push('### Slowest pods', '');
  for (const a of results.autoscalers) {
    out.push(`**${mdEscape(a.name)}**`, '');
    for (const p of a.slowestPods.slice(0, slowestPerArm)) {
      const why = explainSlowPod(p, m.clock);
      out.push(`- ${mdEscape(p.pod)} ${formatDuration(p.podToReadyS)}: ${mdEscape(why.headline)}${why.detail ? ` (${mdEscape(why.detail)})` : ''}`);
    }
    out.push('');
  }
  out.push(`_Prices: on-demand ${mdEscape(results.pricing.onDemand)}; Spot ${mdEscape(results.pricing.spot)}.${results.scenario.target !== 'eks' ? ' Spot prices are modelled, not observed.' : ''}_`, '');
  return out.join('\n');
}

/** The agreement of burstlab's Karpenter model with the real one (reports/model/agreement.ts), as the HTML shows it. */
function agreementMarkdown(a: Agreement, out: string[]): void {
  const value = (unit: string, v: number | null): string => (v === null ? 'no value' : unit === 's' ? formatDuration(v) : unit === 'USD' ? formatUSD(v) : formatCount(v));
  out.push(`### Agreement with the real Karpenter: ${a.passed ? '✅ agrees' : '❌ differs'}`, '');
  out.push(row(['Metric', mdEscape(a.bundled), mdEscape(a.upstream), 'difference', 'goal']), row(['---', '---:', '---:', '---:', '---']));
  for (const r of a.rows) {
    const goal = r.goal === undefined ? '–' : `${r.passed ? '✅' : '❌'} within ${(r.goal * 100).toFixed(0)}%`;
    const diff = r.difference === null ? 'n/a' : `${r.difference > 0 ? '+' : ''}${(r.difference * 100).toFixed(1)}%`;
    out.push(row([r.metric, value(r.unit, r.bundled), value(r.unit, r.upstream), diff, goal]));
  }
  out.push('', row(['Instance type', mdEscape(a.bundled), mdEscape(a.upstream)]), row(['---', '---:', '---:']));
  for (const t of a.types) out.push(row([mdEscape(t.type), formatCount(t.bundled), formatCount(t.upstream)]));
  out.push('');
  for (const d of a.differences) out.push(`- ${mdEscape(describeDifference(d))}`);
  if (a.differences.length) out.push('');
}
