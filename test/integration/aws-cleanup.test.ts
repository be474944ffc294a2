import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupRun } from '../../harness/targets/eks/cleanup.js';
import { RUN_TAG, tagFilter } from '../../harness/targets/eks/tags.js';
import { awsProvider, launchTemplate, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { contractRequest } from '../support/cloud-provider-contract.js';
import type { Moto } from '../support/moto-server.js';

let moto: Moto | undefined;
let ec2: EC2Client | undefined;

function server(): { moto: Moto; ec2: EC2Client } {
  if (!moto || !ec2) throw new Error('moto did not start');
  return { moto, ec2 };
}

/** The instances tagged with the run, by state. */
async function statesOf(runId: string): Promise<Record<string, string>> {
  const out = await server().ec2.send(new DescribeInstancesCommand({ Filters: [tagFilter(RUN_TAG, runId)] }));
  const states: Record<string, string> = {};
  for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) states[i.InstanceId ?? '?'] = i.State?.Name ?? '?';
  return states;
}

/** Runs test/support/aws-launch-child.ts and SIGKILLs it once it has launched `n` instances (or after 60 s). */
async function killMidLaunch(runId: string, n: number): Promise<string[]> {
  const child = spawn(process.execPath, [
    '--import', new URL('../support/ts-worker-hooks/register.mjs', import.meta.url).pathname,
    new URL('../support/aws-launch-child.ts', import.meta.url).pathname, server().moto.endpoint, runId,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const launched: string[] = [];
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      launched.push(line);
      if (launched.length >= n) break;
    }
  } finally {
    child.kill('SIGKILL');
    clearTimeout(timer);
    await exited;
  }
  if (launched.length < n) throw new Error(`the runner launched ${launched.length} of ${n} before it ended:\n${stderr}`);
  return launched;
}

describe.skipIf(skipAws)('cleanup of a run against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));
  beforeEach(async () => void (await server().moto.reset()));

  it('leaves no instance of a runner SIGKILLed mid-launch running, and touches no other run\'s', async () => {
    const { ec2 } = server();
    await launchTemplate(ec2);
    const other = await awsProvider(ec2, 'run-other');
    await other.create(contractRequest('keep-me'));
    const launched = await killMidLaunch('run-crashed', 3);
    const before = await statesOf('run-crashed');
    expect(Object.values(before).filter((s) => s === 'running').length).toBeGreaterThanOrEqual(launched.length);

    const report = await cleanupRun(ec2, 'run-crashed');

    expect(report.instances.sort()).toEqual(Object.keys(before).sort());
    expect(Object.values(await statesOf('run-crashed')).every((s) => s === 'terminated' || s === 'shutting-down')).toBe(true);
    expect(Object.values(await statesOf('run-other'))).toEqual(['running']);
  }, 90_000);

  it('finds nothing to do the second time', async () => {
    const { ec2 } = server();
    const cloud = await awsProvider(ec2, 'run-1');
    await cloud.create(contractRequest('n-1'));
    expect((await cleanupRun(ec2, 'run-1')).instances).toHaveLength(1);
    expect(await cleanupRun(ec2, 'run-1')).toEqual({ instances: [] });
  });

  it('matches the run id exactly: a run id with a wildcard removes no other run\'s instances', async () => {
    const { ec2 } = server();
    const cloud = await awsProvider(ec2, 'run-1');
    await cloud.create(contractRequest('n-1'));
    expect(await cleanupRun(ec2, 'run-*')).toEqual({ instances: [] });
    expect(Object.values(await statesOf('run-1'))).toEqual(['running']);
  });
});
