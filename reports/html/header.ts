/**
 * The report's header: what ran, where, with which seed and versions, where its prices came from, and what the
 * scenario says that the run did not model.
 */
import { formatDuration } from '../format.js';
import type { ReportModel } from '../model/report-model.js';
import { html, type SafeHtml } from './escape.js';

export function headerSection(m: ReportModel): SafeHtml {
  const { scenario, pricing, warnings } = m.results;
  const components = Object.entries(m.meta.components).map(([k, v]) => `${k} ${v}`);
  const facts: Array<[string, string]> = [
    ['Target', scenario.target],
    ['Seed', String(scenario.seed)],
    ['Scenario time', `${m.epoch.replace('T', ' ')} · ${formatDuration(scenario.durationS)}`],
    ['Run date', m.meta.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')],
    ['Scenario file', m.meta.scenarioFile],
    ['Versions', [`burstlab ${m.meta.burstlabVersion}`, `node ${m.meta.nodeVersion}`, ...components].join(' · ')],
    // A live run's clock and load, without which its latencies and request figures cannot be read.
    ...(m.meta.speed === undefined ? [] : [['Speed', `${m.meta.speed} scenario s per wall s (API and watch latency not scaled)`] as [string, string]]),
    ...(m.meta.rateScale === undefined ? [] : [['Request rates', `${+(m.meta.rateScale * 100).toPrecision(3)}% of the scenario's`] as [string, string]]),
    ...(m.simVsLive === undefined ? [] : [['Sim vs live', m.simVsLive] as [string, string]]),
    ...(m.meta.runId === undefined ? [] : [['Run id', `${m.meta.runId} (label burstlab.io/run on everything it created)`] as [string, string]]),
  ];
  const armComponents = Object.entries(m.meta.armComponents ?? {}).filter(([, c]) => Object.keys(c).length > 0);
  const modelled = !pricing.spot.startsWith('live:');
  return html`<header class="top">
  <div class="brand">burstlab · autoscaler comparison</div>
  <h1 id="scenario-name">${scenario.name}</h1>
  ${scenario.description ? html`<p class="desc">${scenario.description}</p>` : ''}
  <dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
  ${armComponents.length ? html`<table class="components" id="arm-components"><caption>What each arm ran: components, versions and settings</caption><thead><tr><th>arm</th><th>component</th><th>version</th><th>settings</th></tr></thead><tbody>${armComponents.flatMap(([arm, c]) => componentRows(c).map((r) => html`<tr data-arm="${arm}"><td>${arm}</td><td>${r.name}</td><td>${r.version}</td><td><code>${r.settings}</code></td></tr>`))}</tbody></table>` : ''}
  <p class="pricing${modelled ? ' modelled' : ''}" id="pricing-note">${modelled ? html`<strong>Spot prices are modelled, not observed.</strong> ` : ''}On-demand: ${pricing.onDemand}. Spot: ${pricing.spot}.</p>
  ${warnings.length ? html`<details class="warnings" id="scenario-warnings" open><summary><strong>${warnings.length} scenario warning${warnings.length === 1 ? '' : 's'}</strong>: what the scenario says that this run accepted but did not model, or read differently than written.</summary><ul>${warnings.map((w) => html`<li><code>${w.path}</code>: ${w.message}</li>`)}</ul></details>` : ''}
</header>`;
}

/**
 * An arm's components (LiveAutoscaler.components' shape) as rows: each name with its version, its `<name> settings`
 * and `<name> found` folded into the row.
 */
export function componentRows(c: Readonly<Record<string, string>>): Array<{ name: string; version: string; settings: string }> {
  const extra = / (settings|found)$/;
  return Object.keys(c)
    .filter((k) => !extra.test(k))
    .map((name) => ({
      name,
      version: c[name]!,
      settings: [c[`${name} settings`], c[`${name} found`] && `found: ${c[`${name} found`]}`].filter(Boolean).join(' · '),
    }));
}
