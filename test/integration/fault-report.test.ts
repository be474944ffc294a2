import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeScenario } from '../../harness/runner/execute.js';
import type { Results } from '../../harness/metrics/results.js';
import { worstFault } from '../../harness/metrics/fault-impact.js';
import { parseScenario } from '../../scenarios/load.js';
import { renderJunit } from '../../reports/junit.js';

let results: Results;

beforeAll(async () => {
  // The shipped scenario with its wave's SLO tightened below any boot time, so the check must fail.
  const text = readFileSync('scenarios/spot-interruption.yaml', 'utf8').replace('{ metric: recovery.p99, max: 5m }', '{ metric: recovery.p99, max: 1s }');
  ({ results } = await executeScenario(parseScenario(text, 'spot-interruption.yaml')));
}, 120_000);

describe('the impact of a fault in results and JUnit', () => {
  it('writes a JUnit test case per fault SLO per arm, failing where the recovery missed it', () => {
    const xml = renderJunit(results);
    for (const a of results.autoscalers) {
      const f = a.faults![0]!;
      expect(f.slo!.passed).toBe(false);
      expect(a.slo.passed).toBe(false);
    }
    expect(xml.match(/<testcase [^>]*name="faults\[0\] spot-interruption at 600 s: recovery.p99 &lt;= 1 s" time="0">\n\s*<failure/g)).toHaveLength(2);
  });

  it('measures recovery from the injection to the replacement being Ready', () => {
    for (const a of results.autoscalers) {
      const f = a.faults![0]!;
      expect(f.pods.recovered + f.pods.unrecovered + f.pods.notReplaced).toBe(f.pods.displaced);
      expect(f.impactWindow.endS).toBeGreaterThanOrEqual(f.atS + f.recovery.max);
    }
  });

  it('names the fault with the most SLO minutes in violation as the worst', () => {
    const faults = results.autoscalers[0]!.faults!;
    const quiet = { ...faults[0]!, id: 'faults[9]', sloMinutesInViolation: 0, requests: { ...faults[0]!.requests, failed: 0 } };
    const loud = { ...faults[0]!, id: 'faults[8]', sloMinutesInViolation: 7 };
    expect(worstFault([quiet, loud])!.id).toBe('faults[8]');
    expect(worstFault([])).toBeNull();
  });
});
