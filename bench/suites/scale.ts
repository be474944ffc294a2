import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import type { ScaleRunMeasure } from '../scale-run.js';
import { chartTimesInChromium } from '../report-in-chromium.js';
import { summarize, type BenchSuite } from '../suite.js';

const MARKET_OPEN = 'scenarios/market-open.yaml';
const ENVELOPE = 'scenarios/market-open-5k.yaml';
const FACTORS = [1, 3, 10];
/** The 5,000-node day takes minutes on 2 cores: run it only when asked. */
const WITH_5K = process.env.BURSTLAB_BENCH_5K === '1';
const CHILD_TIMEOUT_MS = 60 * 60_000;
const PAGE_LOADS = 5;
const GOALS = { growthExponent: 1.1, envelopeSecondsPerArm: 60, envelopePeakRssGiB: 2, reportMB: 5, firstChartMs: 2_000 };

/** A number with a unit suffix, like "24000Gi", times `factor`. */
function scaleQuantity(q: string | number, factor: number): string | number {
  if (typeof q === 'number') return q * factor;
  const m = /^(\d+(?:\.\d+)?)(\D*)$/.exec(q);
  if (!m) throw new Error(`cannot scale quantity '${q}'`);
  return `${Number(m[1]) * factor}${m[2]}`;
}

/**
 * market-open.yaml with its traffic, HPA maxima, node-group maxima and NodePool limits `factor` times larger (the
 * way the issue scaled it by hand); replicas, minima and everything else as written.
 */
export function scaledMarketOpen(text: string, factor: number): string {
  const doc = parse(text) as {
    name: string;
    traffic: Array<Record<string, unknown>>;
    workloads: Array<{ hpa?: { maxReplicas: number } }>;
    cluster: { nodeGroups: Array<{ max: number }>; nodePools: Array<{ limits: { cpu: number; memory: string } }> };
  };
  doc.name = `market-open-${factor}x`;
  for (const t of doc.traffic) for (const k of ['offHours', 'preOpen', 'peak', 'plateau', 'closeSurge']) if (typeof t[k] === 'number') t[k] = t[k] * factor;
  for (const w of doc.workloads) if (w.hpa) w.hpa.maxReplicas *= factor;
  for (const g of doc.cluster.nodeGroups) g.max *= factor;
  for (const p of doc.cluster.nodePools) {
    p.limits.cpu *= factor;
    p.limits.memory = String(scaleQuantity(p.limits.memory, factor));
  }
  return stringify(doc);
}

/** Runs a scenario in a child process (dist/bench/scale-run.js) and returns what it measured. */
async function measureRun(file: string, dir: string, reports: boolean): Promise<ScaleRunMeasure> {
  const child = fileURLToPath(new URL('../scale-run.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [child, file, dir, ...(reports ? ['--reports'] : [])], {
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ScaleRunMeasure;
}

/** Least-squares slope of log(time) on log(work): k in time ~ work^k. */
export function growthExponent(points: ReadonlyArray<{ work: number; seconds: number }>): number {
  const xs = points.map((p) => Math.log(p.work));
  const ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

const seconds = (s: number): number => Math.round(s * 1000) / 1000;

function summary(m: ScaleRunMeasure): Record<string, unknown> {
  return {
    simulateSeconds: seconds(m.simulateSeconds),
    simulateCpuSeconds: seconds(m.simulateCpuSeconds),
    armSeconds: Object.fromEntries(Object.entries(m.armSeconds).map(([arm, s]) => [arm, seconds(s)])),
    wallSeconds: seconds(m.wallSeconds),
    events: m.events,
    eventsPerSecond: Math.round(m.events / m.simulateSeconds),
    podsCreated: m.podsCreated,
    peakRssMB: mb(m.peakRssBytes),
    logMB: mb(m.logBytes),
  };
}

export const scaleSuite: BenchSuite = {
  name: 'scale',
  description:
    `${MARKET_OPEN} at ${FACTORS.join('x, ')}x (traffic, HPA maxima, node-group maxima and NodePool limits multiplied)` +
    `${WITH_5K ? ` and ${ENVELOPE} (with its report.html, ${PAGE_LOADS} page loads in Chromium)` : ` (${ENVELOPE} too with BURSTLAB_BENCH_5K=1)`}, ` +
    'each once in a child process writing events.jsonl as `burstlab run` does: wall time, events/s, peak RSS (maxRSS), log size; ' +
    'the growth exponent k of time ~ events^k fitted by least squares on log-log over 1x..10x',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-bench-scale-'));
    try {
      const text = readFileSync(MARKET_OPEN, 'utf8');
      const runs: Record<string, Record<string, unknown>> = {};
      const points: Array<{ work: number; seconds: number }> = [];
      const cpuPoints: Array<{ work: number; seconds: number }> = [];
      for (const factor of FACTORS) {
        const file = join(dir, `market-open-${factor}x.yaml`);
        writeFileSync(file, scaledMarketOpen(text, factor));
        const out = join(dir, `run-${factor}x`);
        const load = loadavg()[0]!;
        const m = await measureRun(file, out, false);
        rmSync(out, { recursive: true, force: true });
        points.push({ work: m.events, seconds: m.simulateSeconds });
        cpuPoints.push({ work: m.events, seconds: m.simulateCpuSeconds });
        runs[`${factor}x`] = { ...summary(m), loadAverageBefore: Math.round(load * 10) / 10 };
        log(`${factor}x: ${m.simulateSeconds.toFixed(1)} s wall, ${m.simulateCpuSeconds.toFixed(1)} s CPU (${Object.entries(m.armSeconds).map(([a, s]) => `${a} ${s.toFixed(1)} s`).join(', ')}), ${m.events} events, peak RSS ${mb(m.peakRssBytes)} MB, log ${mb(m.logBytes)} MB`);
      }
      const k = Math.round(growthExponent(points) * 100) / 100;
      const kCpu = Math.round(growthExponent(cpuPoints) * 100) / 100;
      log(`growth exponent k = ${k} on wall time, ${kCpu} on CPU time (time ~ events^k, ${FACTORS.join('x, ')}x; goal <= ${GOALS.growthExponent})`);
      let envelope: Record<string, unknown> | null = null;
      if (WITH_5K) {
        const out = join(dir, 'run-5k');
        const load = loadavg()[0]!;
        const m = await measureRun(ENVELOPE, out, true);
        const times = await chartTimesInChromium(join(out, 'report.html'), PAGE_LOADS);
        rmSync(out, { recursive: true, force: true });
        const first = summarize(times.firstChartMs);
        envelope = { ...summary(m), loadAverageBefore: Math.round(load * 10) / 10, reportMB: mb(m.reportBytes!), firstChartMs: first, allChartsMs: summarize(times.allChartsMs) };
        log(`5k: ${m.simulateSeconds.toFixed(1)} s wall, ${m.simulateCpuSeconds.toFixed(1)} s CPU (${Object.entries(m.armSeconds).map(([a, s]) => `${a} ${s.toFixed(1)} s`).join(', ')}), ${m.events} events, peak RSS ${mb(m.peakRssBytes)} MB, log ${mb(m.logBytes)} MB, report ${mb(m.reportBytes!)} MB, first chart median ${first.median} ms`);
      }
      return { goals: GOALS, growthExponent: k, growthExponentCpu: kCpu, runs, envelope };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
