/**
 * What taking capacity away did: nodes removed and replaced per reason over time (one chart per arm that decided
 * something), the decisions' numbers, what blocked nodes, and the pods disrupted with their time unavailable.
 * Nothing is rendered when no arm's log holds a disruption fact.
 */
import { formatCount, formatDuration, formatUSD } from '../format.js';
import { BLOCKER } from '../explain/explain-text.js';
import type { DisruptionArm } from '../model/disruption.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

export function disruptionSection(m: ReportModel): SafeHtml {
  const d = m.disruption;
  if (!d) return html``;
  const charted = new Set(d.charts.map((c) => c.id));
  const head = html`<thead><tr><th></th>${d.arms.map((a) => html`<th class="num"><span class="swatch" style="background: ${m.arms[a.index]?.color ?? '#495057'}"></span>${a.arm}</th>`)}</tr></thead>`;
  const row = (label: string, cell: (x: DisruptionArm) => string): SafeHtml =>
    html`<tr><th>${label}</th>${d.arms.map((a) => html`<td class="num">${cell(a)}</td>`)}</tr>`;
  return html`<section id="disruption"><h2>Disruption <span class="muted">nodes taken away, why, and what it cost the pods on them; <code>burstlab explain</code> tells it node by node</span></h2>
<div class="pair">${d.arms.map((a) =>
    charted.has(`disruption-nodes-${a.index}`)
      ? html`<figure class="chart" data-chart="disruption-nodes-${a.index}"><figcaption><strong>Nodes disrupted · ${a.arm}</strong> <span class="muted">cumulative, per reason; dashed: replaced</span></figcaption><div class="plot"></div></figure>`
      : html`<p class="muted no-decisions" data-arm="${a.arm}">${a.arm}: no disruption decision.</p>`,
  )}</div>
<div class="pair">
<table class="disruption" data-table="decisions"><caption>Decisions</caption>${head}<tbody>
${row('Decisions', (a) => formatCount(a.metrics.decisions.total))}
${row('Nodes removed', (a) => formatCount(a.metrics.nodesRemoved))}
${row('Nodes replaced', (a) => formatCount(a.metrics.nodesReplaced))}
${row('Savings decided', (a) => `${formatUSD(a.metrics.savingsPerHourUSD)}/h`)}
${row('Interruption notices', (a) => formatCount(a.metrics.interruptions.total))}
${row('Evictions refused by a PDB', (a) => formatCount(a.metrics.blocked.evictionsByPdb))}
</tbody></table>
<table class="disruption" data-table="pods"><caption>Pods disrupted · pod-seconds unavailable, per cause</caption>${head}<tbody>
${d.causes.map((c) => row(c, (a) => `${formatCount(a.metrics.podsDisrupted.byCause[c] ?? 0)} · ${formatDuration(a.metrics.podSecondsUnavailable.byCause[c] ?? 0)}`))}
${row('Total', (a) => `${formatCount(a.metrics.podsDisrupted.total)} · ${formatDuration(a.metrics.podSecondsUnavailable.total)}`)}
</tbody></table>
</div>
${d.blockers.length
    ? html`<table class="disruption" data-table="blocked"><caption>Blocked: rounds in which a node a method wanted to disrupt was kept, by what kept it</caption>${head}<tbody>
${d.blockers.map((b) => row(BLOCKER[b as keyof typeof BLOCKER] ?? b, (a) => formatCount(a.metrics.blocked.byReason[b] ?? 0)))}
${row('Distinct nodes blocked', (a) => formatCount(a.metrics.blocked.nodes))}
</tbody></table>`
    : ''}
<p class="muted">Pod-seconds unavailable: ${m.results.definitions.disruptionImpact}</p>
</section>`;
}
