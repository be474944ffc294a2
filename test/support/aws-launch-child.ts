/**
 * A runner that starts an FIS experiment, then launches instances until it is killed: `node --import <ts hooks>
 * aws-launch-child.ts <endpoint> <run id> [<state dir>]`. With a state dir it runs as a game day does, in an
 * EksSession (its marker written there). Prints `experiment <id>`, then `launched <name> <instance id>` after
 * each launch, so a test can SIGKILL it mid-run.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient } from '@aws-sdk/client-fis';
import { AwsCloudProvider } from '../../harness/targets/eks/aws-cloud-provider.js';
import { EksSession } from '../../harness/targets/eks/eks-session.js';
import { FisExperiment } from '../../harness/targets/eks/fis.js';
import { subnetsByZone } from '../../harness/targets/eks/fleet.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import { spotInterruptionTemplate } from './fis-templates.js';
import { clientConfig } from './moto-server.js';

const [endpoint, runId, stateDir] = process.argv.slice(2);
if (!endpoint || !runId) throw new Error('usage: aws-launch-child.ts <endpoint> <run id> [<state dir>]');
const ec2 = new EC2Client(clientConfig(endpoint));
const fis = new FisClient(clientConfig(endpoint));
const session = stateDir
  ? await EksSession.start({
    stateDir,
    clientsFor: () => ({ ec2, fis }),
    marker: { runId, region: 'us-east-1', clusterName: 'game-day', namespace: `burstlab-${runId}` },
    startedAt: new Date(0).toISOString(),
    namespaces: () => Promise.resolve('no-kubeconfig'),
  })
  : undefined;
const subnets = await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]);
const cloud = new AwsCloudProvider({ ec2, runId, launchTemplate: { name: 'burstlab-nodes' }, subnets, catalog: [] });
const experiment = session ? session.experiment('spot-1') : new FisExperiment(fis, runId, 'spot-1');
await experiment.create(spotInterruptionTemplate(runId), { sloGuard: true });
process.stdout.write(`experiment ${await experiment.start()}\n`);
// Bounded, so a child the test failed to kill still ends.
for (let i = 1; i <= 200; i++) {
  const name = `n-${i}`;
  // The provider reads only the type's name: loading the catalog would slow the runner's start for nothing.
  const type = { name: 'm5.large', onDemandPrice: 0.096 } as InstanceType;
  await cloud.create({
    name, type, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: type.onDemandPrice,
    owner: 'default', ownerKind: 'nodepool', labels: {}, taints: [], path: 'fleet',
  });
  process.stdout.write(`launched ${name} ${(await cloud.instanceId(name)) ?? '?'}\n`);
}
