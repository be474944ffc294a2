import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { renderReports } from '../../reports/index.js';
import { simRun } from '../../test/support/report-runs.js';
import { chartTimesInChromium } from '../report-in-chromium.js';
import { summarize, type BenchSuite } from '../suite.js';

const SCENARIO = 'scenarios/market-open.yaml';
const RENDERS = 5;
const PAGE_LOADS = 10;
const GOALS = { sizeMB: 5, firstChartMs: 2_000 };

/** The most pods that existed at once in each arm: the "at least 5,000 pods" the goal is stated for. */
function peakPods(events: readonly RunEvent[]): Record<string, number> {
  const live: Record<string, number> = {};
  const peak: Record<string, number> = {};
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    if (e.type !== 'pod.created' && e.type !== 'pod.deleted') continue;
    live[e.autoscaler] = (live[e.autoscaler] ?? 0) + (e.type === 'pod.created' ? 1 : -1);
    peak[e.autoscaler] = Math.max(peak[e.autoscaler] ?? 0, live[e.autoscaler]!);
  }
  return peak;
}

export const reportSuite: BenchSuite = {
  name: 'report',
  description:
    `report.html of a real 24-hour sim run of ${SCENARIO}: its size, the time to render it in Node (${RENDERS} renders), ` +
    `and the time to first chart and to all charts in headless Chromium over ${PAGE_LOADS} fresh page loads from file://. ` +
    `Goals: under ${GOALS.sizeMB} MB, first chart under ${GOALS.firstChartMs / 1000} s.`,
  async run(log) {
    log(`simulating ${SCENARIO}`);
    const run = await simRun(SCENARIO);
    const renderMs: number[] = [];
    let html = '';
    for (let i = 0; i < RENDERS; i++) {
      const t0 = performance.now();
      html = renderReports(run.results, run.events, run.meta).html;
      renderMs.push(performance.now() - t0);
    }
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-bench-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const sizeBytes = statSync(file).size;
    log(`report.html ${(sizeBytes / 2 ** 20).toFixed(2)} MB from ${run.events.length} events`);

    let times;
    try {
      times = await chartTimesInChromium(file, PAGE_LOADS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { firstChartMs, allChartsMs } = times;
    const first = summarize(firstChartMs);
    log(`first chart median ${first.median} ms, all charts median ${summarize(allChartsMs).median} ms`);
    return {
      input: {
        scenario: SCENARIO,
        durationS: run.results.scenario.durationS,
        seed: run.results.scenario.seed,
        events: run.events.length,
        podsCreated: run.events.filter((e) => e.type === 'pod.created').length,
        peakPods: peakPods(run.events),
      },
      goals: GOALS,
      sizeBytes,
      sizeMB: Math.round((sizeBytes / 2 ** 20) * 1000) / 1000,
      renderMs: summarize(renderMs),
      firstChartMs: first,
      allChartsMs: summarize(allChartsMs),
      meetsGoals: { size: sizeBytes / 2 ** 20 < GOALS.sizeMB, firstChart: first.max < GOALS.firstChartMs },
    };
  },
};
