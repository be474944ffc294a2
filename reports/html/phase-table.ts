/** Per-phase results (for market-open: before the open, the spike, the plateau, the close). */
import { formatCount, formatDuration, formatPercent } from '../format.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

export function phaseTable(m: ReportModel): SafeHtml {
  const { results } = m;
  if (results.phases.length === 0) return html``;
  return html`<section id="phases"><h2>By phase</h2>
<table class="phases">
  <thead><tr><th>Phase</th><th>Autoscaler</th><th>Pod-to-ready p50</th><th>p99</th><th>max</th><th>Requests served</th><th>Peak pending</th><th>Peak nodes</th></tr></thead>
  <tbody>${results.phases.map((phase) => {
    const rows = results.autoscalers.map((a) => ({ arm: a, p: a.phases.find((x) => x.name === phase.name) }));
    const p99s = rows.filter((r) => r.p && r.p.podToReady.count > 0).map((r) => r.p!.podToReady.p99);
    const best = p99s.length > 1 && new Set(p99s).size > 1 ? p99s.reduce((a, b) => Math.min(a, b), Infinity) : null;
    return rows.map(
      (r, i) => html`<tr class="${i === 0 ? 'first' : ''}" data-phase="${phase.name}">${i === 0 ? html`<th rowspan="${rows.length}">${phase.name}<span class="window">${m.clock(phase.startS)}–${m.clock(phase.endS)}</span></th>` : ''}<td><span class="swatch" style="background: ${m.arms.find((a) => a.name === r.arm.name)?.color ?? '#495057'}"></span>${r.arm.name}</td>${
        r.p
          ? html`${
              r.p.podToReady.count
                ? html`<td>${formatDuration(r.p.podToReady.p50)}</td><td class="${r.p.podToReady.p99 === best ? 'best' : ''}">${formatDuration(r.p.podToReady.p99)}${r.p.podToReady.p99 === best ? html`<span class="star">★</span>` : ''}</td><td>${formatDuration(r.p.podToReady.max)}</td>`
                : html`<td colspan="3" class="none">no new pods</td>`
            }<td>${formatPercent(r.p.requests.successRate)}</td><td>${formatCount(r.p.peakPendingPods)}</td><td>${formatCount(r.p.peakNodes)}</td>`
          : html`<td colspan="6" class="none">no data</td>`
      }</tr>`,
    );
  })}</tbody>
</table></section>`;
}
