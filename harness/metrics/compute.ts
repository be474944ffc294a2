import type { RunEvent, RecordedTarget, TrafficSample } from '../../provisioner/runtime/events.js';
import type { LowerBound } from './lower-bound.js';
import { costAtOnDemand, type OnDemandPrice } from './on-demand-cost.js';
import { DEFINITIONS } from './definitions.js';
import { disruptionImpact } from './disruption.js';
import { faultImpacts, type FaultSloThreshold } from './fault-impact.js';
import { podToReadyOf, podWaitsOf } from './pod-latency.js';
import { dominantPhaseOf, measuredPods, outcomeOf, splitOf, timelines, type NodeTimeline, type PodTimeline } from './pod-timeline.js';
import { quantilesOfMs, round } from './quantiles.js';
import { minutesInViolation, requestTotals } from './requests.js';
import {
  RESULTS_SCHEMA,
  type AutoscalerResult,
  type Comparison,
  type PhaseMetrics,
  type PodCounts,
  type Results,
  type SloCheck,
  type SlowPod,
} from './results.js';

export interface SloThreshold {
  metric: string;
  op: '<=' | '>=';
  threshold: number;
}

/** What metrics need besides the log: the scenario's frame, thresholds and the pricing data for the lower bound. */
export interface MetricsContext {
  scenario: { name: string; description: string; durationS: number; seed: number; target: RecordedTarget };
  phases: Array<{ name: string; startS: number; endS: number }>;
  slo: SloThreshold[];
  /** Per arm name: the cover over the offerings that arm may launch. */
  lowerBounds: Readonly<Record<string, LowerBound>>;
  /** For cost.atOnDemandUSD: the list price a Spot or reserved node's type would have had on-demand. */
  onDemandPrice: OnDemandPrice;
  pricing: Results['pricing'];
  warnings: Results['warnings'];
  /** Each fault's own SLOs, by its index in the scenario's `faults` (an injection `faults[i]#n` has those of `faults[i]`). */
  faultSlo?: Readonly<Record<number, readonly FaultSloThreshold[]>>;
}

const HOUR_MS = 3_600_000;
const SLOWEST = 10;
const UNSATISFIABLE_LISTED = 100;

/** results.json from an event log: one entry per autoscaler arm found in the log, in order of appearance. */
export function computeResults(events: readonly RunEvent[], ctx: MetricsContext): Results {
  const arms: Array<{ name: string; kind: string }> = [];
  for (const e of events) if (e.type === 'run.started') arms.push({ name: e.autoscaler, kind: e.kind });
  return assemble(arms.map((a) => armResult(events, a.name, a.kind, ctx)), ctx);
}

/**
 * The same results.json from one arm's events at a time, each list an arm's whole log in order (as armLogs reads
 * it back from disk), so that no more than one arm's history is in memory.
 */
export function computeResultsByArm(armLogs: Iterable<readonly RunEvent[]>, ctx: MetricsContext): Results {
  const autoscalers: AutoscalerResult[] = [];
  for (const events of armLogs) {
    for (const e of events) if (e.type === 'run.started') autoscalers.push(armResult(events, e.autoscaler, e.kind, ctx));
  }
  return assemble(autoscalers, ctx);
}

function assemble(autoscalers: AutoscalerResult[], ctx: MetricsContext): Results {
  return {
    schema: RESULTS_SCHEMA,
    scenario: ctx.scenario,
    phases: ctx.phases,
    pricing: ctx.pricing,
    definitions: DEFINITIONS,
    warnings: ctx.warnings,
    autoscalers,
    comparison: compare(autoscalers),
  };
}

