/**
 * `burstlab run --target cluster` on a cluster burstlab does not own: a kwok control plane where the real Karpenter
 * (its kwok provider) runs as the user's autoscaler, started here as a user would have it. The run measures it as a
 * `kind: external` arm, changes nothing but its own labelled objects, and removes them; a run killed mid-way leaves
 * only labelled objects, which `burstlab cleanup --run <id>` removes.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { CoreV1Api, SchedulingV1Api, type V1Namespace } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Results } from '../../harness/metrics/results.js';
import { parseJsonl } from '../../harness/recorder/jsonl.js';
import { main } from '../../harness/runner/cli.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { RUN_LABEL } from '../../harness/targets/cluster/run-label.js';
import { startUpstreamKarpenter, type UpstreamKarpenter } from '../../harness/targets/live/upstream-karpenter.js';
import { LIVE_NAMESPACE } from '../../harness/targets/live/seams.js';
import { waitUntil } from '../../harness/targets/wait.js';
import { formatViolation } from '../../harness/verify/violation.js';
import { verifyEvents } from '../../harness/verify/verify.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { Random } from '../../provisioner/runtime/random.js';
import { loadScenario } from '../../scenarios/load.js';
import { killLeftovers } from '../support/leftovers.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';

const toolsError = inject('kwokToolsError');
const karpenterError = inject('karpenterKwokError');
const skip = (toolsError !== '' || inject('karpenterKwokGoMissing')) && !process.env.CI;

const SCENARIO = 'test/integration/fixtures/cluster-target.yaml';
/** How the user's Karpenter is set up: its NodePool and node class, from the karpenter-upstream fixture. */
const USER_KARPENTER = join(import.meta.dirname, 'fixtures', 'karpenter-upstream.yaml');
const REPO = resolve('.');
const PEAK = 12;

