import { describe, expect, it } from 'vitest';
import { renderReports } from '../../../reports/index.js';
import { makeReportFixture } from '../../support/report-fixture.js';

describe('report.html', () => {
  const hostile = makeReportFixture({ durationS: 1_800, peakPods: 60, hostileNames: true });
  const { html } = renderReports(hostile.results, hostile.events, hostile.meta);

  it('runs only its own three scripts whatever the names in the run contain', () => {
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
  });

  it('shows hostile names as text', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;pod&quot;)&lt;/script&gt;');
    expect(html).toContain('market &quot;open&quot; &lt;/script&gt;&lt;script&gt;alert(&#39;scenario&#39;)&lt;/script&gt;');
  });

  it('keeps U+2028 out of the inlined JSON', () => {
    const json = html.slice(html.indexOf('id="burstlab-data">'), html.indexOf('</script>', html.indexOf('id="burstlab-data">')));
    expect(json).not.toMatch(/[\u2028\u2029<]/);
  });

  it('forbids the network and any script but its own through a Content-Security-Policy', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp.match(/'sha256-/g)).toHaveLength(2);
    expect(csp).not.toContain('unsafe-inline\' \'sha');
  });

  it('says spot prices are modelled', () => {
    expect(html).toContain('Spot prices are modelled');
  });

  it('does not depend on when it is rendered', () => {
    expect(renderReports(hostile.results, hostile.events, hostile.meta).html).toBe(html);
  });
});

describe('report.html of unusual runs', () => {
  it("states a live run's speed and request-rate scale in the header", () => {
    const live = makeReportFixture({ durationS: 600, peakPods: 20 });
    const { html: page } = renderReports(live.results, live.events, { ...live.meta, target: 'kwok', speed: 4, rateScale: 0.25 });
    expect(page).toContain('<dt>Speed</dt><dd>4 scenario s per wall s (API and watch latency not scaled)</dd>');
    expect(page).toContain("<dt>Request rates</dt><dd>25% of the scenario&#39;s</dd>");
  });

  it('renders a run with a single autoscaler, with no winner to mark', () => {
    const run = makeReportFixture({ durationS: 1_800, peakPods: 60 });
    run.results.autoscalers = run.results.autoscalers.slice(1);
    const { html, markdown, junit } = renderReports(run.results, run.events, run.meta);
    expect(html).toContain('karpenter ');
    expect(html).not.toContain('class="best"');
    expect(markdown).toMatch(/\*\*karpenter (met|missed) its SLOs\.\*\*/);
    expect(junit.match(/<testsuite /g)).toHaveLength(1);
  });

  it('renders a run whose event log is empty', () => {
    const run = makeReportFixture({ durationS: 1_800, peakPods: 60 });
    const { html } = renderReports(run.results, [], run.meta);
    expect(html).toContain('id="burstlab-data"');
  });
});
