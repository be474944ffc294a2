import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceArn, instanceIdOf, launchLatencyMs, liveSpotPrices, nodeFacts, spotPricingNote } from '../../harness/targets/eks/node-facts.js';
import { awsProvider, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { contractRequest } from '../support/cloud-provider-contract.js';
import { MOTO_ACCOUNT, type Moto } from '../support/moto-server.js';

let moto: Moto | undefined;
let ec2: EC2Client | undefined;

function client(): EC2Client {
  if (!ec2) throw new Error('moto did not start');
  return ec2;
}

describe.skipIf(skipAws)('node facts and live prices from EC2, against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));

  it("joins nodes to their instances by providerID: id, type, zone, lifecycle and EC2's launch time", async () => {
    const cloud = await awsProvider(client(), 'run-1');
    await cloud.create(contractRequest('spot-1', { capacityType: 'spot', zone: 'us-east-1b' }));
    await cloud.create(contractRequest('od-1'));
    const spotId = (await cloud.instanceId('spot-1'))!;
    const odId = (await cloud.instanceId('od-1'))!;

    const facts = await nodeFacts(client(), [
      { name: 'node-a', providerId: `aws:///us-east-1b/${spotId}` },
      { name: 'node-b', providerId: `aws:///us-east-1a/${odId}` },
      { name: 'kind-node', providerId: 'kind://docker/kind/kind-worker' },
      { name: 'gone', providerId: 'aws:///us-east-1a/i-0123456789abcdef0' },
    ]);

    expect(facts.map(({ launchTime: _t, ...f }) => f)).toEqual([
      { node: 'node-a', instanceId: spotId, type: 'm5.large', zone: 'us-east-1b', capacityType: 'spot', account: MOTO_ACCOUNT },
      { node: 'node-b', instanceId: odId, type: 'm5.large', zone: 'us-east-1a', capacityType: 'on-demand', account: MOTO_ACCOUNT },
    ]);
    expect(facts.every((f) => typeof f.launchTime === 'number')).toBe(true);
    expect(launchLatencyMs(facts[0]!, facts[0]!.launchTime! + 42_000)).toBe(42_000);
  });

  it('names an instance by the ARN FIS targets take, in its region\'s partition', () => {
    expect(instanceArn('us-east-1', { account: MOTO_ACCOUNT, instanceId: 'i-0abc' })).toBe(`arn:aws:ec2:us-east-1:${MOTO_ACCOUNT}:instance/i-0abc`);
    expect(instanceArn('cn-north-1', { account: MOTO_ACCOUNT, instanceId: 'i-0abc' })).toBe(`arn:aws-cn:ec2:cn-north-1:${MOTO_ACCOUNT}:instance/i-0abc`);
    expect(instanceArn('us-east-1', { account: undefined, instanceId: 'i-0abc' })).toBeUndefined();
  });

  it('reads the latest Spot price per zone of the types seen, and says in the report header that they are live', async () => {
    const asOf = new Date();
    const live = await liveSpotPrices(client(), ['m5.large'], asOf);
    expect(live.prices.size).toBeGreaterThan(0);
    for (const [key, price] of live.prices) {
      expect(key).toMatch(/^m5\.large\/us-east-1[a-f]$/);
      expect(price).toBeGreaterThan(0);
    }
    expect(spotPricingNote(live, 'modelled: x')).toMatch(/^live: EC2 DescribeSpotPriceHistory \(Linux\/UNIX\) at .*, \d+ type x zone offering\(s\)/);
  });

  it('falls back to the modelled prices, and says so, when no type was seen', async () => {
    const live = await liveSpotPrices(client(), [], new Date());
    expect(spotPricingNote(live, 'modelled: per family')).toMatch(/^modelled: per family \(DescribeSpotPriceHistory returned no price/);
  });
});

describe('providerID parsing', () => {
  it('takes the instance id from an EKS providerID and nothing from another provider\'s', () => {
    expect([instanceIdOf('aws:///us-east-1a/i-0abc123'), instanceIdOf('kind://docker/kind/x'), instanceIdOf(undefined)]).toEqual(['i-0abc123', undefined, undefined]);
  });
});
