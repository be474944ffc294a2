/** The verdict card: the headline, the margins, each arm's SLOs, and why. */
import { describeCheck, formatMetric } from '../format.js';
import { costCaveat, onDemandRelative } from '../model/cost-notes.js';
import type { ReportModel } from '../model/report-model.js';
import type { Margin } from '../model/verdict.js';
import { html, type SafeHtml } from './escape.js';

/** The verdict's cost margin ("6.8× cheaper") with what it would be at on-demand prices, so it never stands alone. */
function onDemandNote(m: ReportModel, g: Margin, caveat: string[]): SafeHtml | '' {
  if (g.label !== 'total cost' || caveat.length === 0) return '';
  const arm = (name: string) => m.results.autoscalers.find((a) => a.name === name);
  const [lead, rival] = [arm(g.lead.name), arm(g.rival.name)];
  const asIf = lead && rival ? onDemandRelative(lead, rival) : null;
  return html`<div class="kpi-note">${asIf ? html`at on-demand prices: <strong>${asIf}</strong> · ` : ''}<a href="#cost-caveat">cost caveat</a></div>`;
}

export function costCaveatBox(caveat: string[], id: string): SafeHtml | '' {
  if (caveat.length === 0) return '';
  return html`<p class="cost-caveat" id="${id}"><strong>Cost caveat.</strong> ${caveat.join(' ')}</p>`;
}

export function verdictSection(m: ReportModel): SafeHtml {
  const v = m.verdict;
  const color = (name: string): string => m.arms.find((a) => a.name === name)?.color ?? '#495057';
  const caveat = costCaveat(m.results);
  return html`<section class="verdict" id="verdict" data-winner="${v.winner ?? ''}">
  <p class="headline" style="--accent: ${v.winner ? color(v.winner) : '#495057'}">${v.headline}</p>
  ${v.margins.length ? html`<div class="kpis">${v.margins.map(
    (g) => html`<div class="kpi ${g.ahead ? 'ahead' : 'behind'}"><div class="kpi-label">${g.label}</div><div class="kpi-value" style="color: ${color(g.lead.name)}">${g.lead.value} <span class="kpi-who">${g.lead.name}</span></div><div class="kpi-rel">${g.relative}</div><div class="kpi-vs">vs ${g.rival.name}: <strong style="color: ${color(g.rival.name)}">${g.rival.value}</strong></div>${onDemandNote(m, g, caveat)}</div>`,
  )}</div>` : ''}
  ${costCaveatBox(caveat, 'cost-caveat')}
  <div class="arm-cards">${v.arms.map(
    (a) => html`<div class="arm-card" data-arm="${a.name}" data-slo="${a.passed ? 'pass' : 'fail'}">
    <div class="arm-title"><span class="swatch" style="background: ${color(a.name)}"></span><span class="arm-name">${a.name}</span>${a.kind !== a.name ? html`<span class="kind">${a.kind}</span>` : ''}<span class="badge ${a.passed ? 'pass' : 'fail'}">${a.passed ? 'SLOs met' : 'SLOs missed'}</span></div>
    <ul class="checks">${a.checks.length ? a.checks.map((c) => html`<li class="${c.passed ? 'pass' : 'fail'}" data-metric="${c.metric}"><span class="mark">${c.passed ? '✓' : '✗'}</span> ${describeCheck(c)} <span class="actual">was ${formatMetric(c.metric, c.actual)}</span></li>`) : html`<li class="none">no SLOs defined</li>`}</ul>
  </div>`,
  )}</div>
  ${v.reasons.length ? html`<div class="why"><h3>Why</h3><ul>${v.reasons.map((r) => html`<li>${r}</li>`)}</ul></div>` : ''}
</section>`;
}
