/** junit.xml of a multi-seed run: one testcase per SLO check, judged on the median of the seeds. */
import type { SeedsResults } from '../../harness/metrics/aggregate.js';
import { describeCheck, formatMetric } from '../format.js';
import { junitXml } from '../junit.js';

export function renderSeedsJunit(r: SeedsResults): string {
  const n = r.scenario.seeds.length;
  return junitXml(
    r.scenario.name,
    r.autoscalers.map((a) => ({
      arm: a.name,
      properties: [
        ['autoscaler', a.name],
        ['kind', a.kind],
        ['target', r.scenario.target],
        ['seeds', r.scenario.seeds.join(',')],
        ['slo-rule', r.sloRule],
      ],
      cases: a.slo.checks.map((c) => {
        const f = (v: number): string => formatMetric(c.metric, v);
        const name = `${describeCheck(c)} (median of ${n} seeds)`;
        if (c.passed) return { name };
        const measured = c.actual === null ? 'has no value on any seed' : `median ${f(c.actual.median)} [${f(c.actual.min)}–${f(c.actual.max)}]`;
        return { name, failure: `${c.metric} ${measured}, threshold ${c.op} ${f(c.threshold)}; failed on ${c.seedsFailed} of ${n} seeds` };
      }),
    })),
  );
}
