/**
 * The report's data model: one pure function of (results, events, meta). Every output format renders from it, so
 * the HTML, Markdown and JUnit files never disagree, and nothing here reads the clock or the disk.
 */
import type { AutoscalerResult, Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { epochOffsetMinutes, formatClock, formatOffset } from '../format.js';
import { armColor, chartData, type ChartData } from './charts.js';
import { agreementModel, type Agreement } from './agreement.js';
import { disruptionModel, type DisruptionModel } from './disruption.js';
import { faultMarkers, type FaultMarker } from './faults.js';
import { keyMetrics, type MetricRow } from './key-metrics.js';
import { armLatencies, cdf, histogram, type ArmLatencies, type Cdf } from './latency.js';
import { buildTimelines, DEFAULT_BUCKETS, eventsByArm, timelineLayout, type ArmEvents, type Peak } from './timeline.js';
import { verdict, type Verdict } from './verdict.js';

export interface ReportModel {
  results: Results;
  meta: RunMeta;
  arms: Array<{ name: string; kind: string; color: string }>;
  /** The instant t = 0 stands for, as the log recorded it; the report's clock times use its UTC offset. */
  epoch: string;
  zone: string;
  clock(tS: number): string;
  verdict: Verdict;
  metrics: MetricRow[];
  faults: FaultMarker[];
  charts: ChartData;
  /** Null when no arm's log holds a disruption fact. */
  disruption: DisruptionModel | null;
  /** burstlab's Karpenter model against the real one; null unless the run has a karpenter and a karpenter-upstream arm. */
  agreement: Agreement | null;
}

/** Runs shorter than this show everything at a readable grain already; longer ones get a close-up of the peak. */
const FOCUS_MIN_RUN_S = 4 * 3600;
const FOCUS_BEFORE_S = 15 * 60;
const FOCUS_AFTER_S = 30 * 60;
const FOCUS_BUCKETS = 360;

/** The 45 minutes around the largest backlog of pending pods in any arm. */
function worstMoment(peaks: Peak[], durationS: number): { startS: number; endS: number } | null {
  if (durationS < FOCUS_MIN_RUN_S || peaks.length === 0) return null;
  const worst = peaks.reduce((a, b) => (b.value > a.value ? b : a));
  if (worst.value === 0) return null;
  const startS = Math.max(0, worst.atS - FOCUS_BEFORE_S);
  return { startS, endS: Math.min(durationS, startS + FOCUS_BEFORE_S + FOCUS_AFTER_S) };
}

export interface ModelOptions {
  /** Buckets for the time charts (two points each). */
  buckets?: number;
}

/** `events`: the whole log, or each arm's events (ArmEvents: the log read back one arm at a time, arms in results order). */
export function buildReportModel(results: Results, events: readonly RunEvent[] | ArmEvents, meta: RunMeta, options: ModelOptions = {}): ReportModel {
  const names = results.autoscalers.map((a) => a.name);
  const byArm: ArmEvents = isLog(events) ? eventsByArm(events, names) : events;
  // One pass for what needs every arm's events but little memory: the epoch, the latencies, the fault markers and
  // the charts' layout; then one pass per time chart set.
  let started: RunEvent | undefined;
  const latencyOf = new Map<string, ArmLatencies>();
  const chaos: RunEvent[] = [];
  const launches: Array<readonly [string, RunEvent[]]> = [];
  const launchesOf = new Map<string, RunEvent[]>();
  const decisions = new Map<string, RunEvent[]>();
  for (const [arm, list] of byArm) {
    started ??= list.find((e) => e.type === 'run.started');
    latencyOf.set(arm, armLatencies(list));
    for (const e of list) if (e.type === 'chaos.injected') chaos.push(e);
    const launched = list.filter((e) => e.type === 'node.launched');
    launches.push([arm, launched]);
    launchesOf.set(arm, launched);
    decisions.set(arm, list.filter((e) => e.type === 'disruption.decided'));
  }
  const layout = timelineLayout(launches);
  const epoch = started?.type === 'run.started' ? started.epoch : meta.startedAt;
  const epochMs = Number.isFinite(Date.parse(epoch)) ? Date.parse(epoch) : 0;
  const offset = epochOffsetMinutes(epoch);
  const zone = formatOffset(offset);
  const clock = (tS: number): string => formatClock(epochMs, offset, tS);

  const durationS = results.scenario.durationS;
  const timelines = buildTimelines(byArm, durationS, options.buckets ?? DEFAULT_BUCKETS, undefined, layout);
  const focusWindow = worstMoment(timelines.arms.map((a) => a.peaks.pendingPods), durationS);
  const focus = focusWindow && buildTimelines(byArm, durationS, FOCUS_BUCKETS, focusWindow, layout);
  const latencies = names.map((n) => latencyOf.get(n) ?? { podToReady: [], nodeLaunch: [] });
  const cdfs = (pick: (i: number) => number[]): Record<string, Cdf> => Object.fromEntries(names.map((n, i) => [n, cdf(pick(i))]));
  const faults = faultMarkers(chaos, names).map((f) => {
    const windows = results.autoscalers.flatMap((a) => (a.faults ?? []).filter((x) => x.atS === f.tS && x.fault === f.fault).map((x) => x.impactWindow.endS));
    return windows.length ? { ...f, untilS: windows.reduce((a, b) => Math.max(a, b), -Infinity) } : f;
  });
  const charts = chartData({
    arms: names,
    timelines,
    ...(focus ? { focus } : {}),
    podToReady: cdfs((i) => latencies[i]!.podToReady),
    podToReadyHistogram: histogram(Object.fromEntries(names.map((n, i) => [n, latencies[i]!.podToReady]))),
    nodeLaunch: cdfs((i) => latencies[i]!.nodeLaunch),
    faults,
    // A single phase spanning the run says nothing a band or a label could show.
    phases: results.phases.filter((p) => p.endS - p.startS < durationS),
    shiftS: epochMs / 1000 + offset * 60,
    zone,
  });
  const disruption = disruptionModel(results.autoscalers, decisions, timelines.x);
  if (disruption) {
    for (const chart of disruption.charts) charts.charts.push(chart);
    if (disruption.markers.length) charts.disruptions = disruption.markers;
  }
  return {
    results,
    meta,
    arms: results.autoscalers.map((a: AutoscalerResult, i) => ({ name: a.name, kind: a.kind, color: armColor(i) })),
    epoch,
    zone,
    clock,
    verdict: verdict(results.autoscalers, { peakPending: Object.fromEntries(timelines.arms.map((a) => [a.arm, a.peaks.pendingPods])), clock }),
    metrics: keyMetrics(results.autoscalers, results.comparison.metrics),
    faults,
    charts,
    disruption,
    agreement: agreementModel(results.autoscalers, launchesOf),
  };
}

function isLog(events: readonly RunEvent[] | ArmEvents): events is readonly RunEvent[] {
  return Array.isArray(events);
}
