import { describe, expect, it } from 'vitest';
import { renderReports } from '../../../reports/index.js';
import { buildReportModel } from '../../../reports/model/report-model.js';
import { log, runOf } from '../../support/event-log.js';
import { makeReportFixture } from '../../support/report-fixture.js';

const chartData = (html: string): { charts: Array<{ id: string }>; disruptions?: Array<{ tS: number; label: string }> } =>
  JSON.parse(html.slice(html.indexOf('id="burstlab-data">') + 'id="burstlab-data">'.length, html.indexOf('</script>', html.indexOf('id="burstlab-data">'))));

describe('the report on disruption', () => {
  const withDisruption = makeReportFixture({ durationS: 7_200, peakPods: 60, disruption: true });
  const plain = makeReportFixture({ durationS: 1_800, peakPods: 60 });

  it('has a disruption section with a chart for the arm that decided and words for the one that did not', () => {
    const { html } = renderReports(withDisruption.results, withDisruption.events, withDisruption.meta);
    expect(html).toContain('<section id="disruption">');
    expect(html).toContain('data-chart="disruption-nodes-1"');
    expect(html).not.toContain('data-chart="disruption-nodes-0"');
    expect(html).toContain('cluster-autoscaler: no disruption decision.');
    expect(chartData(html).charts.map((c) => c.id)).toContain('disruption-nodes-1');
  });

  it('shows pods disrupted and pod-time unavailable per cause as results.json has them', () => {
    const { html } = renderReports(withDisruption.results, withDisruption.events, withDisruption.meta);
    const k = withDisruption.results.autoscalers[1]!.disruption;
    expect(k.podsDisrupted.byCause.Interrupted).toBeGreaterThan(0);
    expect(html).toMatch(new RegExp(`<th>Interrupted</th><td class="num">0 · 0\\.00 s</td><td class="num">${k.podsDisrupted.byCause.Interrupted} · `));
    expect(html).toContain('blocked by a disruption budget');
    expect(html).toContain('blocked because its pods would not fit elsewhere');
  });

  it('marks every disruption decision on the time charts', () => {
    const { html } = renderReports(withDisruption.results, withDisruption.events, withDisruption.meta);
    const decided = withDisruption.events.filter((e) => e.type === 'disruption.decided');
    const marks = chartData(html).disruptions ?? [];
    expect(new Set(marks.map((m) => m.tS))).toEqual(new Set(decided.map((e) => e.t / 1000)));
    expect(html).toContain('purple dotted lines mark disruption decisions');
  });

  it('has no disruption section, chart or marker when no disruption event exists', () => {
    const { html, markdown } = renderReports(plain.results, plain.events, plain.meta);
    expect(html).not.toContain('id="disruption"');
    expect(html).not.toContain('disruption-nodes-');
    expect(chartData(html).disruptions).toBeUndefined();
    expect(markdown).not.toContain('### Disruption');
  });

  it('gives summary.md a disruption line per arm', () => {
    const { markdown } = renderReports(withDisruption.results, withDisruption.events, withDisruption.meta);
    const k = withDisruption.results.autoscalers[1]!.disruption;
    expect(markdown).toContain('### Disruption');
    expect(markdown).toContain('- **cluster-autoscaler**: 0 decisions; 0 nodes removed, 0 replaced, $0.00/h saved; 0 pods disrupted');
    expect(markdown).toContain(`- **karpenter**: ${k.decisions.total} decisions (Empty ${k.decisions.byReason.Empty}, Interrupted ${k.decisions.byReason.Interrupted}); ${k.nodesRemoved} nodes removed`);
  });

  it('charts nodes removed and replaced per reason as cumulative counts on the time axis', () => {
    const run = runOf(
      log()
        .node('n1', 0)
        .node('n2', 0)
        .node('n3', 0)
        .decided(100, { method: 'emptiness', reason: 'Empty', nodes: ['n1', 'n2'] })
        .decided(400, { nodes: ['n3'], replacements: ['c1'], replacementTypes: ['t3.small'] })
        .end(600),
    );
    const m = buildReportModel(run.results, run.events, run.meta, { buckets: 6 });
    const chart = m.charts.charts.find((c) => c.id === 'disruption-nodes-0')!;
    const x = m.charts.time.x;
    const at = (label: string, tS: number): number | null => chart.series.find((s) => s.label === label)!.values[x.findLastIndex((v) => v <= tS)]!;
    expect(chart.series.map((s) => s.label)).toEqual(['Empty · removed', 'Underutilized · replaced']);
    expect([at('Empty · removed', 99), at('Empty · removed', 100), at('Empty · removed', 600)]).toEqual([0, 2, 2]);
    expect([at('Underutilized · replaced', 399), at('Underutilized · replaced', 600)]).toEqual([0, 1]);
  });
});
