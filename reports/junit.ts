/**
 * junit.xml: one <testsuite> per autoscaler, one <testcase> per SLO or threshold check, so CI systems list each
 * failure natively. Names come from the run and are escaped; characters XML 1.0 forbids are dropped.
 */
import type { FaultImpact, Results } from '../harness/metrics/results.js';
import { describeCheck, formatMetric } from './format.js';

export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One autoscaler's suite: its properties, and a case per check with the failure message of a failed one. */
export interface JunitSuite {
  arm: string;
  properties: Array<[string, string]>;
  cases: Array<{ name: string; failure?: string }>;
}

/** The XML every burstlab junit.xml shares, single-seed or multi-seed. */
export function junitXml(scenario: string, suites: readonly JunitSuite[]): string {
  const body = suites.map((suite) => {
    const cases = suite.cases.map((c) => {
      const open = `    <testcase classname="${xmlEscape(`burstlab.${scenario}.${suite.arm}`)}" name="${xmlEscape(c.name)}" time="0"`;
      if (c.failure === undefined) return `${open}/>`;
      return `${open}>\n      <failure message="${xmlEscape(c.failure)}" type="SloViolation">${xmlEscape(c.failure)}</failure>\n    </testcase>`;
    });
    const failed = suite.cases.filter((c) => c.failure !== undefined).length;
    return [
      `  <testsuite name="${xmlEscape(`${scenario} · ${suite.arm}`)}" tests="${suite.cases.length}" failures="${failed}" errors="0" skipped="0" time="0">`,
      `    <properties>`,
      ...suite.properties.map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v)}"/>`),
      `    </properties>`,
      ...cases,
      `  </testsuite>`,
    ].join('\n');
  });
  const tests = suites.reduce((n, suite) => n + suite.cases.length, 0);
  const failures = suites.reduce((n, suite) => n + suite.cases.filter((c) => c.failure !== undefined).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`burstlab ${scenario}`)}" tests="${tests}" failures="${failures}" errors="0">\n${body.join('\n')}\n</testsuites>\n`;
}

export function renderJunit(results: Results): string {
  return junitXml(
    results.scenario.name,
    results.autoscalers.map((a) => ({
      arm: a.name,
      properties: [
        ['autoscaler', a.name],
        ['kind', a.kind],
        ['target', results.scenario.target],
        ['seed', String(results.scenario.seed)],
      ],
      cases: [
        ...a.slo.checks.map((c) => ({
          name: describeCheck(c),
          ...(c.passed ? {} : { failure: `${c.metric} was ${formatMetric(c.metric, c.actual)}, threshold ${c.op} ${formatMetric(c.metric, c.threshold)}` }),
        })),
        ...faultCases(a.faults ?? []),
      ],
    })),
  );
}

/** A case per check of each injected fault's own SLOs (`faults[i].slo`), named by the injection. */
function faultCases(faults: readonly FaultImpact[]): JunitSuite['cases'] {
  const value = (metric: string, v: number | null): string => {
    if (v === null) return 'none (no displaced pod recovered)';
    if (metric === 'sloMinutesInViolation') return `${v} min`;
    return metric.startsWith('recovery.') || metric === 'impactWindow' ? `${v} s` : String(v);
  };
  return faults.flatMap((f) =>
    (f.slo?.checks ?? []).map((c) => ({
      name: `${f.id} ${f.fault} at ${f.atS} s: ${c.metric} ${c.op} ${value(c.metric, c.threshold)}`,
      ...(c.passed ? {} : { failure: `${f.id} ${f.fault}: ${c.metric} was ${value(c.metric, c.actual)}, threshold ${c.op} ${value(c.metric, c.threshold)}` }),
    })),
  );
}
