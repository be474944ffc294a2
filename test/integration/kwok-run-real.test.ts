/**
 * `burstlab run --target kwok` with the real parts, as a user runs it: the bundled arms as live controllers, a real
 * HPA on metrics-server reading kwok's emulated CPU usage, and vegeta's HTTP load against the Service stand-in. The
 * orchestration's own behaviour is tested with doubles in kwok-run.test.ts; this proves the parts work together.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject } from 'vitest';
import type { Results } from '../../harness/metrics/results.js';
import { parseJsonl } from '../../harness/recorder/jsonl.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { main } from '../../harness/runner/cli.js';
import { runCli } from '../support/cli.js';
import { leftoverProcesses } from '../support/leftovers.js';
import { liveRunDir } from '../support/live-run-dir.js';

const SCENARIO = 'test/integration/fixtures/live-hpa.yaml';
const SPEED = 4;
const ARMS = ['cluster-autoscaler', 'karpenter'];
/** The fixture's step from 100 to 500 rps, its duration and sample interval. */
const STEP_MS = 15_000;
const DURATION_MS = 180_000;
const WINDOW_MS = 15_000;

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

describe.skipIf(skip)('burstlab run --target kwok with the real autoscalers, HPA and HTTP load', () => {
  let stderr = '';
  const { dir, check } = liveRunDir('burstlab-kwok-real-', () => stderr);
  const out = join(dir, 'run');
  let code: number | undefined;
  const events = (): RunEvent[] => parseJsonl(readFileSync(join(out, 'events.jsonl'), 'utf8'));
  const results = (): Results => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
  const of = (arm: string, type: RunEvent['type']): RunEvent[] => events().filter((e) => e.autoscaler === arm && e.type === type);

  beforeAll(async () => {
    if (toolsError) throw new Error(toolsError);
    code = await main(['run', SCENARIO, '--target', 'kwok', '--speed', String(SPEED), '--out', out, '--quiet'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => void (stderr += s) },
      signal: new AbortController().signal,
    });
  }, 420_000);

  check('finishes with a verdict (exit 0: the scenario sets no SLO)', () => {
    expect(code).toBe(0);
  });

  check('scales the workload up through the real HPA on each arm once the load steps up', () => {
    for (const arm of ARMS) {
      const hpa = of(arm, 'workload.scaled').filter((e) => e.type === 'workload.scaled' && e.reason === 'hpa');
      expect(hpa.length, arm).toBeGreaterThan(0);
      expect(hpa.every((e) => e.t >= STEP_MS), arm).toBe(true);
      // Warm at t = 0, it sees the step at the next scrape (at most 40 s of scenario time at speed 4) and acts at its
      // next sync (16 s): 56 s, and 24 s of slack for a loaded machine. Cold, it first acted ~140 s after the step.
      expect(hpa[0]!.t - STEP_MS, arm).toBeLessThan(80_000);
    }
  });

  check('launches nodes for the new pods with each bundled arm', () => {
    for (const arm of ARMS) expect(of(arm, 'node.launched').filter((e) => e.type === 'node.launched' && !e.initial).length, arm).toBeGreaterThan(0);
    expect(of('karpenter', 'claim.created').length).toBeGreaterThan(0);
  });

  check("measures requests from vegeta's real HTTP load in every sample window, once, stamped at the window's start", () => {
    for (const arm of ARMS) {
      const samples = of(arm, 'traffic.sample');
      // The first window starts where the load did, just after t = 0; the others on the sim's sample times.
      expect(samples.map((e) => Math.floor(e.t / WINDOW_MS) * WINDOW_MS), arm).toEqual(Array.from({ length: DURATION_MS / WINDOW_MS }, (_, i) => i * WINDOW_MS));
      expect(samples.slice(1).every((e) => e.t % WINDOW_MS === 0), arm).toBe(true);
      expect(samples.every((e) => e.type === 'traffic.sample' && e.rps > 0), arm).toBe(true);
      expect(results().autoscalers.find((a) => a.name === arm)!.requests.total, arm).toBeGreaterThan(0);
    }
  });

  check('records the parts in run.json: metrics-server and vegeta versions', () => {
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { components: Record<string, string> };
    expect(Object.keys(meta.components)).toEqual(expect.arrayContaining(['metrics-server', 'vegeta']));
  });

  check('writes a log that burstlab verify passes', async () => {
    const r = await runCli(['verify', out]);
    expect(r.code).toBe(0);
  });

  check('leaves no process behind', async () => {
    expect(await leftoverProcesses(dir)).toEqual([]);
  });
});
