import { createHash } from 'node:crypto';
import type { EC2Client, Filter } from '@aws-sdk/client-ec2';
import {
  CloudProviderError, InsufficientCapacityError, type CloudInstance, type CloudProvider, type LaunchRequest,
} from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';
import { cloudError, isNoCapacity } from './aws-errors.js';
import { describeInstances, terminateInstances, type Ec2Instance } from './ec2-instances.js';
import { launchFleet, MAX_FLEET_OVERRIDES, type LaunchTemplateRef } from './fleet.js';
import { NODE_TAG, NODEGROUP_TAG, NODEPOOL_TAG, RUN_TAG, tag, tagFilter, type Tag } from './tags.js';

export interface AwsCloudProviderOptions {
  ec2: EC2Client;
  /** Every instance is tagged with it and every read is scoped to it: the provider never sees another run's. */
  runId: string;
  launchTemplate: LaunchTemplateRef;
  /** Subnets to launch into, by zone (fleet.ts subnetsByZone). */
  subnets: Readonly<Record<string, readonly string[]>>;
  /** The instance types offered (the pinned catalog): see CloudProvider.instanceTypes. */
  catalog: readonly InstanceType[];
}

/**
 * The CloudProvider on EC2: launches through `instant` CreateFleet calls with the user's launch template, terminates
 * with TerminateInstances, and reads back with DescribeInstances filtered by the run's tag. The node name is a tag
 * (burstlab.dev/node), which makes launches idempotent by name across restarts of burstlab itself.
 */
export class AwsCloudProvider implements CloudProvider {
  /**
   * Instances this process launched, by name: DescribeInstances is eventually consistent on EC2, and a launch must
   * be visible to get and list once create has resolved (the contract's read-your-writes).
   */
  private readonly launched = new Map<string, Ec2Instance>();

  constructor(private readonly options: AwsCloudProviderOptions) {
    // A run id that cannot be a tag value fails here, before any launch, rather than on the first CreateFleet.
    tag(RUN_TAG, options.runId);
  }

  async create(request: LaunchRequest): Promise<CloudInstance> {
    const offering = { type: request.type.name, zone: request.zone, capacityType: request.capacityType };
    const existing = await this.find(request.name, 'create');
    if (existing && existing.state !== 'terminated') return existing;
    const subnets = this.options.subnets[request.zone] ?? [];
    if (subnets.length === 0) {
      throw new CloudProviderError('create', request.name, false, `no subnet selected in zone ${request.zone}`);
    }
    let result;
    try {
      result = await launchFleet(this.options.ec2, {
        launchTemplate: this.options.launchTemplate,
        capacityType: request.capacityType,
        overrides: subnets.slice(0, MAX_FLEET_OVERRIDES).map((subnetId) => ({ type: offering.type, zone: request.zone, subnetId })),
        tags: instanceTags(this.options.runId, request),
        clientToken: createHash('sha256').update(`${this.options.runId}\0${request.name}`).digest('hex').slice(0, 64),
      });
    } catch (err) {
      throw cloudError('create', request.name, err, offering);
    }
    const first = result.instances[0];
    if (!first) {
      const noCapacity = result.errors.find((e) => isNoCapacity(e.name));
      if (noCapacity) throw new InsufficientCapacityError(offering.type, offering.zone, offering.capacityType, { cause: noCapacity });
      const cause = result.errors[0];
      if (cause) throw cloudError('create', request.name, cause, offering);
      throw new CloudProviderError('create', request.name, true, 'EC2 accepted the fleet but launched nothing and reported no error');
    }
    const instance: Ec2Instance = { name: request.name, instanceId: first.instanceId, type: first.type, zone: first.zone, capacityType: first.capacityType, state: 'pending', launchTime: undefined };
    this.launched.set(request.name, instance);
    return toCloud(instance);
  }

  async delete(name: string, _reason: string): Promise<void> {
    const ids = new Set<string>();
    try {
      for (const i of await describeInstances(this.options.ec2, this.filters(name))) if (i.state !== 'terminated') ids.add(i.instanceId);
      const recent = this.launched.get(name);
      if (recent) ids.add(recent.instanceId);
      await terminateInstances(this.options.ec2, [...ids]);
    } catch (err) {
      throw cloudError('delete', name, err);
    }
    this.launched.delete(name);
  }

  async get(name: string): Promise<CloudInstance | undefined> {
    const found = await this.find(name, 'get');
    return found && toCloud(found);
  }

  async list(): Promise<CloudInstance[]> {
    let described: Ec2Instance[];
    try {
      described = await describeInstances(this.options.ec2, this.filters());
    } catch (err) {
      throw cloudError('list', this.options.runId, err);
    }
    this.forgetDescribed(described);
    return [...described, ...this.launched.values()].map(toCloud);
  }

  instanceTypes(): readonly InstanceType[] {
    return this.options.catalog;
  }

  /** The instance's EC2 id, for the interruption queue and node facts; undefined when the cloud has none. */
  async instanceId(name: string): Promise<string | undefined> {
    return (await this.find(name, 'get'))?.instanceId;
  }

  /** The node name of a run's instance, by EC2 id; undefined for an instance this run did not launch. */
  async nameOfInstance(instanceId: string): Promise<string | undefined> {
    const filters = [...this.filters(), { Name: 'instance-id', Values: [instanceId] }];
    return (await describeInstances(this.options.ec2, filters))[0]?.name;
  }

  /** The instance of that name: a live one over a terminated one, the latest launched among equals. */
  private async find(name: string, operation: 'create' | 'get'): Promise<Ec2Instance | undefined> {
    let described: Ec2Instance[];
    try {
      described = await describeInstances(this.options.ec2, this.filters(name));
    } catch (err) {
      throw cloudError(operation, name, err);
    }
    this.forgetDescribed(described);
    const live = described.filter((i) => i.state !== 'terminated');
    return live.at(-1) ?? this.launched.get(name) ?? described.at(-1);
  }

  /** Once EC2 describes an instance, its answer is the truth: the local record of the launch is dropped. */
  private forgetDescribed(described: readonly Ec2Instance[]): void {
    const ids = new Set(described.map((i) => i.instanceId));
    for (const [name, i] of this.launched) if (ids.has(i.instanceId)) this.launched.delete(name);
  }

  private filters(name?: string): Filter[] {
    const filters = [tagFilter(RUN_TAG, this.options.runId)];
    if (name !== undefined) filters.push(tagFilter(NODE_TAG, name));
    return filters;
  }
}

/** The tags of every instance (and its volumes and fleet) a run launches: how cleanup and FIS targets find it. */
export function instanceTags(runId: string, request: Pick<LaunchRequest, 'name' | 'owner' | 'ownerKind'>): Tag[] {
  return [
    tag(RUN_TAG, runId),
    tag(NODE_TAG, request.name),
    tag(request.ownerKind === 'nodepool' ? NODEPOOL_TAG : NODEGROUP_TAG, request.owner),
    tag('Name', request.name),
  ];
}

function toCloud(i: Ec2Instance): CloudInstance {
  return { name: i.name, type: i.type, zone: i.zone, capacityType: i.capacityType, state: i.state };
}
