import { describe, expect, it } from 'vitest';
import { renderReports } from '../../../reports/index.js';
import { makeReportFixture } from '../../support/report-fixture.js';

describe('summary.md', () => {
  it('opens with the verdict and a row per autoscaler', () => {
    const run = makeReportFixture({ durationS: 1_800, peakPods: 120 });
    run.results.autoscalers[0]!.slo.passed = false;
    run.results.autoscalers[1]!.slo.passed = true;
    const { markdown } = renderReports(run.results, run.events, run.meta);
    expect(markdown).toMatch(/^## burstlab: market-open\n/);
    expect(markdown).toContain('**karpenter won: the only autoscaler that met its SLOs.**');
    expect(markdown).toMatch(/\| cluster-autoscaler \| ❌ missed \|/);
    expect(markdown).toMatch(/\| karpenter \| ✅ met \|/);
  });

  it('lets no markup from names through to a PR comment', () => {
    const run = makeReportFixture({ durationS: 1_800, peakPods: 60, hostileNames: true });
    const { markdown } = renderReports(run.results, run.events, run.meta);
    expect(markdown).not.toMatch(/<(script|img|b)\b/i);
    expect(markdown).not.toContain('\u2028');
  });
});
