import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { k6Options, k6Script, profilePoints } from '../../../harness/traffic/k6-script.js';
import { rpsAt } from '../../../harness/traffic/profiles.js';
import type { TrafficSpec } from '../../../scenarios/schema/scenario-schema.js';
import { scenario } from '../../support/scenarios.js';

const web = { name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, baseLatency: '40ms' };

function spikeScenario(extra: Record<string, unknown> = {}) {
  return scenario({
    duration: '1h',
    workloads: [web],
    traffic: [{ workload: 'web', profile: 'spike', base: 150, peak: 6000, at: '10m', rise: '2m', hold: '20m', decay: '10m' }],
    slo: [
      { metric: 'requests.successRate', min: '99.5%' },
      { metric: 'requests.latencyP95Ms', max: '300ms' },
      { metric: 'podToReady.p99', max: '2m' },
    ],
    ...extra,
  });
}

/** Stages as [ms at the stage's end, target]. */
function stageEnds(stages: Array<{ duration: string; target: number }>): Array<[number, number]> {
  let at = 0;
  return stages.map((s) => {
    at += s.duration.endsWith('ms') ? Number(s.duration.slice(0, -2)) : Number(s.duration.slice(0, -1)) * 1000;
    return [at, s.target];
  });
}

describe('k6 export', () => {
  it('turns a spike into stages that rise, hold, decay and rest at the base, over the whole duration', () => {
    const o = k6Options(spikeScenario()).scenarios.web!;
    expect(o.executor).toBe('ramping-arrival-rate');
    expect(o.timeUnit).toBe('1s');
    expect(o.startRate).toBe(150);
    expect(stageEnds(o.stages)).toEqual([
      [600_000, 150],
      [720_000, 6000],
      [1_920_000, 6000],
      [2_520_000, 150],
      [3_600_000, 150],
    ]);
  });

  it('makes a step an instant jump: a zero-length stage at the step', () => {
    const s = scenario({ duration: '10m', workloads: [web], traffic: [{ workload: 'web', profile: 'step', from: 200, to: 800, at: '4m' }] });
    expect(k6Options(s).scenarios.web!.stages).toEqual([
      { duration: '240s', target: 200 },
      { duration: '0s', target: 800 },
      { duration: '360s', target: 800 },
    ]);
  });

  it('gives low rates per minute, since k6 starts whole iterations per time unit', () => {
    const s = scenario({ duration: '10m', workloads: [web], traffic: [{ workload: 'web', profile: 'ramp', from: 0.5, to: 20, start: '1m', end: '5m' }] });
    const o = k6Options(s).scenarios.web!;
    expect(o.timeUnit).toBe('1m');
    expect(o.startRate).toBe(30);
    expect(stageEnds(o.stages)).toEqual([[60_000, 30], [300_000, 1200], [600_000, 1200]]);
  });

  it('follows the market-open curve within 2% of its peak at every minute', () => {
    const s = scenario({
      duration: '24h',
      workloads: [web],
      traffic: [{ workload: 'web', profile: 'market-open', offHours: 100, preOpen: 800, peak: 12000, plateau: 3000, closeSurge: 5000, open: '09:15', close: '15:30' }],
    });
    const spec = s.traffic[0] as TrafficSpec;
    const points = profilePoints(spec, s.duration);
    const interpolate = (t: number): number => {
      const i = points.findIndex(([at]) => at > t);
      const [t0, r0] = points[i - 1]!;
      const [t1, r1] = points[i]!;
      return r0 + ((r1 - r0) * (t - t0)) / (t1 - t0);
    };
    for (let t = 30_000; t < s.duration; t += 60_000) expect(Math.abs(interpolate(t) - rpsAt(spec, t))).toBeLessThan(0.02 * 12000);
  });

  it('sizes VUs from the peak rate: twice the in-flight requests at base latency, up to every request waiting the timeout', () => {
    const o = k6Options(spikeScenario({ requestTimeout: '2s' })).scenarios.web!;
    expect(o.preAllocatedVUs).toBe(Math.ceil(6000 * 0.04 * 2));
    expect(o.maxVUs).toBe(6000 * 2);
  });

  it('states the request SLOs as k6 thresholds', () => {
    expect(k6Options(spikeScenario()).thresholds).toEqual({
      http_req_failed: ['rate<=0.005'],
      http_req_duration: ['p(95)<=300'],
    });
  });

  it('lists the SLOs k6 cannot check and the noise it does not reproduce in a comment', () => {
    const script = k6Script(spikeScenario());
    expect(script).toMatch(/^\/\/ {3}podToReady\.p99 <= 120 seconds$/m);
    expect(script).toContain('web ±3%');
  });

  it('writes a script that parses as an ES module and embeds the options, the base URL and each workload path', () => {
    const script = k6Script(spikeScenario(), 'http://127.0.0.1:9999');
    const parsed = ts.transpileModule(script, { fileName: 'script.js', reportDiagnostics: true, compilerOptions: { allowJs: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } });
    expect(parsed.diagnostics).toEqual([]);
    const options = script.slice(script.indexOf('export const options = ') + 'export const options = '.length, script.indexOf(';\n\nexport function request'));
    expect(JSON.parse(options)).toEqual(k6Options(spikeScenario()));
    expect(script).toContain('const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:9999";');
    expect(script).toContain('"web": "/w/web"');
  });
});