function armResult(all: readonly RunEvent[], name: string, kind: string, ctx: MetricsContext): AutoscalerResult {
  const events = all.filter((e) => e.autoscaler === name);
  const end = events.find((e) => e.type === 'run.finished')?.t ?? events[events.length - 1]?.t ?? 0;
  const { pods, nodes } = timelines(events, name);
  const measured = measuredPods(events, name, pods);
  const launchedNodes = [...nodes.values()].filter((n) => !n.initial);
  const samples = events.filter((e): e is TrafficSample => e.type === 'traffic.sample');

  const decision: number[] = [];
  for (const p of measured) {
    if (p.unschedulable === null || p.node === null) continue;
    const n = nodes.get(p.node);
    if (n && !n.initial && n.launched >= p.unschedulable) decision.push(n.launched - p.unschedulable);
  }
  // A node never Ready counts with its wait until it was terminated or the run ended, so a stuck launch cannot vanish.
  const launch = launchedNodes.map((n) => Math.max(0, (n.ready ?? Math.min(n.terminated ?? end, end)) - n.launched));

  const cost = costOf([...nodes.values()], end);
  const atOnDemand = costAtOnDemand([...nodes.values()], end, ctx.onDemandPrice);
  const bound = ctx.lowerBounds[name];
  if (!bound) throw new Error(`no cost lower bound given for autoscaler ${name}`);
  const lowerBoundUSD = integrateLowerBound(runningDemandSeries(pods.values(), nodes, end), end, bound);
  const requests = requestTotals(samples);
  const sloWindow = {
    minSuccessRate: ctx.slo.find((s) => s.metric === 'requests.successRate')?.threshold,
    maxLatencyMs: ctx.slo.find((s) => s.metric === 'requests.latencyP95Ms')?.threshold,
  };
  // Without a request SLO nothing defines a violation: the metric is absent rather than a made-up count.
  const requestSlo = ctx.slo.some((s) => s.metric.startsWith('requests.') || s.metric === 'sloMinutesInViolation');
  const nodeCounts = countSeries(events, end);

  const result: Omit<AutoscalerResult, 'slo'> = {
    name,
    kind,
    podToReady: podToReadyOf(measured, nodes, end),
    decisionLatency: quantilesOfMs(decision),
    nodeLaunchLatency: quantilesOfMs(launch),
    nodes: { peak: nodeCounts.peakNodes, average: round(nodeCounts.averageNodes, 2), launched: launchedNodes.length, terminated: [...nodes.values()].filter((n) => n.terminated !== null).length },
    nodeHours: cost.nodeHours,
    instanceTypes: cost.instanceTypes,
    cost: {
      totalUSD: round(cost.total, 2),
      byCapacityType: cost.byCapacityType,
      atOnDemandUSD: atOnDemand === null ? null : round(atOnDemand, 2),
      lowerBoundUSD: round(lowerBoundUSD, 2),
      ratioToLowerBound: ratioToLowerBound(cost.total, lowerBoundUSD),
      per1kRequestsUSD: requests.total > 0 ? round((cost.total / requests.total) * 1000, 5) : 0,
      idleShare: round(idleShare([...pods.values()], [...nodes.values()], end), 4),
    },
    podMinutesPending: round(measured.reduce((sum, p) => sum + pendingMs(p, end), 0) / 60_000, 2),
    pods: { ...podCounts(measured), ...podWaitsOf(measured, nodes, end) },
    requests,
    sloMinutesInViolation: requestSlo ? minutesInViolation(samples, sloWindow) : null,
    phases: ctx.phases.map((ph) => phaseMetrics(ph, measured, nodes, samples, nodeCounts, end)),
    slowestPods: slowest(measured, nodes, end),
    unsatisfiable: unsatisfiable(events),
    disruption: disruptionImpact(events, end),
  };
  if (events.some((e) => e.type === 'chaos.planned')) {
    const faultSlo = (id: string): readonly FaultSloThreshold[] => ctx.faultSlo?.[Number(/^faults\[(\d+)\]/.exec(id)?.[1])] ?? [];
    result.faults = faultImpacts(events, pods, nodes, measured, end, requestSlo ? sloWindow : null, faultSlo);
  }
  const checks = ctx.slo.map((s) => check(s, result));
  // A fault's own SLOs are part of the arm's verdict: a run that breaks one failed.
  const faultsPassed = (result.faults ?? []).every((f) => f.slo?.passed !== false);
  return { ...result, slo: { passed: checks.every((c) => c.passed) && faultsPassed, checks } };
}

/**
 * Cost over its lower bound; null when the bound is 0 (no pod ran on a node this arm paid for), where no ratio
 * exists: a made-up 0 would read as the best possible ratio.
 */
export function ratioToLowerBound(costUSD: number, lowerBoundUSD: number): number | null {
  return lowerBoundUSD > 0 ? round(costUSD / lowerBoundUSD, 3) : null;
}

