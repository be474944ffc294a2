/**
 * Three-arm runs for the report's agreement section (a karpenter and a karpenter-upstream arm) without a live
 * cluster: real simulator runs whose second Karpenter-like arm has its kind set to karpenter-upstream in results and
 * log. The report reads only the kind, so the section is tested on real figures; `burstlab run --target kwok` with
 * a karpenter-upstream arm is what produces it for real.
 * - agreeing: quickstart with a second Karpenter-model arm that batches for 3 s / 30 s (same choices, later);
 * - differing: kwok-burst with its Cluster Autoscaler arm as the "upstream" (an m5.4xlarge group against the
 *   model's free choice: other types, other counts, other costs).
 */
import { join } from 'node:path';
import type { Results } from '../../harness/metrics/results.js';
import { executeScenario } from '../../harness/runner/execute.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { writeReports } from '../../reports/index.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { loadScenario } from '../../scenarios/load.js';
import type { ReportRun } from './report-runs.js';

export const UPSTREAM_ARM = 'karpenter-upstream';

async function relabelledRun(file: string, arms: (s: Scenario) => Scenario['autoscalers'], upstream: string): Promise<{ results: Results; events: RunEvent[]; meta: RunMeta }> {
  const scenario = await loadScenario(join(import.meta.dirname, '..', '..', file));
  const { results, events } = await executeScenario({ ...scenario, autoscalers: arms(scenario) });
  const relabelled: Results = { ...results, autoscalers: results.autoscalers.map((a) => (a.name === upstream ? { ...a, kind: 'karpenter-upstream' } : a)) };
  const log = events.map((e) => (e.type === 'run.started' && e.autoscaler === upstream ? { ...e, kind: 'karpenter-upstream' } : e));
  const meta: RunMeta = {
    schema: 'burstlab/run/v1',
    startedAt: '2026-11-21T02:00:00.000Z',
    finishedAt: '2026-11-21T02:00:05.000Z',
    burstlabVersion: '0.1.0',
    nodeVersion: process.version,
    target: 'sim',
    scenarioFile: file,
    argv: ['run', file],
    components: {},
    armComponents: { [upstream]: { [`karpenter (arm ${upstream})`]: 'v1.14.3', [`karpenter (arm ${upstream}) settings`]: 'BATCH_IDLE_DURATION=3000ms BATCH_MAX_DURATION=30000ms' } },
  };
  return { results: relabelled, events: log, meta };
}

async function report(dir: string, run: { results: Results; events: RunEvent[]; meta: RunMeta }, source: string): Promise<ReportRun> {
  await writeReports(dir, run.results, run.events, run.meta);
  return { dir, html: join(dir, 'report.html'), results: run.results, source };
}

export async function agreeingPeerReport(dir: string): Promise<ReportRun> {
  const run = await relabelledRun(
    'scenarios/quickstart.yaml',
    (s) => {
      const karpenter = s.autoscalers.find((a) => a.kind === 'karpenter')!;
      return [...s.autoscalers, { ...karpenter, name: UPSTREAM_ARM, batchIdleDuration: 3_000, batchMaxDuration: 30_000 }];
    },
    UPSTREAM_ARM,
  );
  return report(dir, run, 'sim run of quickstart with a second Karpenter-model arm (3 s / 30 s batches) labelled karpenter-upstream');
}

export async function differingPeerReport(dir: string): Promise<ReportRun> {
  const run = await relabelledRun('scenarios/kwok-burst.yaml', (s) => s.autoscalers.map((a) => (a.kind === 'cluster-autoscaler' ? { ...a, name: UPSTREAM_ARM } : a)), UPSTREAM_ARM);
  return report(dir, run, 'sim run of kwok-burst with its Cluster Autoscaler arm labelled karpenter-upstream');
}
