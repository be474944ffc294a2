/**
 * The time series behind the report's charts, replayed from the event log per autoscaler arm and downsampled onto
 * one grid shared by every arm and chart (so the charts line up on one time axis).
 */
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { ExtremaSampler, gridFor, gridX, type Grid } from './downsample.js';

export interface Peak {
  value: number;
  atS: number;
}

export interface ArmTimeline {
  arm: string;
  offeredRps: number[];
  servedRps: number[];
  desiredReplicas: number[];
  readyReplicas: number[];
  pendingPods: number[];
  /** Columns in the order of Timelines.capacityTypes: nodes launched and not yet terminated. */
  nodesByCapacityType: number[][];
  nodesByInstanceType: number[][];
  costPerHour: number[];
  cumulativeCostUSD: number[];
  /** Exact extremes from the full log, not from the downsampled points. */
  peaks: { pendingPods: Peak; nodes: Peak };
}

export interface Timelines {
  /** Seconds since the run's epoch, two points per bucket. */
  x: number[];
  capacityTypes: string[];
  /** The most-launched instance types across arms; the rest are folded into "other". */
  instanceTypes: string[];
  arms: ArmTimeline[];
}

/** A minute per bucket on a 24-hour run: enough to zoom into a 30-minute spike; more only adds bytes. */
export const DEFAULT_BUCKETS = 1_440;
const TOP_INSTANCE_TYPES = 8;
const OTHER = 'other';

/**
 * Each arm's events in time order, as [arm, events] pairs; iterable more than once. A Map from eventsByArm, or a
 * run's log read back from disk one arm at a time (harness/recorder/jsonl-file.ts), so that a big run's report
 * never holds every arm's history at once.
 */
export type ArmEvents = Iterable<readonly [string, readonly RunEvent[]]>;

export function eventsByArm(events: readonly RunEvent[], arms: readonly string[]): Map<string, RunEvent[]> {
  const byArm = new Map<string, RunEvent[]>(arms.map((a) => [a, []]));
  for (const e of events) byArm.get(e.autoscaler)?.push(e);
  // Interleaved logs need not be globally ordered; each arm's replay must be. sort() is stable for equal times.
  for (const list of byArm.values()) list.sort((a, b) => a.t - b.t);
  return byArm;
}

export interface TimelineLayout {
  capacityTypes: string[];
  instanceTypes: string[];
}