/** Each pod in exactly one bucket, so created = ready + neverReady + abandoned. */
export function podCounts(pods: readonly PodTimeline[]): PodCounts {
  const counts: PodCounts = { created: pods.length, ready: 0, neverReady: 0, abandoned: 0 };
  for (const p of pods) {
    const o = outcomeOf(p);
    if (o === 'ready') counts.ready++;
    else if (o === 'abandoned') counts.abandoned++;
    else counts.neverReady++;
  }
  return counts;
}

function pendingMs(p: PodTimeline, end: number): number {
  const until = p.scheduled ?? p.deleted ?? end;
  return Math.max(0, until - p.created);
}

function costOf(nodes: readonly NodeTimeline[], end: number): {
  total: number;
  byCapacityType: Record<string, number>;
  nodeHours: Record<string, number>;
  instanceTypes: Record<string, number>;
} {
  const byCapacityType: Record<string, number> = {};
  const nodeHours: Record<string, number> = {};
  const instanceTypes: Record<string, number> = {};
  let total = 0;
  for (const n of [...nodes].sort((a, b) => (a.node < b.node ? -1 : 1))) {
    const hours = (Math.min(n.terminated ?? end, end) - n.launched) / HOUR_MS;
    const dollars = hours * n.pricePerHour;
    total += dollars;
    byCapacityType[n.capacityType] = (byCapacityType[n.capacityType] ?? 0) + dollars;
    nodeHours[n.capacityType] = (nodeHours[n.capacityType] ?? 0) + hours;
    instanceTypes[n.instanceType] = (instanceTypes[n.instanceType] ?? 0) + 1;
  }
  for (const k of Object.keys(byCapacityType)) byCapacityType[k] = round(byCapacityType[k]!, 2);
  for (const k of Object.keys(nodeHours)) nodeHours[k] = round(nodeHours[k]!, 3);
  return { total, byCapacityType, nodeHours, instanceTypes: sortKeys(instanceTypes) };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Requested CPU and memory of the pods running on nodes, as a step function: each pod from its binding until its
 * deletion, clipped to its node's paid life. Every such pod sits on a node the arm paid for, so covering this
 * demand can never cost more than the arm did.
 */
export function runningDemandSeries(
  pods: Iterable<PodTimeline>,
  nodes: ReadonlyMap<string, NodeTimeline>,
  end: number,
): Array<{ t: number; cpu: number; memory: number }> {
  const deltas: Array<{ t: number; cpu: number; memory: number }> = [];
  for (const p of pods) {
    const n = p.scheduled === null || p.node === null ? undefined : nodes.get(p.node);
    // A pod on a node the log never launched is on nothing the arm paid for: it cannot count against its cost.
    if (!n) continue;
    const from = Math.max(p.scheduled!, n.launched);
    const until = Math.min(p.deleted ?? end, n.terminated ?? end, end);
    if (until <= from) continue;
    deltas.push({ t: from, cpu: p.cpuMilli, memory: p.memoryMiB }, { t: until, cpu: -p.cpuMilli, memory: -p.memoryMiB });
  }
  deltas.sort((a, b) => a.t - b.t);
  const out: Array<{ t: number; cpu: number; memory: number }> = [];
  let cpu = 0;
  let memory = 0;
  for (const d of deltas) {
    cpu += d.cpu;
    memory += d.memory;
    const last = out[out.length - 1];
    if (last && last.t === d.t) {
      last.cpu = cpu;
      last.memory = memory;
    } else out.push({ t: d.t, cpu, memory });
  }
  return out;
}

/** Dollars of the cheapest cover of a demand step function up to `end`. */
export function integrateLowerBound(series: ReadonlyArray<{ t: number; cpu: number; memory: number }>, end: number, bound: LowerBound): number {
  let dollars = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    const until = Math.min(series[i + 1]?.t ?? end, end);
    if (until > s.t) dollars += (bound.costPerHour(s.cpu, s.memory) * (until - s.t)) / HOUR_MS;
  }
  return dollars;
}

/** Share of paid allocatable CPU, over each node's paid life, that no bound pod requested. */
export function idleShare(pods: readonly PodTimeline[], nodes: readonly NodeTimeline[], end: number): number {
  let paid = 0;
  for (const n of nodes) paid += n.allocatableCpuMilli * (Math.min(n.terminated ?? end, end) - n.launched);
  let used = 0;
  for (const p of pods) if (p.scheduled !== null) used += p.cpuMilli * (Math.min(p.deleted ?? end, end) - p.scheduled);
  return paid > 0 ? Math.max(0, 1 - used / paid) : 0;
}

