import { describe, expect, it } from 'vitest';
import { comparisonTable } from '../../../harness/runner/table.js';
import { makeReportFixture } from '../../support/report-fixture.js';

describe('the comparison table burstlab run prints', () => {
  it('prints no minutes in SLO violation for a scenario without request SLOs', () => {
    const { results } = makeReportFixture({ durationS: 1_800, peakPods: 120 });
    const r = structuredClone(results);
    for (const a of r.autoscalers) a.sloMinutesInViolation = null;
    expect(comparisonTable(r)).not.toMatch(/minutes in SLO violation/);
    expect(comparisonTable(results)).toMatch(/minutes in SLO violation/);
  });

  it('counts the pods given up before they were Ready', () => {
    const { results } = makeReportFixture({ durationS: 1_800, peakPods: 120 });
    const r = structuredClone(results);
    r.autoscalers[0]!.pods.abandoned = 27;
    expect(comparisonTable(r)).toMatch(/pods given up before Ready +27 /);
  });
});
