/** junit.xml of a multi-seed run: one testcase per SLO check, judged on the median of the seeds. */
import type { SeedsResults } from '../../harness/metrics/aggregate.js';
import { describeCheck, formatMetric } from '../format.js';
import { xmlEscape } from '../junit.js';

export function renderSeedsJunit(r: SeedsResults): string {
  const scenario = r.scenario.name;
  const n = r.scenario.seeds.length;
  const suites = r.autoscalers.map((a) => {
    const cases = a.slo.checks.map((c) => {
      const name = xmlEscape(`${describeCheck({ ...c, actual: c.actual.median })} (median of ${n} seeds)`);
      const open = `    <testcase classname="${xmlEscape(`burstlab.${scenario}.${a.name}`)}" name="${name}" time="0"`;
      if (c.passed) return `${open}/>`;
      const f = (v: number): string => formatMetric(c.metric, v);
      const message = `${c.metric} median ${f(c.actual.median)} [${f(c.actual.min)}–${f(c.actual.max)}], threshold ${c.op} ${f(c.threshold)}; failed on ${c.seedsFailed} of ${n} seeds`;
      return `${open}>\n      <failure message="${xmlEscape(message)}" type="SloViolation">${xmlEscape(message)}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xmlEscape(`${scenario} · ${a.name}`)}" tests="${a.slo.checks.length}" failures="${a.slo.checks.filter((c) => !c.passed).length}" errors="0" skipped="0" time="0">`,
      `    <properties>`,
      ...[
        ['autoscaler', a.name],
        ['kind', a.kind],
        ['target', r.scenario.target],
        ['seeds', r.scenario.seeds.join(',')],
        ['slo-rule', r.sloRule],
      ].map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v!)}"/>`),
      `    </properties>`,
      ...cases,
      `  </testsuite>`,
    ].join('\n');
  });
  const tests = r.autoscalers.reduce((s, a) => s + a.slo.checks.length, 0);
  const failures = r.autoscalers.reduce((s, a) => s + a.slo.checks.filter((c) => !c.passed).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(`burstlab ${scenario}`)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