interface CountSeries {
  peakNodes: number;
  averageNodes: number;
  /** Sorted change points of alive nodes and pending pods. */
  points: Array<{ t: number; nodes: number; pending: number }>;
}

function countSeries(events: readonly RunEvent[], end: number): CountSeries {
  let nodes = 0;
  let pending = 0;
  const pendingPods = new Set<string>();
  const alive = new Set<string>();
  const points: CountSeries['points'] = [];
  let peakNodes = 0;
  let area = 0;
  let lastT = 0;
  for (const e of events) {
    area += nodes * (e.t - lastT);
    lastT = e.t;
    switch (e.type) {
      case 'node.launched':
        alive.add(e.node);
        break;
      case 'node.terminated':
        alive.delete(e.node);
        break;
      case 'pod.created':
        if (!e.initial) pendingPods.add(e.pod);
        break;
      case 'pod.scheduled':
      case 'pod.deleted':
        pendingPods.delete(e.pod);
        break;
      default:
        continue;
    }
    nodes = alive.size;
    pending = pendingPods.size;
    peakNodes = Math.max(peakNodes, nodes);
    const last = points[points.length - 1];
    if (last && last.t === e.t) {
      last.nodes = nodes;
      last.pending = pending;
    } else points.push({ t: e.t, nodes, pending });
  }
  area += nodes * Math.max(0, end - lastT);
  return { peakNodes, averageNodes: end > 0 ? area / end : nodes, points };
}

function peakIn(points: CountSeries['points'], startMs: number, endMs: number, key: 'nodes' | 'pending'): number {
  let peak = 0;
  let before = 0;
  for (const p of points) {
    if (p.t < startMs) before = p[key];
    else if (p.t < endMs) peak = Math.max(peak, p[key]);
  }
  return Math.max(peak, before);
}

function phaseMetrics(
  ph: { name: string; startS: number; endS: number },
  pods: readonly PodTimeline[],
  nodes: ReadonlyMap<string, NodeTimeline>,
  samples: readonly TrafficSample[],
  counts: CountSeries,
  runEnd: number,
): PhaseMetrics {
  const start = ph.startS * 1000;
  const end = ph.endS * 1000;
  const inPhase = pods.filter((p) => p.created >= start && p.created < end);
  const r = requestTotals(samples.filter((s) => s.t >= start && s.t < end));
  const { split: _split, ...podToReady } = podToReadyOf(inPhase, nodes, runEnd);
  return {
    name: ph.name,
    startS: ph.startS,
    endS: ph.endS,
    pods: podCounts(inPhase),
    podToReady,
    requests: { total: r.total, failed: r.failed, successRate: r.successRate },
    peakPendingPods: peakIn(counts.points, start, end, 'pending'),
    peakNodes: peakIn(counts.points, start, end, 'nodes'),
  };
}

/** The longest waits, however they ended: a pod given up or still waiting ranks by its wait until then. */
function slowest(pods: readonly PodTimeline[], nodes: ReadonlyMap<string, NodeTimeline>, end: number): SlowPod[] {
  const rows = pods
    .map((p) => ({ p, s: splitOf(p, nodes, end)! }))
    .sort((a, b) => b.s.total - a.s.total || (a.p.pod < b.p.pod ? -1 : 1))
    .slice(0, SLOWEST);
  return rows.map(({ p, s }) => {
    const n = p.node ? nodes.get(p.node) : undefined;
    return {
      pod: p.pod,
      workload: p.workload,
      createdS: p.created / 1000,
      readyS: p.ready === null ? null : p.ready / 1000,
      podToReadyS: s.total / 1000,
      dominantPhase: dominantPhaseOf(p, s),
      node: p.node,
      nodeLaunchedS: n ? n.launched / 1000 : null,
      nodeReadyS: n?.ready != null ? n.ready / 1000 : null,
      instanceType: n ? n.instanceType : null,
    };
  });
}

