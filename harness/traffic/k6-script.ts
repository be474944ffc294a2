import { SLO_UNITS, type SloSpec, type TrafficSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { workloadPath } from './endpoint-server.js';
import { rpsAt } from './profiles.js';

/** Where the exported script sends load unless told otherwise: the loopback address burstlab's own load uses. */
export const DEFAULT_K6_BASE_URL = 'http://127.0.0.1:8080';

/** Below this peak rate a workload's rates are given per minute, since k6 takes whole iterations per time unit. */
const PER_MINUTE_BELOW_RPS = 100;

/** How far the stages may stray from a curved profile (market-open's exponential jump and settle), of its peak. */
const CURVE_TOLERANCE = 0.005;
/** The shortest stage a curve is cut into. */
const MIN_STAGE_MS = 1_000;

export interface K6Stage {
  duration: string;
  target: number;
}

export interface K6ArrivalScenario {
  executor: 'ramping-arrival-rate';
  exec: string;
  startRate: number;
  timeUnit: '1s' | '1m';
  preAllocatedVUs: number;
  maxVUs: number;
  stages: K6Stage[];
  tags: { workload: string };
}

export interface K6Options {
  scenarios: Record<string, K6ArrivalScenario>;
  thresholds: Record<string, string[]>;
}

/**
 * A traffic profile as piecewise-linear [ms, rps] points over [0, durationMs], the form k6's stages take: exact for
 * constant, ramp, step (a jump is two points at one time) and spike; market-open's curves sampled every minute and
 * at each phase boundary.
 */
export function profilePoints(spec: TrafficSpec, durationMs: number): Array<[number, number]> {
  const at = (t: number): [number, number] => [t, rpsAt(spec, t)];
  let points: Array<[number, number]>;
  switch (spec.profile) {
    case 'constant':
      points = [at(0)];
      break;
    case 'ramp':
      points = [at(0), at(spec.start), at(spec.end)];
      break;
    case 'step':
      points = [at(0), [spec.at, spec.from], [spec.at, spec.to]];
      break;
    case 'spike': {
      const top = spec.at + spec.rise;
      points = [at(0), [spec.at, spec.base], [top, spec.peak], [top + spec.hold, spec.peak], [top + spec.hold + spec.decay, spec.base]];
      break;
    }
    case 'market-open': {
      const bounds = new Set([spec.open - spec.preOpenWindow, spec.open, spec.open + spec.spikeWindow, spec.close - spec.closeWindow, spec.close, spec.close + spec.afterCloseWindow]);
      const times = [...new Set([0, ...bounds, durationMs])].filter((t) => t >= 0 && t <= durationMs).sort((a, b) => a - b);
      const tolerance = CURVE_TOLERANCE * Math.max(spec.peak, spec.closeSurge, spec.preOpen, spec.offHours, spec.plateau);
      points = [];
      for (let i = 0; i < times.length; i++) {
        const t = times[i]!;
        // A phase boundary may be a jump (the open, the end of the settle): its left limit is a point too.
        if (bounds.has(t) && t > 0) points.push([t, rpsAt(spec, t - 1)]);
        points.push(at(t));
        if (i + 1 < times.length) for (const p of refine(spec, t, times[i + 1]! - 1, tolerance)) points.push(p);
      }
      break;
    }
  }
  points.push(at(durationMs));
  const inside = points.filter(([t]) => t >= 0 && t <= durationMs);
  return dropCollinear(inside);
}

/**
 * Points strictly inside (from, to) that keep straight lines between them within `tolerance` of the curve, found by
 * halving each segment whose midpoint strays further.
 */
function refine(spec: TrafficSpec, from: number, to: number, tolerance: number): Array<[number, number]> {
  if (to - from < 2 * MIN_STAGE_MS) return [];
  const mid = Math.round((from + to) / 2);
  const [a, b] = [rpsAt(spec, from), rpsAt(spec, to)];
  const strays = (t: number): boolean => Math.abs(rpsAt(spec, t) - (a + ((b - a) * (t - from)) / (to - from))) > tolerance;
  const straight = ![0.25, 0.5, 0.75].some((f) => strays(from + f * (to - from)));
  if (straight) return [];
  return [...refine(spec, from, mid, tolerance), [mid, rpsAt(spec, mid)], ...refine(spec, mid, to, tolerance)];
}

/** Removes points that lie on a flat line between their neighbours, and repeated points. */
function dropCollinear(points: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    const before = out[out.length - 2];
    if (before && last && before[1] === last[1] && last[1] === p[1]) out.pop();
    out.push(p);
  }
  return out;
}

