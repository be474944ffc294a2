import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudProviderError, InsufficientCapacityError } from '../../provisioner/cloudprovider/cloud-provider.js';
import { AwsCloudProvider } from '../../harness/targets/eks/aws-cloud-provider.js';
import { launchFleet, subnetsByZone } from '../../harness/targets/eks/fleet.js';
import { RUN_TAG, NODE_TAG, NODEPOOL_TAG, tagFilter } from '../../harness/targets/eks/tags.js';
import { awsProvider, launchTemplate, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { describeCloudProviderContract, contractRequest } from '../support/cloud-provider-contract.js';
import { startEc2FaultProxy, type Ec2FaultProxy } from '../support/ec2-fault-proxy.js';
import { clientConfig, type Moto } from '../support/moto-server.js';

// moto (the AWS API emulator) serves EC2; the fault proxy in front of it answers what moto cannot: capacity
// refusals and throttling, in EC2's wire format (test/support/ec2-fault-proxy.ts).
let moto: Moto | undefined;
let proxy: Ec2FaultProxy | undefined;
let ec2: EC2Client | undefined;

function clients(): { moto: Moto; proxy: Ec2FaultProxy; ec2: EC2Client } {
  if (!moto || !proxy || !ec2) throw new Error('moto did not start');
  return { moto, proxy, ec2 };
}

async function freshAccount(short: readonly string[] = []): Promise<AwsCloudProvider> {
  const c = clients();
  await c.moto.reset();
  c.proxy.short.clear();
  for (const s of short) c.proxy.short.add(s);
  return awsProvider(c.ec2, 'run-1');
}

describe.skipIf(skipAws)('the EC2 CloudProvider against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    proxy = await startEc2FaultProxy(moto.endpoint);
    ec2 = new EC2Client(clientConfig(proxy.endpoint));
  }, 90_000);

  afterAll(async () => {
    ec2?.destroy();
    await proxy?.close();
    await moto?.stop();
  });

  describeCloudProviderContract('EC2 on moto', async (short) => ({ cloud: await freshAccount(short), settle: async () => {} }));

  describe('launches', () => {
    beforeEach(async () => void (await clients().moto.reset()));

    it('launches one instance from a fleet with several overrides, into the subnet of the override EC2 chose', async () => {
      const { ec2 } = clients();
      const template = await launchTemplate(ec2);
      const subnets = await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]);
      const overrides = [
        { type: 'c5.large', zone: 'us-east-1b', subnetId: subnets['us-east-1b']![0]! },
        { type: 'm5.large', zone: 'us-east-1c', subnetId: subnets['us-east-1c']![0]! },
      ];
      const result = await launchFleet(ec2, { launchTemplate: template, capacityType: 'spot', overrides, tags: [{ Key: RUN_TAG, Value: 'r' }], clientToken: 't-1' });
      expect(result.errors).toEqual([]);
      expect(result.instances).toHaveLength(1);
      const [launched] = result.instances;
      expect(overrides.map((o) => `${o.type}/${o.zone}`)).toContain(`${launched!.type}/${launched!.zone}`);
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched!.instanceId] }));
      expect(described.Reservations?.[0]?.Instances?.[0]?.Placement?.AvailabilityZone).toBe(launched!.zone);
    });

    it('tags the instance with the run, its name and its NodePool, escaping a hostile NodePool name', async () => {
      const { ec2 } = clients();
      const cloud = await awsProvider(ec2, 'run-1');
      await cloud.create(contractRequest('n-1', { owner: 'pool"*\n ü' }));
      const described = await ec2.send(new DescribeInstancesCommand({ Filters: [tagFilter(RUN_TAG, 'run-1')] }));
      const tags = described.Reservations?.[0]?.Instances?.[0]?.Tags ?? [];
      expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toMatchObject({
        [RUN_TAG]: 'run-1', [NODE_TAG]: 'n-1', [NODEPOOL_TAG]: 'pool+22+2A+0A +C3+BC', Name: 'n-1',
      });
    });

    it('sees only its own run\'s instances, not another run\'s in the same account', async () => {
      const { ec2 } = clients();
      const mine = await awsProvider(ec2, 'run-1');
      const subnets = await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]);
      const theirs = new AwsCloudProvider({ ec2, runId: 'run-2', launchTemplate: { name: 'burstlab-nodes' }, subnets, catalog: mine.instanceTypes() });
      await mine.create(contractRequest('n-1'));
      await theirs.create(contractRequest('n-2'));
      expect((await mine.list()).map((i) => i.name)).toEqual(['n-1']);
      expect(await mine.get('n-2')).toBeUndefined();
    });

    it('launches nothing for a name a previous burstlab process of the same run already launched', async () => {
      const { ec2 } = clients();
      const before = await awsProvider(ec2, 'run-1');
      const first = await before.create(contractRequest('n-1'));
      const restarted = new AwsCloudProvider({ ec2, runId: 'run-1', launchTemplate: { name: 'burstlab-nodes' }, subnets: await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]), catalog: [] });
      expect(await restarted.create(contractRequest('n-1', { zone: 'us-east-1c' }))).toMatchObject({ name: 'n-1', zone: first.zone });
      expect(await restarted.list()).toHaveLength(1);
    });

    it('terminates the instance: EC2 then describes it as terminated and the run lists it so', async () => {
      const { ec2 } = clients();
      const cloud = await awsProvider(ec2, 'run-1');
      await cloud.create(contractRequest('n-1'));
      await cloud.delete('n-1', 'test');
      expect(await cloud.get('n-1')).toMatchObject({ state: 'terminated' });
      expect((await cloud.list()).map((i) => i.state)).toEqual(['terminated']);
    });
  });

  describe('errors', () => {
    it('maps a fleet\'s InsufficientInstanceCapacity to InsufficientCapacityError, and another offering then launches', async () => {
      const cloud = await freshAccount(['m5.large/us-east-1a/spot']);
      const err = await cloud.create(contractRequest('n-1', { capacityType: 'spot' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientCapacityError);
      expect((err as Error).cause).toMatchObject({ name: 'InsufficientInstanceCapacity' });
      const fallback = await cloud.create(contractRequest('n-1', { capacityType: 'spot', zone: 'us-east-1b' }));
      expect(fallback).toMatchObject({ type: 'm5.large', zone: 'us-east-1b', capacityType: 'spot' });
    });

    it('maps EC2 throttling (RequestLimitExceeded) to a retryable CloudProviderError, and the retry launches', async () => {
      const cloud = await freshAccount();
      clients().proxy.refuseNext('CreateFleet', 1, 'RequestLimitExceeded');
      const err = await cloud.create(contractRequest('n-1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CloudProviderError);
      expect(err).toMatchObject({ operation: 'create', target: 'n-1', retryable: true });
      expect(await cloud.create(contractRequest('n-1'))).toMatchObject({ name: 'n-1' });
    });

    it('maps a refusal that retrying cannot fix (an unknown launch template) to a CloudProviderError that is not retryable', async () => {
      const cloud = await freshAccount();
      clients().proxy.refuseNext('CreateFleet', 1, 'InvalidLaunchTemplateName.NotFoundException', 400);
      const err = await cloud.create(contractRequest('n-1')).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'CloudProviderError', retryable: false });
    });

    it('maps a throttled termination to a retryable CloudProviderError for delete', async () => {
      const cloud = await freshAccount();
      await cloud.create(contractRequest('n-1'));
      clients().proxy.refuseNext('TerminateInstances', 1, 'RequestLimitExceeded');
      const err = await cloud.delete('n-1', 'test').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'CloudProviderError', operation: 'delete', retryable: true });
      expect(await cloud.get('n-1')).toMatchObject({ state: 'running' });
    });
  });
});