/** Pods an autoscaler said it could not provision and that never became Ready, with the first reason given. */
function unsatisfiable(events: readonly RunEvent[]): AutoscalerResult['unsatisfiable'] {
  const first = new Map<string, { reason: string; atS: number }>();
  const ready = new Set<string>();
  for (const e of events) {
    if (e.type === 'pod.unsatisfiable' && !first.has(e.pod)) first.set(e.pod, { reason: e.reason, atS: e.t / 1000 });
    else if (e.type === 'pod.ready') ready.add(e.pod);
  }
  const out: AutoscalerResult['unsatisfiable'] = [];
  for (const [pod, u] of first) {
    if (ready.has(pod)) continue;
    if (out.length === UNSATISFIABLE_LISTED) break;
    out.push({ pod, ...u });
  }
  return out;
}

/** A metric by its dotted path; null for one the run does not define (sloMinutesInViolation without request SLOs). */
function metricValue(metric: string, r: Omit<AutoscalerResult, 'slo'>): number | null {
  let v: unknown = r;
  for (const key of metric.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  if (v === null) return null;
  if (typeof v !== 'number') throw new Error(`unknown metric ${metric}`);
  return v;
}

function check(s: SloThreshold, r: Omit<AutoscalerResult, 'slo'>): SloCheck {
  // A quantile over no samples is 0 in its summary: judged as a value it would pass any latency SLO.
  const actual = comparedValue(s.metric, r);
  return { metric: s.metric, op: s.op, threshold: s.threshold, actual, passed: actual !== null && (s.op === '<=' ? actual <= s.threshold : actual >= s.threshold) };
}

const COMPARED: Array<{ metric: string; better: 'lower' | 'higher' }> = [
  { metric: 'podToReady.p50', better: 'lower' },
  { metric: 'podToReady.p90', better: 'lower' },
  { metric: 'podToReady.p99', better: 'lower' },
  { metric: 'podToReady.max', better: 'lower' },
  { metric: 'decisionLatency.p99', better: 'lower' },
  { metric: 'nodeLaunchLatency.p50', better: 'lower' },
  { metric: 'podMinutesPending', better: 'lower' },
  { metric: 'pods.abandoned', better: 'lower' },
  { metric: 'pods.neverReady', better: 'lower' },
  { metric: 'requests.successRate', better: 'higher' },
  { metric: 'requests.latencyP95Ms', better: 'lower' },
  { metric: 'sloMinutesInViolation', better: 'lower' },
  { metric: 'cost.totalUSD', better: 'lower' },
  { metric: 'cost.ratioToLowerBound', better: 'lower' },
  { metric: 'cost.idleShare', better: 'lower' },
  { metric: 'nodes.peak', better: 'lower' },
  { metric: 'disruption.podSecondsUnavailable.total', better: 'lower' },
];

/**
 * A compared metric's value per arm; null for an arm where it has none: the run does not define it
 * (sloMinutesInViolation without request SLOs, the ratio over a zero lower bound) or it is a quantile over no samples.
 */
export function comparedValue(metric: string, a: Omit<AutoscalerResult, 'slo'>): number | null {
  const dot = metric.lastIndexOf('.');
  if (dot > 0) {
    const parent = metricObject(metric.slice(0, dot), a);
    if (parent !== null && typeof parent.count === 'number' && parent.count === 0) return null;
  }
  return metricValue(metric, a);
}

function metricObject(path: string, r: Omit<AutoscalerResult, 'slo'>): Record<string, unknown> | null {
  let v: unknown = r;
  for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
}

/**
 * Metrics no arm has a value for are not compared; one some arm lacks is listed with null for it and has no
 * winner: a missing value can neither win nor lose.
 */
export function compare(arms: readonly AutoscalerResult[]): Comparison {
  return {
    metrics: COMPARED.flatMap(({ metric, better }) => {
      const values: Record<string, number | null> = {};
      for (const a of arms) values[a.name] = comparedValue(metric, a);
      const entries = Object.entries(values);
      if (entries.every(([, v]) => v === null)) return [];
      const known = entries.filter((e): e is [string, number] => e[1] !== null);
      const best = known.reduce((b, [, v]) => (better === 'lower' ? Math.min(b, v) : Math.max(b, v)), better === 'lower' ? Infinity : -Infinity);
      const winners = known.filter(([, v]) => v === best);
      const winner = arms.length > 1 && known.length === entries.length && winners.length === 1 ? winners[0]![0] : null;
      return [{ metric, better, values, winner }];
    }),
  };
}
