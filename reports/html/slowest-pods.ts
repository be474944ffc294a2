/** The slowest pods of each arm and the reason for each, plus pods no autoscaler could place. */
import type { FaultImpact } from '../../harness/metrics/results.js';
import { formatDuration } from '../format.js';
import { explainSlowPod } from '../model/slow-pod-reason.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

/** Rows beyond this are hidden on screen (they are printed), to keep the two arms' tables side by side and short. */
const SHOWN = 5;

export function slowestPods(m: ReportModel): SafeHtml {
  return html`<section id="slowest"><h2>Slowest pods</h2><div class="pair">${m.results.autoscalers.map(
    (a) => html`<div class="slow-arm" data-arm="${a.name}"><h3><span class="swatch" style="background: ${m.arms.find((x) => x.name === a.name)?.color ?? '#495057'}"></span>${a.name}</h3>
<table class="slow"><thead><tr><th>Pod</th><th>Created</th><th>To ready</th><th>Why</th></tr></thead><tbody>${a.slowestPods.map((p, i) => {
      const why = explainSlowPod(p, m.clock);
      return html`<tr class="${i >= SHOWN ? 'more' : ''}"><td class="pod"><code>${p.pod}</code><span class="workload">${p.workload}</span></td><td>${m.clock(p.createdS)}</td><td class="num">${formatDuration(p.podToReadyS)}</td><td><strong>${why.headline}</strong><span class="detail">${why.detail}</span></td></tr>`;
    })}</tbody></table>${a.slowestPods.length > SHOWN ? html`<p class="muted more-note">${a.slowestPods.length - SHOWN} more in results.json and below when printed.</p>` : ''}
${a.unsatisfiable.length ? html`<h4>Unsatisfiable (${a.unsatisfiable.length})</h4><ul class="unsat">${a.unsatisfiable.slice(0, 20).map((u) => html`<li><code>${u.pod}</code> at ${m.clock(u.atS)}: ${u.reason}</li>`)}</ul>` : ''}
</div>`,
  )}</div></section>`;
}

/** Each injected fault of the plan against each arm: what it displaced, how fast the arm recovered, what it cost. */
function impactTable(m: ReportModel): SafeHtml {
  const arms = m.results.autoscalers.filter((a) => a.faults && a.faults.length > 0);
  if (arms.length === 0) return html``;
  const ids = arms[0]!.faults!.map((f) => f.id);
  const cell = (f: FaultImpact | undefined): SafeHtml => {
    if (!f) return html`<td colspan="5" class="muted">not injected</td>`;
    const recovery = f.recovery.count > 0 ? `${formatDuration(f.recovery.p50)} / ${formatDuration(f.recovery.max)}` : '-';
    const window = f.impactWindow.open ? 'not recovered' : formatDuration(f.impactWindow.seconds);
    const slo = f.slo ? (f.slo.passed ? ' ✓' : ' ✗') : '';
    return html`<td class="num">${f.pods.displaced}${f.pods.delayed ? html` <span class="muted">+${f.pods.delayed} held</span>` : ''}</td><td class="num">${recovery}${slo}</td><td class="num">${window}</td><td class="num">${f.requests.failed.toLocaleString('en-US')}</td><td class="num">${f.sloMinutesInViolation ?? '-'}</td>`;
  };
  return html`<h3>Impact per fault</h3><p class="hint">Displaced: pods on the nodes hit; recovery: from the injection until each one's replacement was Ready (p50 / max; ✓ ✗ the fault's own SLO); window: until the fault ended and every displaced and held pod was Ready; failed requests and minutes in SLO violation inside it.</p>
<table class="fault-impact"><thead><tr><th rowspan="2">At</th><th rowspan="2">Fault</th>${arms.map((a) => html`<th colspan="5">${a.name}</th>`)}</tr>
<tr>${arms.map(() => html`<th>Displaced</th><th>Recovery</th><th>Window</th><th>Failed requests</th><th>SLO min</th>`)}</tr></thead><tbody>${ids.map((id) => {
    const first = arms[0]!.faults!.find((f) => f.id === id)!;
    return html`<tr data-fault="${id}"><td>${m.clock(first.atS)}</td><td><span class="fault-mark"></span>${first.fault} <span class="muted">${id}</span></td>${arms.map((a) => cell(a.faults!.find((f) => f.id === id)))}</tr>`;
  })}</tbody></table>`;
}

export function faultsTable(m: ReportModel): SafeHtml {
  if (m.faults.length === 0) return html``;
  return html`<section id="faults"><h2>Faults injected</h2>
<table class="faults"><thead><tr><th>At</th><th>Fault</th><th>Autoscalers</th><th>Targets</th><th>Detail</th></tr></thead><tbody>${m.faults.map(
    (f) => html`<tr><td>${m.clock(f.tS)} <span class="muted">(+${formatDuration(f.tS)})</span></td><td><span class="fault-mark"></span>${f.fault}</td><td>${f.arms.join(', ')}</td><td class="num">${f.targets}</td><td>${f.detail}</td></tr>`,
  )}</tbody></table>${impactTable(m)}</section>`;
}
