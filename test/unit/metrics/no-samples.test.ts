/**
 * A stuck arm's other numbers must not flatter it: a node never Ready counts in node launch latency with its wait,
 * and a quantile over no samples, or a ratio over a zero bound, is n/a: never 0, never a win.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Results } from '../../../harness/metrics/results.js';
import { PLAIN as plain } from '../../../harness/runner/colour.js';
import { comparisonTable } from '../../../harness/runner/table.js';
import { verdictLine } from '../../../harness/runner/verdict-line.js';
import { keyMetrics } from '../../../reports/model/key-metrics.js';
import { readRunDir } from '../../../reports/run-dir.js';
import { log, runOf } from '../../support/event-log.js';
import type { Fixture } from '../../support/report-fixture.js';
import { saveRunDir } from '../../support/report-run-dir.js';
import { arm } from '../../support/scenarios.js';

const CA = 'cluster-autoscaler';
const K = 'karpenter';

/**
 * cluster-autoscaler launches two nodes that never become Ready (one terminated at 30 min, one still booting at the
 * end) and its pod is given up; karpenter's node is Ready 40 s after its launch request and its pod runs on it.
 */
function stuckRun(): Fixture {
  const stuck = log(CA, 'cluster-autoscaler')
    .pod('web-1', 'web', 30)
    .unschedulable('web-1', 30)
    .node('ng-1', 60, { readyAt: null })
    .node('ng-2', 120, { readyAt: null })
    .deleted('web-1', 1_500)
    .terminated('ng-1', 1_800)
    .end(3_600);
  const fast = log(K)
    .pod('web-1', 'web', 30)
    .unschedulable('web-1', 30)
    .node('k-1', 45, { readyAt: 85 })
    .scheduled('web-1', 'k-1', 85)
    .ready('web-1', 95)
    .end(3_600);
  return runOf([...stuck, ...fast]);
}

const stuckAgainstFast = (): Results => stuckRun().results;
const compared = (r: Results, metric: string): Results['comparison']['metrics'][number] | undefined => r.comparison.metrics.find((m) => m.metric === metric);
const tableLine = (r: Results, label: string): string => comparisonTable(r).split('\n').find((l) => l.startsWith(label))!;

describe('node launch latency', () => {
  it('counts a node never Ready with its wait until it was terminated or the run ended', () => {
    const launch = arm(stuckAgainstFast(), CA).nodeLaunchLatency;
    expect(launch).toMatchObject({ count: 2, p50: 1_740, max: 3_480 });
  });

  it('makes the arm whose nodes came up win, not the one whose nodes never did', () => {
    expect(compared(stuckAgainstFast(), 'nodeLaunchLatency.p50')).toMatchObject({ values: { [CA]: 1_740, [K]: 40 }, winner: K });
  });
});

describe('a quantile over no samples', () => {
  it('is null in the comparison and wins nothing', () => {
    const r = stuckAgainstFast();
    expect(arm(r, CA).decisionLatency.count).toBe(0);
    expect(compared(r, 'decisionLatency.p99')).toMatchObject({ values: { [CA]: null, [K]: 15 }, winner: null });
  });

  it('shows as n/a without a star in the run table', () => {
    expect(tableLine(stuckAgainstFast(), 'decision latency p99')).toMatch(/^decision latency p99\s+–\s+15\.0 s\s*$/);
  });

  it('shows as n/a and is nobody\'s best in the report table', () => {
    const r = stuckAgainstFast();
    const row = keyMetrics(r.autoscalers, r.comparison.metrics).find((m) => m.key === 'decisionLatency.p99')!;
    expect(row.formatted[0]).toBe('–');
    expect(row.best).toEqual([false, false]);
  });
});

describe('cost over a lower bound of zero', () => {
  it('has no ratio in results.json rather than 0', () => {
    const cost = arm(stuckAgainstFast(), CA).cost;
    expect(cost.totalUSD).toBeGreaterThan(0);
    expect(cost.lowerBoundUSD).toBe(0);
    expect(cost.ratioToLowerBound).toBeNull();
  });

  it('wins no comparison and shows as n/a without a star in the run table', () => {
    const r = stuckAgainstFast();
    expect(compared(r, 'cost.ratioToLowerBound')).toMatchObject({ values: { [CA]: null }, winner: null });
    expect(tableLine(r, 'cost / lower bound')).toMatch(/^cost \/ lower bound\s+–\s+\d+\.\d\dx\s*$/);
  });
});

describe('an SLO on a metric with no value', () => {
  const judged = (): Results => runOf([...stuckRun().events], [{ metric: 'cost.ratioToLowerBound', op: '<=', threshold: 2 }]).results;

  it('fails, with no value as its actual, instead of stopping the run', () => {
    expect(arm(judged(), CA).slo).toMatchObject({ passed: false, checks: [{ metric: 'cost.ratioToLowerBound', actual: null, passed: false }] });
  });

  it('fails a latency SLO of an arm that measured no samples of it, though its summary says 0', () => {
    const r = runOf([...stuckRun().events], [{ metric: 'decisionLatency.p99', op: '<=', threshold: 60 }]).results;
    expect(arm(r, CA).decisionLatency.p99).toBe(0);
    expect(arm(r, CA).slo.checks[0]).toMatchObject({ actual: null, passed: false });
    expect(arm(r, K).slo.checks[0]).toMatchObject({ actual: 15, passed: true });
  });

  it('says in the verdict line that the metric has no value', () => {
    expect(verdictLine(judged(), plain)).toContain('cost.ratioToLowerBound has no value (needs <= ');
  });
});

describe('a run directory with metrics that have no value', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back with its nulls and the definitions of the latencies', async () => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-no-samples-'));
    saveRunDir(dir, stuckRun());
    const saved = await readRunDir(dir);
    expect(arm(saved.results, CA).cost.ratioToLowerBound).toBeNull();
    expect(compared(saved.results, 'decisionLatency.p99')?.values[CA]).toBeNull();
    expect(saved.results.definitions.nodeLaunchLatency).toMatch(/never Ready counts with its wait/);
  });
});
