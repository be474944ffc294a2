import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ListExperimentsCommand, ListExperimentTemplatesCommand, type FisClient } from '@aws-sdk/client-fis';
import { cleanupRun } from '../../harness/targets/eks/cleanup.js';
import { isEnding } from '../../harness/targets/eks/fis.js';
import { RUN_TAG, tagFilter } from '../../harness/targets/eks/tags.js';
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

/** The run's FIS templates, and its experiments neither finished nor stopping. */
async function fisLeftovers(runId: string): Promise<{ templates: string[]; going: string[] }> {
  const { fis } = server();
  const templates = (await fis.send(new ListExperimentTemplatesCommand({}))).experimentTemplates ?? [];
  const experiments = (await fis.send(new ListExperimentsCommand({}))).experiments ?? [];
  return {
    templates: templates.filter((t) => t.tags?.[RUN_TAG] === runId).map((t) => t.id ?? '?'),
    going: experiments.filter((e) => e.tags?.[RUN_TAG] === runId && !isEnding(e.state?.status)).map((e) => e.id ?? '?'),
  };
}

/** The instances tagged with the run, by state. */
async function statesOf(runId: string): Promise<Record<string, string>> {
  const out = await server().ec2.send(new DescribeInstancesCommand({ Filters: [tagFilter(RUN_TAG, runId)] }));
  const states: Record<string, string> = {};
  for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) states[i.InstanceId ?? '?'] = i.State?.Name ?? '?';
  return states;
}

/**
 * Runs test/support/aws-launch-child.ts and SIGKILLs it once it has started its FIS experiment and launched `n`
 * instances (or after 60 s).
 */
async function killMidLaunch(runId: string, n: number): Promise<string[]> {
  const child = spawn(process.execPath, [
    '--import', new URL('../support/ts-worker-hooks/register.mjs', import.meta.url).pathname,
    new URL('../support/aws-launch-child.ts', import.meta.url).pathname, server().moto.endpoint, runId,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let experiment = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const launched: string[] = [];
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('experiment ')) experiment = line;
      else launched.push(line);
      if (launched.length >= n) break;
    }
  } finally {
    child.kill('SIGKILL');
    clearTimeout(timer);
    await exited;
  }
  if (!experiment || launched.length < n) throw new Error(`the runner launched ${launched.length} of ${n} before it ended:\n${stderr}`);
  return launched;
}

describe.skipIf(skipAws)('cleanup of a run against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
    fis = moto.fis();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));
  beforeEach(async () => void (await server().moto.reset()));

  it('leaves no experiment going, no template and no instance of a runner SIGKILLed mid-experiment, and touches no other run\'s', async () => {
    const { ec2 } = server();
    await launchTemplate(ec2);
    const other = await awsProvider(ec2, 'run-other');
    await other.create(contractRequest('keep-me'));
    const launched = await killMidLaunch('run-crashed', 3);
    const before = await statesOf('run-crashed');
    expect(Object.values(before).filter((s) => s === 'running').length).toBeGreaterThanOrEqual(launched.length);
    const fisBefore = await fisLeftovers('run-crashed');
    expect(fisBefore.going).toHaveLength(1);

    const report = await cleanupRun(server(), 'run-crashed');

    expect(report.instances.sort()).toEqual(Object.keys(before).sort());
    expect(report.fis).toEqual({ stopped: fisBefore.going, deleted: fisBefore.templates });
    expect(await fisLeftovers('run-crashed')).toEqual({ templates: [], going: [] });
    expect(Object.values(await statesOf('run-crashed')).every((s) => s === 'terminated' || s === 'shutting-down')).toBe(true);
    expect(Object.values(await statesOf('run-other'))).toEqual(['running']);
  }, 90_000);

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
});
