import type { EC2Client } from '@aws-sdk/client-ec2';
import type { FisClient } from '@aws-sdk/client-fis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanupRun } from '../../harness/targets/eks/cleanup.js';
import { EksSession, type RunCleanup } from '../../harness/targets/eks/eks-session.js';
import { readMarker } from '../../harness/targets/eks/run-markers.js';
import { writeEksKubeconfig } from '../support/eks-kubeconfig.js';
import { runCli } from '../support/cli.js';
import { FAKE_CREDENTIALS } from '../support/moto-server.js';
import { tempDirs } from '../support/temp-dirs.js';
import { allGone, fisLeftovers as leftovers, killMidLaunch, statesOf as states } from '../support/aws-crash.js';
import { awsProvider, launchTemplate, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { contractRequest } from '../support/cloud-provider-contract.js';
import type { Moto } from '../support/moto-server.js';

let moto: Moto | undefined;
let ec2: EC2Client | undefined;
let fis: FisClient | undefined;

function server(): { moto: Moto; ec2: EC2Client; fis: FisClient } {
  if (!moto || !ec2 || !fis) throw new Error('moto did not start');
  return { moto, ec2, fis };
}

const tempDir = tempDirs('burstlab-eks-state-');
const fisLeftovers = (runId: string): ReturnType<typeof leftovers> => leftovers(server().fis, runId);
const statesOf = (runId: string): ReturnType<typeof states> => states(server().ec2, runId);

describe.skipIf(skipAws)('cleanup of a run against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
    fis = moto.fis();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));
  beforeEach(async () => void (await server().moto.reset()));
  afterEach(() => void vi.unstubAllEnvs());

  it('finds nothing to do the second time', async () => {
    const { ec2 } = server();
    const cloud = await awsProvider(ec2, 'run-1');
    await cloud.create(contractRequest('n-1'));
    expect((await cleanupRun(server(), 'run-1')).instances).toHaveLength(1);
    expect(await cleanupRun(server(), 'run-1')).toEqual({ instances: [], fis: { stopped: [], deleted: [] } });
  });

  it('matches the run id exactly: a run id with a wildcard removes no other run\'s instances', async () => {
    const { ec2 } = server();
    const cloud = await awsProvider(ec2, 'run-1');
    await cloud.create(contractRequest('n-1'));
    expect((await cleanupRun(server(), 'run-*')).instances).toEqual([]);
    expect(Object.values(await statesOf('run-1'))).toEqual(['running']);
  });

  it("removes what a game day SIGKILLed mid-experiment left, found from its marker alone, with burstlab cleanup --run, and touches no other run's", async () => {
    const { ec2, moto } = server();
    const state = tempDir();
    await launchTemplate(ec2);
    const other = await awsProvider(ec2, 'run-other');
    await other.create(contractRequest('keep-me'));
    const launched = await killMidLaunch(moto.endpoint, 'gd-crashed', 2, state);
    expect(readMarker(state, 'gd-crashed')).toMatchObject({ runId: 'gd-crashed', region: 'us-east-1', clusterName: 'game-day' });
    const before = await statesOf('gd-crashed');
    expect(Object.values(before).filter((st) => st === 'running').length).toBeGreaterThanOrEqual(launched.length);
    const fisBefore = await fisLeftovers('gd-crashed');
    expect(fisBefore.going).toHaveLength(1);
    vi.stubEnv('BURSTLAB_STATE_DIR', state);
    vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CREDENTIALS.secretAccessKey);

    const { code, stdout, stderr } = await runCli(['cleanup', '--run', 'gd-crashed', '--target', 'eks', '--aws-endpoint', moto.endpoint]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`EC2 instances terminated: ${Object.keys(before).sort().join(', ')}`);
    expect(stdout).toContain(`FIS experiments stopped: ${fisBefore.going.join(', ')}`);
    expect(stdout).toContain(`FIS templates deleted: ${fisBefore.templates.join(', ')}`);
    expect(await fisLeftovers('gd-crashed')).toEqual({ templates: [], going: [] });
    expect(allGone(await statesOf('gd-crashed'))).toBe(true);
    expect(readMarker(state, 'gd-crashed')).toBeUndefined();
    expect(Object.values(await statesOf('run-other'))).toEqual(['running']);
  }, 180_000);

  it("has the next start clean up a SIGKILLed run it finds by its marker before marking its own, and its own end remove it", async () => {
    const { ec2, fis, moto } = server();
    const state = tempDir();
    await launchTemplate(ec2);
    await killMidLaunch(moto.endpoint, 'gd-crashed', 2, state);
    const recovered: RunCleanup[] = [];

    const next = await EksSession.start({
      stateDir: state,
      clientsFor: () => ({ ec2, fis }),
      marker: { runId: 'gd-next', region: 'us-east-1', clusterName: 'game-day', namespace: 'burstlab-gd-next' },
      startedAt: '2026-11-25T13:00:00Z',
      namespaces: () => Promise.resolve('no-kubeconfig'),
      onRecovered: (c) => recovered.push(c),
    });

    expect(recovered.map((c) => [c.runId, c.aws.fis.stopped.length, c.aws.fis.deleted.length])).toEqual([['gd-crashed', 1, 1]]);
    expect(recovered[0]!.aws.instances.length).toBeGreaterThanOrEqual(2);
    expect(await fisLeftovers('gd-crashed')).toEqual({ templates: [], going: [] });
    expect(allGone(await statesOf('gd-crashed'))).toBe(true);
    expect(readMarker(state, 'gd-crashed')).toBeUndefined();
    expect(readMarker(state, 'gd-next')).toMatchObject({ runId: 'gd-next', pid: process.pid });
    await next.end();
    expect(readMarker(state, 'gd-next')).toBeUndefined();
  }, 180_000);

  it('runs --target eks inside the safety envelope: the start cleans up a crashed run, and a run whose cluster cannot be reached keeps its marker for the next', async () => {
    const { ec2, moto } = server();
    const state = tempDir();
    await launchTemplate(ec2);
    await killMidLaunch(moto.endpoint, 'gd-crashed', 1, state);
    const kubeconfig = writeEksKubeconfig(state, 'game-day');
    vi.stubEnv('BURSTLAB_STATE_DIR', state);
    vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CREDENTIALS.secretAccessKey);

    const { code, stderr } = await runCli([
      'run', 'test/integration/fixtures/cluster-target.yaml', '--target', 'eks', '--kubeconfig', kubeconfig, '--allow-chaos', 'game-day',
      '--run-id', 'gd-next', '--aws-endpoint', moto.endpoint, '--out', `${state}/out`, '-q',
    ]);

    expect(stderr).toMatch(/a crashed run was found and cleaned up: gd-crashed \(1 experiment\(s\) stopped, 1 template\(s\) deleted, [1-9]\d* instance\(s\) terminated/);
    expect(code).toBe(3);
    expect(await fisLeftovers('gd-crashed')).toEqual({ templates: [], going: [] });
    expect(allGone(await statesOf('gd-crashed'))).toBe(true);
    expect(stderr).toMatch(/run gd-next: cleanup at its end failed .*its marker is kept/);
    expect(readMarker(state, 'gd-crashed')).toBeUndefined();
    expect(readMarker(state, 'gd-next')).toMatchObject({ runId: 'gd-next', clusterName: 'game-day', context: 'game-day' });
  }, 180_000);
});
