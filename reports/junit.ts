/**
 * junit.xml: one <testsuite> per autoscaler, one <testcase> per SLO or threshold check, so CI systems list each
 * failure natively. Names come from the run and are escaped; characters XML 1.0 forbids are dropped.
 */
import type { Results } from '../harness/metrics/results.js';
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

export function renderJunit(results: Results): string {
  const scenario = results.scenario.name;
  const suites = results.autoscalers.map((a) => {
    const failures = a.slo.checks.filter((c) => !c.passed).length;
    const cases = a.slo.checks.map((c) => {
      const name = xmlEscape(describeCheck(c));
      const open = `    <testcase classname="${xmlEscape(`burstlab.${scenario}.${a.name}`)}" name="${name}" time="0"`;
      if (c.passed) return `${open}/>`;
      const message = `${c.metric} was ${formatMetric(c.metric, c.actual)}, threshold ${c.op} ${formatMetric(c.metric, c.threshold)}`;
      return `${open}>\n      <failure message="${xmlEscape(message)}" type="SloViolation">${xmlEscape(message)}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xmlEscape(`${scenario} · ${a.name}`)}" tests="${a.slo.checks.length}" failures="${failures}" errors="0" skipped="0" time="0">`,
      `    <properties>`,
      ...[
        ['autoscaler', a.name],
        ['kind', a.kind],
        ['target', results.scenario.target],
        ['seed', String(results.scenario.seed)],
      ].map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v!)}"/>`),
      `    </properties>`,
      ...cases,
      `  </testsuite>`,
    ].join('\n');
  });
  const tests = results.autoscalers.reduce((n, a) => n + a.slo.checks.length, 0);
  const failures = results.autoscalers.reduce((n, a) => n + a.slo.checks.filter((c) => !c.passed).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`burstlab ${scenario}`)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