/** A stage as JSON.stringify indents it, to put back on one line. */
const STAGE = /\{\s+"duration": ("[^"]+"),\s+"target": (\d+)\s+\}/g;

export function k6Duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** The k6 options equivalent to the scenario's traffic and SLOs (what can be expressed; see `k6Unexpressed`). */
export function k6Options(s: Scenario): K6Options {
  const scenarios: Record<string, K6ArrivalScenario> = {};
  for (const t of s.traffic) {
    const w = s.workloads.find((x) => x.name === t.workload)!;
    const points = profilePoints(t, s.duration);
    const peak = points.reduce((m, [, rps]) => Math.max(m, rps), 0);
    const perMinute = peak < PER_MINUTE_BELOW_RPS;
    const rate = (rps: number): number => Math.round(perMinute ? rps * 60 : rps);
    const stages: K6Stage[] = [];
    for (let i = 1; i < points.length; i++) stages.push({ duration: k6Duration(points[i]![0] - points[i - 1]![0]), target: rate(points[i]![1]) });
    // Open model: requests in flight = rate x latency. Healthy, at the base latency (twice, for jitter); saturated,
    // every request may wait the whole timeout.
    const preAllocatedVUs = Math.max(1, Math.ceil((peak * w.baseLatency * 2) / 1000));
    const maxVUs = Math.max(preAllocatedVUs, Math.ceil((peak * s.requestTimeout) / 1000));
    scenarios[t.workload] = {
      executor: 'ramping-arrival-rate',
      exec: 'request',
      startRate: rate(points[0]![1]),
      timeUnit: perMinute ? '1m' : '1s',
      preAllocatedVUs,
      maxVUs,
      stages,
      tags: { workload: t.workload },
    };
  }
  const thresholds: Record<string, string[]> = {};
  const add = (metric: string, expr: string): void => void (thresholds[metric] ??= []).push(expr);
  for (const slo of s.slo) {
    if (slo.metric === 'requests.successRate') add('http_req_failed', `rate${slo.op === '>=' ? '<=' : '>='}${round6(1 - slo.threshold)}`);
    if (slo.metric === 'requests.latencyP95Ms') add('http_req_duration', `p(95)${slo.op}${slo.threshold}`);
  }
  return { scenarios, thresholds };
}

/** The scenario's SLOs k6 cannot check: they are about the cluster, or about windows k6 does not form. */
export function k6Unexpressed(s: Scenario): SloSpec[] {
  return s.slo.filter((slo) => slo.metric !== 'requests.successRate' && slo.metric !== 'requests.latencyP95Ms');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The k6 script (an ES module) that offers the scenario's traffic as open-model load against `baseUrl`. */
export function k6Script(s: Scenario, baseUrl = DEFAULT_K6_BASE_URL): string {
  const options = k6Options(s);
  const targets = Object.fromEntries(s.traffic.map((t) => [t.workload, workloadPath(t.workload)]));
  const noisy = s.traffic.filter((t) => t.noise > 0).map((t) => `${t.workload} ±${Math.round(t.noise * 100)}%`);
  const unexpressed = k6Unexpressed(s).map((slo) => {
    const unit = SLO_UNITS[slo.metric];
    return `//   ${slo.metric} ${slo.op} ${slo.threshold}${unit === 'fraction' || unit === 'number' ? '' : ` ${unit}`}`;
  });
  const lines = [
    `// k6 script exported by burstlab from scenario '${s.name}' (seed ${s.seed}, ${k6Duration(s.duration)}).`,
    '// burstlab does not run k6 (it is AGPL-licensed and never bundled): run it yourself with',
    '//   k6 run -e BASE_URL=http://your-service script.js',
    '// Each workload is one ramping-arrival-rate scenario (open model: requests start on schedule whatever the',
    '// latency) whose stages follow the scenario\'s traffic profile, piecewise linear; rates are per timeUnit.',
    noisy.length > 0
      ? `// Not reproduced: the profiles' random noise (${noisy.join(', ')}); k6 plays the noiseless curve.`
      : '// The profiles have no noise: k6 plays them exactly.',
    ...(unexpressed.length > 0
      ? ['// SLOs k6 cannot check (they are about the cluster, or about per-window figures k6 does not form);', '// burstlab measures them:', ...unexpressed]
      : []),
    '',
    "import http from 'k6/http';",
    "import exec from 'k6/execution';",
    '',
    `const BASE_URL = __ENV.BASE_URL || ${JSON.stringify(baseUrl)};`,
    '',
    "// The path each workload's requests go to, under BASE_URL: edit to point at your Services.",
    `const TARGETS = ${JSON.stringify(targets, null, 2)};`,
    '',
    `export const options = ${JSON.stringify(options, null, 2).replace(STAGE, '{ "duration": $1, "target": $2 }')};`,
    '',
    'export function request() {',
    `  http.get(BASE_URL + TARGETS[exec.scenario.name], { timeout: ${JSON.stringify(k6Duration(s.requestTimeout))} });`,
    '}',
    '',
  ];
  return lines.join('\n');
}
