import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Results } from '../../harness/metrics/results.js';
import { parseJsonl } from '../../harness/recorder/jsonl.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { runCli, type CliResult } from '../support/cli.js';
import { leftoverProcesses } from '../support/leftovers.js';
import { liveRunDir } from '../support/live-run-dir.js';
import { recordingParts, type PartsLog } from '../support/live-parts.js';
import { main } from '../../harness/runner/cli.js';

const SCENARIO = 'test/integration/fixtures/live-small.yaml';
const SPEED = 8;

describe('burstlab run --target kwok, checking its input', () => {
  it('refuses a --speed below 1 with a hint', async () => {
    const r = await runCli(['run', SCENARIO, '--target', 'kwok', '--speed', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--speed '0.5' is not a number >= 1");
    expect(r.stderr).toContain('hint: e.g. --speed 10');
  });

  it('refuses a --speed that is not a number', async () => {
    expect((await runCli(['run', SCENARIO, '--target', 'kwok', '--speed', 'fast'])).code).toBe(2);
  });

  it('refuses --speed on the sim, which runs as fast as it can', async () => {
    const r = await runCli(['run', SCENARIO, '--speed', '10', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--speed applies to live targets');
  });

  it('refuses --seeds on a live target', async () => {
    const r = await runCli(['run', SCENARIO, '--target', 'kwok', '--seeds', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seeds runs on the sim only');
  });

  it("lists the real parts' objects (the workload's Service stand-in) in the live plan of a user's run", async () => {
    const r = await runCli(['run', SCENARIO, '--target', 'kwok', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  Service burstlab/web\n');
  });

  it('prints the live plan: target, speed, wall time and the objects in apply order', async () => {
    const r = await runCli(['run', SCENARIO, '--target', 'kwok', '--speed', '4', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seed 3, target kwok');
    expect(r.stdout).toContain('each arm plays 2m in 30s of wall time');
    expect(r.stdout).toContain('  Namespace burstlab\n  PriorityClass high\n  DaemonSet burstlab/kube-proxy\n  PodDisruptionBudget burstlab/web\n  Deployment burstlab/web\n');
    expect(r.stdout).toContain('warning: --speed: the run played 4 scenario seconds per wall second');
  });
});

const toolsError = inject('kwokToolsError');
const skip = toolsError !== '' && !process.env.CI;

describe.skipIf(skip)('burstlab run --target kwok, both bundled arms on a live control plane', () => {
  const { dir, check } = liveRunDir('burstlab-kwok-run-');
  const out = join(dir, 'run');
  let run: CliResult | undefined;
  let log: PartsLog | undefined;
  const done = (): CliResult => {
    if (!run) throw new Error('the live run did not finish');
    return run;
  };
  const events = (): RunEvent[] => parseJsonl(readFileSync(join(out, 'events.jsonl'), 'utf8'));
  const results = (): Results => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;

  beforeAll(async () => {
    if (toolsError) throw new Error(toolsError);
    const doubles = recordingParts();
    log = doubles.log;
    let stdout = '';
    let stderr = '';
    const code = await main(['run', SCENARIO, '--target', 'kwok', '--speed', String(SPEED), '--out', out], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      signal: new AbortController().signal,
      liveParts: doubles.parts,
    });
    run = { code, stdout, stderr };
    if (code !== 0) process.stderr.write(stderr);
  }, 300_000);

  check('exits 0 and prints the same side-by-side table as the sim', () => {
    expect(done().code).toBe(0);
    expect(done().stdout).toMatch(/cluster-autoscaler/);
    expect(done().stdout).toContain(`wrote ${out}/report.html`);
  });

  check('writes results for both arms, on the kwok target', () => {
    expect(results().scenario.target).toBe('kwok');
    expect(results().autoscalers.map((a) => a.name)).toEqual(['cluster-autoscaler', 'karpenter']);
  });

  check("says in results.json what the live run played differently from the sim: its speed and its pods' start-up", () => {
    expect(results().warnings.map((w) => w.path)).toEqual(expect.arrayContaining(['--speed', 'workloads[0].startup']));
  });

  check('logs every initial pod and every pod of the scheduled step Ready, per arm', () => {
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      expect(events().filter((e) => e.autoscaler === arm && e.type === 'pod.ready')).toHaveLength(10);
      expect(events().filter((e) => e.autoscaler === arm && e.type === 'pod.created' && e.initial)).toHaveLength(4);
    }
  });

  check('plays the scheduled scaling at its scenario time and logs it', () => {
    const scaled = events().filter((e) => e.type === 'workload.scaled' && e.reason === 'schedule');
    expect(scaled).toHaveLength(2);
    for (const e of scaled) expect(e.t).toBeGreaterThanOrEqual(60_000);
    for (const e of scaled) expect(e.t).toBeLessThan(60_000 + 2 * SPEED * 1000);
  });

  check('keeps every event within the scenario, from run.started at 0 to run.finished at its end', () => {
    const all = events();
    expect(all.every((e) => e.t >= 0 && e.t <= 120_000)).toBe(true);
    expect(all.filter((e) => e.type === 'run.finished').map((e) => e.t)).toEqual([120_000, 120_000]);
  });

  check("keeps the HTTP load's last sample, reported as the load stops after the scenario's end, at its window's start", () => {
    for (const arm of ['cluster-autoscaler', 'karpenter']) {
      expect(events().filter((e) => e.autoscaler === arm && e.type === 'traffic.sample').map((e) => e.t)).toEqual([105_000]);
    }
  });

  check('feeds no offered load to the metrics path for a workload without an HPA, which nothing would read', () => {
    expect(log!.offered).toEqual([]);
  });

  check('stops every part it started', () => {
    expect([...log!.stopped].sort()).toEqual(['autoscaler cluster-autoscaler', 'autoscaler karpenter', 'load', 'load', 'metrics', 'metrics']);
  });

  check('records the target, speed and component versions in run.json', () => {
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ target: 'kwok', speed: SPEED, rateScale: 1 });
    expect(Object.keys(meta.components as object)).toEqual(expect.arrayContaining(['kubernetes', 'etcd', 'kwok']));
  });

  check("records each bundled arm in run.json as burstlab's model of its kind, with its settings", () => {
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { armComponents?: Record<string, Record<string, string>> };
    expect(meta.armComponents?.karpenter).toEqual({
      'burstlab karpenter model (arm karpenter)': expect.any(String),
      'burstlab karpenter model (arm karpenter) settings': expect.stringMatching(/^batchIdleDuration=\d+ batchMaxDuration=\d+ /),
    });
    expect(Object.keys(meta.armComponents ?? {})).toEqual(['cluster-autoscaler', 'karpenter']);
  });

  check('leaves no process, no kubeconfig and no partial folder behind', async () => {
    expect(await leftoverProcesses(dir)).toEqual([]);
    for (const arm of readdirSync(join(out, 'arms'))) expect(existsSync(join(out, 'arms', arm, 'cluster', 'kubeconfig'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  check('writes a log that burstlab verify passes', async () => {
    const r = await runCli(['verify', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
