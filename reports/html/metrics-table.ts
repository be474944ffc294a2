/** Key metrics side by side, the best value in each row marked, the others with their distance from it. */
import { costCaveat, LOWER_BOUND_NOTE } from '../model/cost-notes.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

export function metricsTable(m: ReportModel): SafeHtml {
  const groups = [...new Set(m.metrics.map((r) => r.group))];
  const caveat = costCaveat(m.results);
  // Rows whose number means little without its note: a marker on the label, the note under the table.
  const notes: Record<string, { mark: string; target: string; title: string } | undefined> = {
    'cost.totalUSD': caveat.length ? { mark: '†', target: 'cost-caveat-metrics', title: caveat.join(' ') } : undefined,
    'cost.ratioToLowerBound': { mark: '‡', target: 'lower-bound-note', title: LOWER_BOUND_NOTE },
  };
  const noteRef = (key: string): SafeHtml | '' => {
    const n = notes[key];
    return n ? html`<a class="note-ref" href="#${n.target}" title="${n.title}">${n.mark}</a>` : '';
  };
  const hasRow = (key: string): boolean => m.metrics.some((r) => r.key === key);
  return html`<section id="metrics"><h2>Key metrics <span class="muted">★ best · red: how far behind the best · ↓ lower is better, ↑ higher is better</span></h2>
<table class="metrics">
  <thead><tr><th>Metric</th>${m.arms.map((a) => html`<th><span class="swatch" style="background: ${a.color}"></span>${a.name}</th>`)}</tr></thead>
  <tbody>${groups.map(
    (g) => html`<tr class="group"><th colspan="${m.arms.length + 1}">${g}</th></tr>${m.metrics
      .filter((r) => r.group === g)
      .map(
        (r) => html`<tr data-metric="${r.key}"><th>${r.label}${noteRef(r.key)}${r.better ? html` <span class="dir" title="${r.better} is better">${r.better === 'lower' ? '↓' : '↑'}</span>` : ''}</th>${r.formatted.map(
          (text, i) => html`<td class="${r.best[i] ? 'best' : ''}">${r.deltas[i] ? html`<span class="delta">${r.deltas[i]}</span>` : ''}${text}${r.best[i] ? html`<span class="star" title="best">★</span>` : html`<span class="star-space"></span>`}</td>`,
        )}</tr>`,
      )}`,
  )}</tbody>
</table>
<div class="table-notes">${caveat.length && hasRow('cost.totalUSD') ? html`<p id="cost-caveat-metrics"><span class="mark">†</span> <strong>Cost caveat.</strong> ${caveat.join(' ')}</p>` : ''}${hasRow('cost.ratioToLowerBound') ? html`<p id="lower-bound-note"><span class="mark">‡</span> ${LOWER_BOUND_NOTE}</p>` : ''}</div>
</section>`;
}
