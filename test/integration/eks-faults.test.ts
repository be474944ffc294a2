/**
 * A game day on EKS with one fault, end to end through the CLI: moto stands in for AWS and a kwok control plane for
 * the EKS cluster, its nodes carrying the providerIDs (`aws:///<zone>/<instance id>`) of instances launched in moto.
 * The run must create the fault's FIS template naming only instances behind the cluster's nodes, start and watch
 * the experiment, stop it and delete the template at the end, and log the chaos events with the node it hit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { GetExperimentCommand, ListExperimentsCommand, ListExperimentTemplatesCommand, type FisClient } from '@aws-sdk/client-fis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Results } from '../../harness/metrics/results.js';
import { parseJsonl } from '../../harness/recorder/jsonl.js';
import { main } from '../../harness/runner/cli.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { RUN_TAG } from '../../harness/targets/eks/tags.js';
import { kwokNode, KWOK_TAINT } from '../../harness/targets/kwok-nodes.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { clusterSpotInstance, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { startKwokFixture, type KwokFixture } from '../support/kwok-cluster.js';
import { killLeftovers } from '../support/leftovers.js';
import { recordingParts } from '../support/live-parts.js';
import { FAKE_CREDENTIALS, type Moto } from '../support/moto-server.js';

const skip = (inject('kwokToolsError') !== '' || skipAws) && !process.env.CI;
const SCENARIO = 'test/integration/fixtures/eks-faults.yaml';
const RUN_ID = 'eks-faults-1';
const FIS_ROLE = 'arn:aws:iam::123456789012:role/burstlab-fis';

describe.skipIf(skip)('burstlab run --target eks with a fault, against moto and a kwok control plane', () => {
  let moto: Moto | undefined;
  let f: KwokFixture | undefined;
  let ec2: EC2Client | undefined;
  let fis: FisClient | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-eks-faults-'));
  /** Node name -> instance id, for the cluster's nodes whose instances carry the run tag. */
  const tagged = new Map<string, string>();
  let untaggedNode = '';
  let bystander = '';

  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
    fis = moto.fis();
    f = await startKwokFixture();
    // Three Spot nodes of the cluster, untainted so the run's (real-mode) pods land on them, two of them on instances
    // carrying the run tag; and an instance of the account that is no node of the cluster. The fault hits every Spot
    // node: only the two run-tagged instances may be named.
    for (const [i, zone] of ['us-east-1a', 'us-east-1b', 'us-east-1a'].entries()) {
      const runTagged = i < 2;
      const id = await clusterSpotInstance(ec2, zone, 'eks-faults', runTagged ? RUN_ID : undefined);
      const name = `spot-${i}`;
      if (runTagged) tagged.set(name, id);
      else untaggedNode = id;
      const node = kwokNode({ name, instanceType: 'm5.large', zone, capacityType: 'spot', arch: 'amd64', nodepool: 'default', cpuMilli: 2_000, memoryMiB: 8_192, maxPods: 110, pricePerHour: 0.04 });
      node.spec = { ...node.spec, providerID: `aws:///${zone}/${id}`, taints: (node.spec?.taints ?? []).filter((t) => t.key !== KWOK_TAINT.key) };
      await f.client.createNodes([node]);
    }
    bystander = await clusterSpotInstance(ec2, 'us-east-1a', 'eks-faults', RUN_ID);
  }, 120_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await f?.stop();
    if (f) await killLeftovers(f.dir);
    if (f) rmSync(f.dir, { recursive: true, force: true });
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('injects the Spot interruption through FIS on the run-tagged instances behind cluster nodes only, logs it, and leaves no experiment or template', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', FAKE_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', FAKE_CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    vi.stubEnv('BURSTLAB_STATE_DIR', join(dir, 'state'));
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => void (stderr += s) }, signal: new AbortController().signal, liveParts: recordingParts().parts };
    const out = join(dir, 'run');
    const cluster = f!.client.kubeconfig.getCurrentCluster()!.name;
    const code = await main([
      'run', SCENARIO, '--target', 'eks', '--kubeconfig', f!.plane.kubeconfigPath, '--allow-chaos', cluster, '--aws-endpoint', moto!.endpoint,
      '--fis-role-arn', FIS_ROLE, '--run-id', RUN_ID, '--out', out, '--quiet',
    ], io);
    expect(code, stderr).toBe(0);

    const experiments = (await fis!.send(new ListExperimentsCommand({}))).experiments ?? [];
    expect(experiments).toHaveLength(1);
    const experiment = (await fis!.send(new GetExperimentCommand({ id: experiments[0]!.id }))).experiment!;
    expect(experiment.tags?.[RUN_TAG]).toBe(RUN_ID);
    expect(['stopped', 'completed']).toContain(experiment.state?.status);
    const arns = Object.values(experiment.targets ?? {}).flatMap((t) => t.resourceArns ?? []);
    expect(arns.map((a) => a.split('/').pop()).sort()).toEqual([...tagged.values()].sort());
    expect(arns.every((a) => a.startsWith('arn:aws:ec2:us-east-1:'))).toBe(true);
    expect(Object.values(experiment.targets ?? {}).every((t) => t.selectionMode === 'ALL' && Object.keys(t.resourceTags ?? {}).length === 0)).toBe(true);
    expect(arns.join()).not.toContain(bystander);
    expect(arns.join()).not.toContain(untaggedNode);
    expect((await fis!.send(new ListExperimentTemplatesCommand({}))).experimentTemplates ?? []).toEqual([]);

    const events = parseJsonl(readFileSync(join(out, 'events.jsonl'), 'utf8')) as RunEvent[];
    expect(events.find((e) => e.type === 'chaos.planned')).toMatchObject({ id: 'faults[0]', fault: 'spot-interruption', atT: 8_000 });
    const injected = events.find((e) => e.type === 'chaos.injected');
    expect(injected).toMatchObject({ id: 'faults[0]', targets: [...tagged.keys()], detail: expect.stringContaining(`1 matching node(s) left out: their instances do not carry ${RUN_TAG}=${RUN_ID}`) });
    expect(injected?.t).toBeGreaterThanOrEqual(8_000);
    expect(events.find((e) => e.type === 'chaos.recovered')).toMatchObject({ id: 'faults[0]', detail: expect.stringContaining(experiment.id!) });

    const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
    expect(meta.target).toBe('eks');
    expect(meta.eks?.nodes.map((n) => n.node)).toEqual(['spot-0', 'spot-1', 'spot-2']);
    expect(meta.eks?.nodes.find((n) => n.node === 'spot-0')).toMatchObject({ instanceId: tagged.get('spot-0'), capacityType: 'spot', zone: 'us-east-1a', type: 'm5.large' });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.scenario.target).toBe('eks');
    expect(results.pricing.spot).toMatch(/^live: EC2 DescribeSpotPriceHistory|DescribeSpotPriceHistory returned no price/);
  }, 90_000);
});
