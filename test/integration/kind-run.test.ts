import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { kindBinary } from '../../harness/targets/kind/cluster.js';
import { armClusterName } from '../../harness/targets/kind/execute-kind.js';
import { portIsFree } from '../../harness/targets/kwok/ports.js';
import { kindDir } from '../../harness/targets/kwok/tools.js';
import { runCli } from '../support/cli.js';

// As kind-cluster.test.ts: needs a Docker daemon and the offline node image (test/support/ensure-kind.sh), so it runs
// when BURSTLAB_KIND_TESTS=1. About 5 minutes with the images cached.
const enabled = process.env.BURSTLAB_KIND_TESTS === '1';
// kind/ensure-docker.sh's private daemon: its pidfile is there while it runs.
const DOCKER_DIR = process.env.BURSTLAB_DOCKER_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'burstlab', 'docker');
const PRIVATE_PIDFILE = join(DOCKER_DIR, 'dockerd.pid');

function bridges(): string[] {
  return spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(':')[1]?.trim() ?? '').filter((n) => n.startsWith('br-'));
}

function readEvents(dir: string): RunEvent[] {
  return readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
}

describe.skipIf(!enabled)('burstlab run --target kind (set BURSTLAB_KIND_TESTS=1 after test/support/ensure-kind.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-kind-run-'));
  const out = join(dir, 'run');
  const bridgesBefore = bridges();

  afterAll(() => {
    // Whatever a failed run left: its cluster, then the private dockerd.
    if (existsSync(PRIVATE_PIDFILE)) {
      const host = `unix://${join(DOCKER_DIR, 'docker.sock')}`;
      spawnSync(kindBinary(), ['delete', 'cluster', '--name', armClusterName(0)], { env: { ...process.env, DOCKER_HOST: host }, timeout: 120_000 });
      spawnSync('bash', [join(kindDir(), 'ensure-docker.sh'), 'down'], { timeout: 60_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('plays kind-small with real pods on nodes the bundled provisioner added, writes a run verify passes, and leaves nothing running', async () => {
    const run = await runCli(['run', 'scenarios/kind-small.yaml', '--target', 'kind', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { target: string };
    expect(meta.target).toBe('kind');
    expect(existsSync(join(out, 'results.json'))).toBe(true);

    const events = readEvents(out);
    const launched = new Map(events.flatMap((e) => (e.type === 'node.launched' ? [[e.node, e] as const] : [])));
    // Every node the run saw is a kind worker of the NodePool: the control plane is tainted and takes no pod.
    const poolNodes = [...launched.values()].filter((e) => e.owner === 'small').map((e) => e.node);
    expect(poolNodes.length).toBeGreaterThanOrEqual(2);
    const scheduled = events.flatMap((e) => (e.type === 'pod.scheduled' ? [e] : []));
    const ready = new Set(events.flatMap((e) => (e.type === 'pod.ready' ? [e.pod] : [])));
    expect(ready.size).toBe(5);
    for (const e of scheduled) expect(poolNodes).toContain(e.node);
    // The release at 20 s needed a node launched in the run, not only the one of the warm-up.
    expect([...launched.values()].some((e) => e.owner === 'small' && e.t > 20_000)).toBe(true);

    const verify = await runCli(['verify', out]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // Teardown: the API server's port free, the private dockerd stopped, its kind network's bridge gone.
    const config = parse(readFileSync(join(out, 'arms', 'karpenter', 'cluster', 'kind-config.yaml'), 'utf8')) as { networking: { apiServerPort: number } };
    expect(await portIsFree(config.networking.apiServerPort)).toBe(true);
    expect(existsSync(join(out, 'arms', 'karpenter', 'cluster', 'kubeconfig'))).toBe(false);
    expect(existsSync(PRIVATE_PIDFILE)).toBe(false);
    expect(bridges()).toEqual(bridgesBefore);
  }, 1_500_000);
});
