import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../reports/junit.js';
import { makeReportFixture } from '../../support/report-fixture.js';

describe('junit.xml', () => {
  const run = makeReportFixture({ durationS: 1_800, peakPods: 120 });
  const xml = renderJunit(run.results);

  it('has one test case per SLO check per autoscaler', () => {
    const checks = run.results.autoscalers.reduce((n, a) => n + a.slo.checks.length, 0);
    expect(xml.match(/<testcase /g)).toHaveLength(checks);
    expect(xml.match(/<testsuite /g)).toHaveLength(run.results.autoscalers.length);
  });

  it('reports each failed check as a failure with its actual value', () => {
    const failed = run.results.autoscalers.flatMap((a) => a.slo.checks.filter((c) => !c.passed));
    expect(failed.length).toBeGreaterThan(0);
    expect(xml.match(/<failure /g)).toHaveLength(failed.length);
    expect(xml).toMatch(/<failure message="podToReady\.p99 was [^"]+, threshold &lt;= 2 m 0 s"/);
  });

  it('escapes names and drops characters XML cannot hold', () => {
    const hostile = makeReportFixture({ durationS: 1_800, peakPods: 60, hostileNames: true });
    hostile.results.autoscalers[0]!.name = 'ca\u0001"<x>';
    const text = renderJunit(hostile.results);
    expect(text).not.toContain('\u0001');
    expect(text).toContain('ca&quot;&lt;x&gt;');
    expect(text).not.toMatch(/<script/);
  });
});
