/**
 * burstlab's Karpenter model against the real Karpenter on the same run (reports/model/agreement.ts): the figures
 * side by side with their difference and the goals passed or failed, the instance types each launched, and the
 * batches where they chose differently. Nothing is rendered when the run lacks either arm.
 */
import { formatCount, formatDuration, formatUSD } from '../format.js';
import { describeDifference, type AgreementRow } from '../model/agreement.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

export function agreementSection(m: ReportModel): SafeHtml {
  const a = m.agreement;
  if (!a) return html``;
  const value = (r: AgreementRow, v: number | null): string => (v === null ? 'no value' : r.unit === 's' ? formatDuration(v) : r.unit === 'USD' ? formatUSD(v) : formatCount(v));
  const diff = (d: number | null): string => (d === null ? 'n/a' : `${d > 0 ? '+' : ''}${(d * 100).toFixed(1)}%`);
  const goal = (r: AgreementRow): SafeHtml =>
    r.goal === undefined ? html`<td class="muted">-</td>` : html`<td class="${r.passed ? 'pass' : 'fail'}" data-goal="${r.passed ? 'pass' : 'fail'}">within ${(r.goal * 100).toFixed(0)}%: ${r.passed ? 'pass' : 'fail'}</td>`;
  return html`<section id="agreement" data-passed="${a.passed ? 'true' : 'false'}"><h2>Agreement with the real Karpenter <span class="muted">${a.bundled} (burstlab's model) vs ${a.upstream} (upstream Karpenter), same control plane, scenario and seed</span></h2>
<p class="${a.passed ? 'pass' : 'fail'}" id="agreement-verdict"><strong>${a.passed ? 'Agrees' : 'Differs'}</strong>: ${a.passed ? 'every goal is met' : `missed: ${a.rows.filter((r) => r.passed === false).map((r) => r.metric).join(', ')}`}.</p>
<div class="pair">
<table class="agreement" data-table="agreement"><thead><tr><th></th><th class="num">${a.bundled}</th><th class="num">${a.upstream}</th><th class="num">difference</th><th>goal</th></tr></thead><tbody>
${a.rows.map((r) => html`<tr data-metric="${r.metric}"><th>${r.metric}</th><td class="num">${value(r, r.bundled)}</td><td class="num">${value(r, r.upstream)}</td><td class="num">${diff(r.difference)}</td>${goal(r)}</tr>`)}
</tbody></table>
<table class="agreement" data-table="instance-types"><caption>Nodes by instance type (the nodes a run starts with included)</caption><thead><tr><th>type</th><th class="num">${a.bundled}</th><th class="num">${a.upstream}</th></tr></thead><tbody>
${a.types.length === 0 ? html`<tr><td colspan="3" class="muted">neither launched a node</td></tr>` : a.types.map((t) => html`<tr data-type="${t.type}" class="${t.bundled === t.upstream ? '' : 'differs'}"><th>${t.type}</th><td class="num">${formatCount(t.bundled)}</td><td class="num">${formatCount(t.upstream)}</td></tr>`)}
</tbody></table>
</div>
${a.differences.length === 0
    ? html`<p class="muted" id="agreement-batches">Every launch batch got the same instance types on both.</p>`
    : html`<details id="agreement-batches" open><summary>Where they differ: ${a.differences.length} launch batch${a.differences.length === 1 ? '' : 'es'} (each a case for the solver's tests)</summary><ul>${a.differences.map((d) => html`<li data-batch="${d.index}">${describeDifference(d)}</li>`)}</ul></details>`}
</section>`;
}
