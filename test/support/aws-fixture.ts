import { CreateLaunchTemplateCommand, CreateTagsCommand, DescribeLaunchTemplatesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { inject } from 'vitest';
import { AwsCloudProvider } from '../../harness/targets/eks/aws-cloud-provider.js';
import { subnetsByZone, type LaunchTemplateRef } from '../../harness/targets/eks/fleet.js';
import { RUN_TAG } from '../../harness/targets/eks/tags.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import { testCatalog } from './builders.js';
import { startMoto, type Moto } from './moto-server.js';

const motoServer = inject('motoServer');
const motoError = inject('motoError');

/** Without python3 a developer can still run the rest of the suite; CI must have moto, so there its absence fails. */
export const skipAws = motoError !== '' && !process.env.CI;

/** Starts moto for a test file; throws the global setup's reason when it could not be installed. */
export function startMotoForTests(): Promise<Moto> {
  if (motoError) throw new Error(motoError);
  return startMoto(motoServer);
}

/** A launch template as a user would create it (moto's stock AMI), named in the provider's options; reused if present. */
export async function launchTemplate(ec2: EC2Client, name = 'burstlab-nodes'): Promise<LaunchTemplateRef> {
  const found = await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: [name] }] }));
  if ((found.LaunchTemplates ?? []).length === 0) {
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: 'ami-12c6146b' } }));
  }
  return { name };
}

/** An AwsCloudProvider for `runId` on a fresh launch template, launching into the default subnets of each zone. */
export async function awsProvider(ec2: EC2Client, runId: string, catalog: readonly InstanceType[] = testCatalog().types): Promise<AwsCloudProvider> {
  const template = await launchTemplate(ec2);
  const subnets = await subnetsByZone(ec2, [{ Name: 'default-for-az', Values: ['true'] }]);
  return new AwsCloudProvider({ ec2, runId, launchTemplate: template, subnets, catalog });
}

/**
 * A Spot instance of an EKS cluster as a game day finds it, launched by the cluster's own autoscaler (not burstlab):
 * tagged with the cluster, and with the run tag when `runId` is given (the user's node class adds it for the day).
 */
export async function clusterSpotInstance(ec2: EC2Client, zone: string, cluster: string, runId?: string): Promise<string> {
  const out = await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12c6146b', InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone }, InstanceMarketOptions: { MarketType: 'spot' },
  }));
  const id = out.Instances?.[0]?.InstanceId;
  if (!id) throw new Error('moto launched no instance');
  const tags = [{ Key: `kubernetes.io/cluster/${cluster}`, Value: 'owned' }, ...(runId === undefined ? [] : [{ Key: RUN_TAG, Value: runId }])];
  await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: tags }));
  return id;
}
