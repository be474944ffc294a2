/** The multi-seed section at the top of report.html. */
import { html, type SafeHtml } from '../html/escape.js';
import type { SeedsModel } from './seeds-model.js';

export function seedsSection(m: SeedsModel): SafeHtml {
  return html`<section class="seeds" id="seeds" data-seeds="${m.seeds.join(',')}">
<h2>Across ${m.seeds.length} seeds</h2>
<p class="hint">Median [min–max] over seeds ${m.seeds.join(', ')}. SLO rule: ${m.rule}. The rest of this report shows seed ${m.representative} alone.</p>
<ul class="checks">${m.slo.map((s) => html`<li class="${s.passed ? 'pass' : 'fail'}" data-arm="${s.arm}"><span class="mark">${s.passed ? '✓' : '✗'}</span> ${s.arm}: SLOs ${s.passed ? 'met' : `missed (${s.failing.join(', ')})`} on the median; ${s.seedsFailed} of ${m.seeds.length} seeds missed them</li>`)}</ul>
<table class="metrics"><thead><tr><th>Metric</th>${m.arms.map((a) => html`<th>${a}</th>`)}</tr></thead><tbody>${m.rows.map(
    (r) => html`<tr data-metric="${r.key}"><th>${r.label}</th>${r.cells.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>
</section>`;
}
