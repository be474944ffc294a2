import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { scenarioClockOf } from '../../harness/clock/scaled-clock.js';
import { WallClock } from '../../harness/clock/wall-clock.js';
import { MemoryRecorder } from '../../harness/recorder/recorder.js';
import { isRunning } from '../../harness/targets/kwok/processes.js';
import { toolPaths } from '../../harness/targets/kwok/tools.js';
import type { ReadyEndpointsFeed } from '../../harness/traffic/endpoint-slices.js';
import { VegetaLoad } from '../../harness/traffic/vegeta.js';
import type { TrafficSample } from '../../provisioner/runtime/events.js';
import { Random } from '../../provisioner/runtime/random.js';
import { scenario } from '../support/scenarios.js';

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

/** Ready endpoints the test sets by hand, standing in for a workload's EndpointSlices. */
function manualFeed(initial: number): { feed: ReadyEndpointsFeed; set(n: number): void } {
  let publish: (ready: number) => void = () => undefined;
  return {
    feed: async (onChange) => {
      publish = (n) => onChange('web', n);
      publish(initial);
      return { errors: [], stop: async () => undefined };
    },
    set: (n) => publish(n),
  };
}

describe.skipIf(skip)('vegeta load against the loopback Service stand-in', () => {
  const dirs: string[] = [];
  const loads: VegetaLoad[] = [];

  afterEach(async () => {
    for (const l of loads.splice(0)) await l.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  it('measures success and latency per sample window as the ready endpoints and the offered load change', async () => {
    if (toolsError) throw new Error(toolsError);
    // 90 scenario seconds at speed 10: nine 1 s wall windows. Two pods serve 100 rps; the load steps from 50 to
    // 200 rps at 30 s; at 60 s five pods serve 250 rps.
    const s = scenario({
      duration: '90s',
      sampleInterval: '10s',
      requestTimeout: '500ms',
      workloads: [{ name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, capacityRpsPerPod: 50, baseLatency: '40ms' }],
      traffic: [{ workload: 'web', profile: 'step', from: 50, to: 200, at: '30s', noise: 0 }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-vegeta-'));
    dirs.push(dir);
    const clock = scenarioClockOf(new WallClock(), 10);
    const recorder = new MemoryRecorder(clock, 'arm');
    const ready = manualFeed(2);
    const offered: Array<[number, number]> = [];
    const load = new VegetaLoad(
      { kubeconfigPath: '', scenario: s, clock, random: new Random(s.seed), recorder, speed: 10, logDir: dir },
      { loadgenPath: toolPaths().loadgen, readyFeed: ready.feed, onOfferedLoad: (_, rps) => offered.push([Math.round(clock.now() / 10_000), rps]) },
    );
    loads.push(load);
    await load.start();
    clock.setTimer(60_000 - clock.now(), () => ready.set(5));
    await new Promise<void>((resolve) => clock.setTimer(93_000 - clock.now(), resolve));
    await load.stop();

    const samples = recorder.events.filter((e): e is TrafficSample => e.type === 'traffic.sample');
    expect(load.rateScale).toBe(1);
    // The first window starts when the load did, a moment after the clock's epoch.
    expect(samples[0]!.windowMs).toBeGreaterThan(9_000);
    expect(samples.slice(1).map((x) => x.windowMs)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    const [under, over, scaled] = [samples.slice(0, 3), samples.slice(4, 6), samples.slice(7, 9)];
    for (const x of under) {
      expect(x.rps).toBeGreaterThan(45);
      expect(x.rps).toBeLessThan(55);
      expect(x.servedRps).toBe(x.rps);
      // Half the capacity: the sim's curve gives 40 / (1 - 0.5) = 80 ms.
      expect(x.latencyMs).toBeGreaterThanOrEqual(70);
      expect(x.latencyMs).toBeLessThan(200);
    }
    for (const x of over) {
      expect(x.rps).toBeGreaterThan(180);
      expect(x.servedRps).toBeGreaterThan(85);
      expect(x.servedRps).toBeLessThan(120);
      expect(x.latencyMs).toBeGreaterThanOrEqual(500);
    }
    for (const x of scaled) expect(x.servedRps).toBe(x.rps);
    expect(load.warnings).toEqual([]);
    // The HPA's metrics path is told each window's offered load as the window begins.
    expect(offered).toEqual([[0, 50], [1, 50], [2, 50], [3, 200], [4, 200], [5, 200], [6, 200], [7, 200], [8, 200]]);
    const results = readFileSync(join(dir, 'vegeta-results.jsonl'), 'utf8').trim().split('\n');
    expect(results.length).toBeGreaterThan(1_000);
  }, 60_000);

  it('leaves no load generator running once stopped mid-plan', async () => {
    if (toolsError) throw new Error(toolsError);
    const s = scenario({ duration: '10m', traffic: [{ workload: 'web', profile: 'constant', rps: 20 }] });
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-vegeta-'));
    dirs.push(dir);
    const clock = new WallClock();
    const recorder = new MemoryRecorder(clock, 'arm');
    const load = new VegetaLoad(
      { kubeconfigPath: '', scenario: s, clock, random: new Random(s.seed), recorder, speed: 1, logDir: dir },
      { loadgenPath: toolPaths().loadgen, readyFeed: manualFeed(1).feed },
    );
    loads.push(load);
    await load.start();
    const pid = load.loadgenPid!;
    expect(isRunning({ name: 'loadgen', pid, command: toolPaths().loadgen })).toBe(true);
    await load.stop();
    expect(isRunning({ name: 'loadgen', pid, command: toolPaths().loadgen })).toBe(false);
  }, 30_000);
});
