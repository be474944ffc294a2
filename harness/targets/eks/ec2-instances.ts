import { DescribeInstancesCommand, TerminateInstancesCommand, type EC2Client, type Filter, type Instance } from '@aws-sdk/client-ec2';
import type { CloudInstance } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { NODE_TAG, tagValue } from './tags.js';

/** An EC2 instance burstlab launched, as read back from DescribeInstances. */
export interface Ec2Instance extends CloudInstance {
  instanceId: string;
  /** Epoch ms; node launch latency is measured from it on a live target. */
  launchTime: number | undefined;
}

/** EC2's instance states in the CloudProvider's four: a stopping or stopped instance is no longer a usable node. */
const STATES: Record<string, CloudInstance['state']> = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'shutting-down',
  stopping: 'shutting-down',
  stopped: 'shutting-down',
  terminated: 'terminated',
};

export function fromEc2(i: Instance): Ec2Instance | undefined {
  const name = tagValue(i.Tags, NODE_TAG);
  if (!name || !i.InstanceId) return undefined;
  return {
    name,
    instanceId: i.InstanceId,
    type: i.InstanceType ?? '',
    zone: i.Placement?.AvailabilityZone ?? '',
    capacityType: i.InstanceLifecycle === 'spot' ? 'spot' : i.InstanceLifecycle === 'capacity-block' ? 'reserved' : 'on-demand',
    state: STATES[i.State?.Name ?? ''] ?? 'pending',
    launchTime: i.LaunchTime?.getTime(),
  };
}

/** Every instance the filters match that carries a node tag, all pages, in launch order (then by name). */
export async function describeInstances(ec2: EC2Client, filters: Filter[]): Promise<Ec2Instance[]> {
  const out: Ec2Instance[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, NextToken: token }));
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        const instance = fromEc2(i);
        if (instance) out.push(instance);
      }
    }
    token = page.NextToken;
  } while (token);
  return out.sort((a, b) => (a.launchTime ?? 0) - (b.launchTime ?? 0) || a.name.localeCompare(b.name) || a.instanceId.localeCompare(b.instanceId));
}

/** EC2 accepts at most this many ids in one TerminateInstances call. */
const TERMINATE_BATCH = 1000;

/** Terminates the instances, in batches; an id EC2 no longer knows is already gone, which is what was asked. */
export async function terminateInstances(ec2: EC2Client, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += TERMINATE_BATCH) {
    const batch = ids.slice(i, i + TERMINATE_BATCH);
    try {
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: batch }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'InvalidInstanceID.NotFound') throw err;
      // One unknown id fails the whole batch: terminate the rest one by one.
      for (const id of batch) {
        await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })).catch((e: unknown) => {
          if ((e as { name?: string }).name !== 'InvalidInstanceID.NotFound') throw e;
        });
      }
    }
  }
}
