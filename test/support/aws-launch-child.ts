/**
 * A runner that starts an FIS experiment, then launches instances until it is killed: `node --import <ts hooks>
 * aws-launch-child.ts <endpoint> <run id>`. Prints `experiment <id>`, then `launched <name> <instance id>` after
 * each launch, so a test can SIGKILL it mid-run.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient } from '@aws-sdk/client-fis';
import { AwsCloudProvider } from '../../harness/targets/eks/aws-cloud-provider.js';
import { FisExperiment } from '../../harness/targets/eks/fis.js';
import { subnetsByZone } from '../../harness/targets/eks/fleet.js';
import { instanceType } from './builders.js';
import { spotInterruptionTemplate } from './fis-templates.js';
import { clientConfig } from './moto-server.js';

const [endpoint, runId] = process.argv.slice(2);
if (!endpoint || !runId) throw new Error('usage: aws-launch-child.ts <endpoint> <run id>');
const ec2 = new EC2Client(clientConfig(endpoint));
const subnets = await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]);
const cloud = new AwsCloudProvider({ ec2, runId, launchTemplate: { name: 'burstlab-nodes' }, subnets, catalog: [] });
const experiment = new FisExperiment(new FisClient(clientConfig(endpoint)), runId, 'spot-1');
await experiment.create(spotInterruptionTemplate(runId), { sloGuard: true });
process.stdout.write(`experiment ${await experiment.start()}\n`);
// Bounded, so a child the test failed to kill still ends.
for (let i = 1; i <= 200; i++) {
  const name = `n-${i}`;
  const type = instanceType('m5.large');
  await cloud.create({
    name, type, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: type.onDemandPrice,
    owner: 'default', ownerKind: 'nodepool', labels: {}, taints: [], path: 'fleet',
  });
  process.stdout.write(`launched ${name} ${(await cloud.instanceId(name)) ?? '?'}\n`);
}
