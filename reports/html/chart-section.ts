/** Figures the client script fills with charts; titles and captions are rendered here so they read without JS. */
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

function figure(id: string, title: string, caption = ''): SafeHtml {
  return html`<figure class="chart" data-chart="${id}"><figcaption><strong>${title}</strong>${caption ? html` <span class="muted">${caption}</span>` : ''}</figcaption><div class="plot"></div></figure>`;
}

/** The close-up of the worst moment, placed right under the verdict: where the latency came from. */
export function focusSection(m: ReportModel): SafeHtml {
  const f = m.charts.focus;
  if (!f) return html``;
  return html`<section id="focus"><h2>Around the peak <span class="muted">${m.clock(f.startS)}–${m.clock(f.endS)} ${m.zone}: the largest backlog of pending pods, close up</span></h2>
<div class="triple">${figure('focus-pending', 'Pending pods', '')}${figure('focus-replicas', 'Replicas', 'desired (dashed) vs ready')}${figure('focus-nodes', 'Nodes', 'launched, not terminated')}</div>
</section>`;
}

export function chartSection(m: ReportModel): SafeHtml {
  const pairs = (prefix: string, what: string): SafeHtml =>
    html`<div class="pair">${m.arms.map((a, i) => figure(`${prefix}-${i}`, `${what} · ${a.name}`, 'stacked'))}</div>`;
  return html`<section id="timeline"><h2>Timeline</h2>
<noscript><p class="pricing">Charts are drawn by the report's inlined script; every number above and below is readable without it.</p></noscript>
<p class="hint">One time axis for every chart (${m.zone}); hover one to read all of them at that instant. <span class="fault-mark"></span> red lines mark faults, pale red bands their impact windows;${m.charts.disruptions ? html` <span class="disruption-mark"></span> purple dotted lines mark disruption decisions;` : ''} shaded bands are the scenario's phases.</p>
<div class="zoom"><span class="muted">Zoom to</span> ${[{ name: 'whole run', startS: 0, endS: m.results.scenario.durationS }, ...m.charts.phases].map(
    (p) => html`<button type="button" data-zoom-start="${p.startS}" data-zoom-end="${p.endS}">${p.name}</button>`,
  )} <span class="muted">or drag across any chart; double-click to reset.</span></div>
${figure('traffic', 'Traffic', 'requests/s offered and served')}
${figure('replicas', 'Replicas', 'desired (dashed) vs ready')}
${figure('pending', 'Pending pods', 'created, not yet Ready')}
${pairs('nodes-capacity', 'Nodes by capacity type')}
${pairs('nodes-type', 'Nodes by instance type')}
<div class="pair">${figure('cost-rate', 'Cost rate', '$ per hour')}${figure('cost-total', 'Cumulative cost', '$')}</div>
</section>
<section id="latency"><h2>Latency</h2>
<div class="pair">${figure('pod-to-ready-cdf', 'Pod-to-ready CDF', 'log scale')}${figure('pod-to-ready-histogram', 'Pod-to-ready histogram', 'pods per bin, log scale')}</div>
${figure('node-launch-cdf', 'Node launch latency CDF', 'launch request to Ready, log scale')}
</section>`;
}
