/**
 * Latency distributions for the charts, from the event log: pod-to-ready (created to first Ready) and node launch
 * (launch request to Ready). The tables quote results.json's quantiles; these curves show the shape behind them.
 */
import type { RunEvent } from '../../provisioner/runtime/events.js';

export interface Cdf {
  /** Latency in seconds, ascending; the last point is always the maximum. */
  x: number[];
  /** Fraction of samples at or below x. */
  y: number[];
  count: number;
}

export interface Histogram {
  /** Bin edges in seconds, log-spaced; bins.length = edges.length - 1. */
  edges: number[];
  counts: Record<string, number[]>;
}

export interface ArmLatencies {
  podToReady: number[];
  nodeLaunch: number[];
}

export function armLatencies(events: readonly RunEvent[]): ArmLatencies {
  const created = new Map<string, number>();
  const launched = new Map<string, number>();
  const podToReady: number[] = [];
  const nodeLaunch: number[] = [];
  for (const e of events) {
    // As in results.json: pods that predate the scenario and negative-priority placeholders are not measured.
    if (e.type === 'pod.created') {
      if (!e.initial && e.priority >= 0) created.set(e.pod, e.t);
    }
    else if (e.type === 'pod.ready') {
      const c = created.get(e.pod);
      if (c !== undefined) {
        podToReady.push((e.t - c) / 1000);
        created.delete(e.pod);
      }
    } else if (e.type === 'node.launched' && !e.initial) launched.set(e.node, e.t);
    else if (e.type === 'node.ready' || e.type === 'node.terminated') {
      // As in results.json: a node terminated before it was Ready counts with its wait until then.
      const l = launched.get(e.node);
      if (l !== undefined) {
        nodeLaunch.push((e.t - l) / 1000);
        launched.delete(e.node);
      }
    }
  }
  // ...and one still not Ready at the end of the log with its wait so far.
  let end = 0;
  for (const e of events) end = Math.max(end, e.t);
  for (const l of launched.values()) nodeLaunch.push(Math.max(0, end - l) / 1000);
  return { podToReady, nodeLaunch };
}

/** Charts draw latency on a log axis, which has no zero. */
const FLOOR_S = 0.1;

/** At most `points` points of the empirical CDF, always including the fastest and the slowest sample. */
export function cdf(samples: readonly number[], points = 300): Cdf {
  const s = Float64Array.from(samples).sort();
  const n = s.length;
  const x: number[] = [];
  const y: number[] = [];
  if (n === 0) return { x, y, count: 0 };
  const steps = Math.min(points - 1, n - 1);
  let lastIndex = -1;
  for (let i = 0; i <= steps; i++) {
    const idx = steps === 0 ? n - 1 : Math.round((i * (n - 1)) / steps);
    if (idx === lastIndex) continue;
    lastIndex = idx;
    x.push(Math.round(Math.max(FLOOR_S, s[idx]!) * 1000) / 1000);
    y.push(Math.round(((idx + 1) / n) * 10000) / 10000);
  }
  return { x, y, count: n };
}

/** Log-spaced bins shared by every arm, so their bars line up. */
export function histogram(byArm: Record<string, readonly number[]>, binsPerDecade = 8): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of Object.values(byArm)) {
    for (const v of values) {
      const c = Math.max(FLOOR_S, v);
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
  }
  if (!Number.isFinite(lo)) return { edges: [], counts: {} };
  const from = Math.floor(Math.log10(lo) * binsPerDecade);
  const to = Math.max(from + 1, Math.ceil(Math.log10(hi) * binsPerDecade + 1e-9));
  const edges: number[] = [];
  for (let k = from; k <= to; k++) edges.push(Math.round(10 ** (k / binsPerDecade) * 1000) / 1000);
  const counts: Record<string, number[]> = {};
  for (const [arm, values] of Object.entries(byArm)) {
    const c = new Array<number>(edges.length - 1).fill(0);
    for (const v of values) {
      const k = Math.floor(Math.log10(Math.max(FLOOR_S, v)) * binsPerDecade) - from;
      c[Math.max(0, Math.min(c.length - 1, k))]!++;
    }
    counts[arm] = c;
  }
  return { edges, counts };
}