describe.skipIf(skip)('burstlab run --target cluster against the real Karpenter as the user\'s autoscaler', () => {
  let f: KwokFixture | undefined;
  let karpenter: UpstreamKarpenter | undefined;
  let failed = false;
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (s: string) => void (stderr += s) }, signal: new AbortController().signal };

  beforeAll(async () => {
    if (toolsError) throw new Error(toolsError);
    if (karpenterError) throw new Error(karpenterError);
    f = await startKwokFixture('user');
    const user = await loadScenario(USER_KARPENTER);
    karpenter = await startUpstreamKarpenter(
      { kubeconfigPath: f.plane.kubeconfigPath, scenario: user, clock: f.clock, random: new Random(1), recorder: { emit: () => undefined }, speed: 1, logDir: f.dir },
      user.autoscalers[0]!,
    );
  }, 300_000);

  afterAll(async () => {
    await karpenter?.stop();
    await f?.stop();
    if (f) await killLeftovers(f.dir);
    if (f && !failed) rmSync(f.dir, { recursive: true, force: true });
    else if (f) {
      writeFileSync(join(f.dir, 'cli-stderr.txt'), stderr);
      process.stderr.write(`[cluster-target] logs kept in ${f.dir}\n`);
    }
  }, 120_000);

  const check = (name: string, fn: () => Promise<void>, timeout: number): void => {
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        failed = true;
        throw err;
      }
    }, timeout);
  };

  const labelled = async (runId: string): Promise<string[]> => {
    const kc = f!.client.kubeconfig;
    const labelSelector = `${RUN_LABEL}=${runId}`;
    const ns = (await kc.makeApiClient(CoreV1Api).listNamespace({ labelSelector })).items.map((n) => `Namespace ${n.metadata?.name}`);
    const pcs = (await kc.makeApiClient(SchedulingV1Api).listPriorityClass({ labelSelector })).items.map((p) => `PriorityClass ${p.metadata?.name}`);
    return [...ns, ...pcs];
  };

  check('measures the Karpenter it found as the external arm, records its versions, and removes everything it created', async () => {
    const out = join(f!.dir, 'run');
    const nodesBefore = new Set(f!.watch.nodes.list().map((n) => n.metadata?.name));
    const code = await main(['run', SCENARIO, '--target', 'cluster', '--kubeconfig', f!.plane.kubeconfigPath, '--kwok-pods', '--out', out, '--quiet'], io);
    expect(code, stderr).toBe(0);

    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
    expect(meta.target).toBe('cluster');
    expect(meta.runId).toMatch(/^cluster-target-\d{8}t\d{6}-[0-9a-f]{4}$/);
    expect(meta.armComponents?.['user-karpenter']).toMatchObject({
      'karpenter (arm user-karpenter) found': 'CRDs nodepools.karpenter.sh, nodeclaims.karpenter.sh',
      // Run as a process, not a Deployment: found, but its version cannot be read from the cluster.
      'karpenter (arm user-karpenter)': 'unknown',
    });

    const events = parseJsonl(readFileSync(join(out, 'events.jsonl'), 'utf8')) as RunEvent[];
    expect(events[0]).toMatchObject({ type: 'run.started', target: 'cluster', kind: 'external', autoscaler: 'user-karpenter' });
    const claims = events.filter((e) => e.type === 'claim.created');
    expect(claims.length, 'the user\'s Karpenter made NodeClaims for the burst').toBeGreaterThan(0);
    const launched = events.filter((e): e is Extract<RunEvent, { type: 'node.launched' }> => e.type === 'node.launched' && !e.initial);
    expect(launched.length).toBeGreaterThan(0);
    expect(launched.every((e) => e.pricePerHour > 0)).toBe(true);
    expect(events.filter((e) => e.type === 'pod.ready').length).toBeGreaterThanOrEqual(PEAK);
    expect(verifyEvents(events).violations.map(formatViolation)).toEqual([]);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.scenario.target).toBe('cluster');
    expect(results.autoscalers.map((a) => a.name)).toEqual(['user-karpenter']);

    // Nothing of the run is left, and it deleted no node: the user's Karpenter owns them.
    expect(await labelled(meta.runId!)).toEqual([]);
    expect((await f!.client.core.listNamespace()).items.map((n: V1Namespace) => n.metadata?.name)).not.toContain(LIVE_NAMESPACE);
    const nodesAfter = new Set(f!.watch.nodes.list().map((n) => n.metadata?.name));
    for (const n of nodesBefore) expect(nodesAfter.has(n), `node ${n} still there`).toBe(true);
  }, 600_000);

  check('a run killed mid-way (SIGKILL) leaves only labelled objects, and cleanup --run removes exactly them', async () => {
    const out = join(f!.dir, 'killed');
    const args = ['--import', './test/support/ts-worker-hooks/register.mjs', 'test/support/cluster-cli.ts', 'run', SCENARIO, '--target', 'cluster', '--kubeconfig', f!.plane.kubeconfigPath, '--kwok-pods', '--out', out];
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let childErr = '';
    child.stderr!.on('data', (c: Buffer) => (childErr += c.toString()));
    const exited = new Promise<number>((done) => child.once('exit', (code, signal) => done(code ?? 128 + constants.signals[signal!])));
    let runId = '';
    try {
      // Killed once its pods exist, while the user's Karpenter is launching nodes for them.
      await waitUntil('the run\'s pods', () => {
        runId = /run id (\S+)/.exec(childErr)?.[1] ?? '';
        return runId !== '' && f!.watch.pods.list(LIVE_NAMESPACE).length > 0;
      }, 240_000, () => childErr, 200);
    } finally {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }
    expect(await exited).toBe(128 + constants.signals.SIGKILL);
    await killLeftovers(out);

    expect((await labelled(runId)).sort()).toEqual(['Namespace burstlab', 'PriorityClass burstlab-test-web']);
    let cleanupOut = '';
    const cleanupIo = { ...io, stdout: { write: (s: string) => void (cleanupOut += s) } };
    expect(await main(['cleanup', '--run', runId, '--kubeconfig', f!.plane.kubeconfigPath], cleanupIo)).toBe(0);
    expect(cleanupOut).toContain('deleted Namespace burstlab, PriorityClass burstlab-test-web');
    expect(await labelled(runId)).toEqual([]);
    // Idempotent: nothing is left to delete.
    cleanupOut = '';
    expect(await main(['cleanup', '--run', runId, '--kubeconfig', f!.plane.kubeconfigPath], cleanupIo)).toBe(0);
    expect(cleanupOut).toContain('nothing labelled');
  }, 600_000);
});