/** The stacked series every arm's chart shares: capacity types present, and the most launched instance types. */
export function timelineLayout(byArm: ArmEvents): TimelineLayout {
  const capacityTypes = new Set<string>();
  const launches = new Map<string, number>();
  for (const [, list] of byArm) {
    for (const e of list) {
      if (e.type !== 'node.launched') continue;
      capacityTypes.add(e.capacityType);
      launches.set(e.instanceType, (launches.get(e.instanceType) ?? 0) + 1);
    }
  }
  const ranked = [...launches.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  const instanceTypes = ranked.length > TOP_INSTANCE_TYPES ? [...ranked.slice(0, TOP_INSTANCE_TYPES - 1), OTHER] : ranked;
  return { capacityTypes: ['reserved', 'on-demand', 'spot'].filter((c) => capacityTypes.has(c)), instanceTypes };
}

/**
 * Series over the whole run, or over `window` only (a close-up of the spike, at a finer grain). A caller that reads
 * the events from disk passes the layout it already has, to spare a pass over the log.
 */
export function buildTimelines(
  byArm: ArmEvents,
  durationS: number,
  maxBuckets = DEFAULT_BUCKETS,
  window: { startS: number; endS: number } = { startS: 0, endS: durationS },
  layout: TimelineLayout = timelineLayout(byArm),
): Timelines {
  const grid = gridFor(window.endS, maxBuckets, window.startS);
  const x = gridX(grid);
  const arms: ArmTimeline[] = [];
  for (const [arm, list] of byArm) arms.push(replayArm(arm, list, grid, x, layout));
  return { x, ...layout, arms };
}

function replayArm(
  arm: string,
  events: readonly RunEvent[],
  grid: Grid,
  x: readonly number[],
  layout: { capacityTypes: string[]; instanceTypes: string[] },
): ArmTimeline {
  const single = (): ExtremaSampler => new ExtremaSampler(grid, 1);
  const s = { offered: single(), served: single(), desired: single(), ready: single(), pending: single(), rate: single() };
  const byCapacity = new ExtremaSampler(grid, layout.capacityTypes.length);
  const byInstance = new ExtremaSampler(grid, layout.instanceTypes.length);
  const otherIndex = layout.instanceTypes.indexOf(OTHER);

  const traffic = new Map<string, { rps: number; served: number }>();
  const desired = new Map<string, number>();
  const pods = new Map<string, 'pending' | 'ready'>();
  const nodes = new Map<string, { ct: number; it: number; price: number }>();
  const ct = new Array<number>(layout.capacityTypes.length).fill(0);
  const it = new Array<number>(layout.instanceTypes.length).fill(0);
  let offered = 0;
  let served = 0;
  let desiredSum = 0;
  let pending = 0;
  let ready = 0;
  let rate = 0;
  const rateKnots: Array<[number, number]> = [[0, 0]];
  const peaks = { pendingPods: { value: 0, atS: 0 }, nodes: { value: 0, atS: 0 } };
  const raise = (p: Peak, value: number, atS: number): void => {
    if (value > p.value) {
      p.value = value;
      p.atS = atS;
    }
  };

  const apply = (e: RunEvent): void => {
    switch (e.type) {
      case 'traffic.sample': {
        const prev = traffic.get(e.workload);
        offered += e.rps - (prev?.rps ?? 0);
        served += e.servedRps - (prev?.served ?? 0);
        traffic.set(e.workload, { rps: e.rps, served: e.servedRps });
        break;
      }
      case 'workload.scaled':
        desiredSum += e.to - (desired.get(e.workload) ?? 0);
        desired.set(e.workload, e.to);
        break;
      case 'pod.created':
        if (!pods.has(e.pod)) {
          pods.set(e.pod, 'pending');
          pending++;
        }
        break;
      case 'pod.ready':
        if (pods.get(e.pod) === 'pending') {
          pods.set(e.pod, 'ready');
          pending--;
          ready++;
        }
        break;
      case 'pod.deleted': {
        const state = pods.get(e.pod);
        if (state === 'pending') pending--;
        if (state === 'ready') ready--;
        pods.delete(e.pod);
        break;
      }
      case 'node.launched': {
        if (nodes.has(e.node)) break;
        const typeIndex = layout.instanceTypes.indexOf(e.instanceType);
        const n = { ct: layout.capacityTypes.indexOf(e.capacityType), it: typeIndex >= 0 ? typeIndex : otherIndex, price: e.pricePerHour };
        nodes.set(e.node, n);
        ct[n.ct]!++;
        it[n.it]!++;
        rate += n.price;
        break;
      }
      case 'node.terminated': {
        const n = nodes.get(e.node);
        if (!n) break;
        nodes.delete(e.node);
        ct[n.ct]!--;
        it[n.it]!--;
        rate -= n.price;
        break;
      }
      default:
        break;
    }
  };

  for (let i = 0; i < events.length; ) {
    const t = events[i]!.t;
    if (t / 1000 > grid.endS) break;
    while (i < events.length && events[i]!.t === t) apply(events[i++]!);
    const tS = t / 1000;
    // Float drift from adding and removing prices must not leave a cost rate of 1e-14 on an empty cluster.
    if (nodes.size === 0) rate = 0;
    s.offered.observe(tS, [offered]);
    s.served.observe(tS, [served]);
    s.desired.observe(tS, [desiredSum]);
    s.ready.observe(tS, [ready]);
    s.pending.observe(tS, [pending]);
    s.rate.observe(tS, [rate]);
    byCapacity.observe(tS, ct);
    byInstance.observe(tS, it);
    if (rateKnots[rateKnots.length - 1]![1] !== rate) rateKnots.push([tS, rate]);
    raise(peaks.pendingPods, pending, tS);
    raise(peaks.nodes, nodes.size, tS);
  }

  const one = (sampler: ExtremaSampler, digits = 0): number[] => round(sampler.finish()[0]!, digits);
  return {
    arm,
    offeredRps: one(s.offered, 1),
    servedRps: one(s.served, 1),
    desiredReplicas: one(s.desired),
    readyReplicas: one(s.ready),
    pendingPods: one(s.pending),
    nodesByCapacityType: byCapacity.finish(),
    nodesByInstanceType: byInstance.finish(),
    costPerHour: one(s.rate, 3),
    cumulativeCostUSD: round(cumulativeAt(rateKnots, x), 2),
    peaks,
  };
}

/** Cost so far at each x: the integral of the $/hour step function, exact at every point (it only grows). */
export function cumulativeAt(knots: ReadonlyArray<readonly [number, number]>, xs: readonly number[]): number[] {
  const out: number[] = [];
  let k = 0;
  let acc = 0;
  for (const xv of xs) {
    while (k + 1 < knots.length && knots[k + 1]![0] <= xv) {
      acc += (knots[k]![1] * (knots[k + 1]![0] - knots[k]![0])) / 3600;
      k++;
    }
    out.push(acc + (knots[k]![1] * Math.max(0, xv - knots[k]![0])) / 3600);
  }
  return out;
}

function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function round(values: number[], digits: number): number[] {
  return values.map((v) => roundTo(v, digits));
}
