import { CreateFleetCommand, DescribeSubnetsCommand, type CreateFleetCommandInput, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import type { CapacityType } from '../../../provisioner/runtime/events.js';
import { FleetLaunchError } from './aws-errors.js';
import type { Tag } from './tags.js';

/** EC2 accepts at most this many overrides in one CreateFleet call (Karpenter caps its launches the same way). */
export const MAX_FLEET_OVERRIDES = 60;

/** The launch template the user names: it carries the AMI, security groups, user data and instance profile. */
export interface LaunchTemplateRef {
  name?: string;
  id?: string;
  /** Defaults to `$Default`, the version the template's owner promoted. */
  version?: string;
}

export interface FleetOverride {
  type: string;
  zone: string;
  subnetId: string;
}

export interface FleetSpec {
  launchTemplate: LaunchTemplateRef;
  capacityType: CapacityType;
  /** The offerings EC2 may choose among, 1 to MAX_FLEET_OVERRIDES. */
  overrides: readonly FleetOverride[];
  /** Put on the instances, their volumes and the fleet itself (already escaped: see tags.ts). */
  tags: readonly Tag[];
  /** EC2's idempotency token: the same token within hours launches nothing new. */
  clientToken: string;
}

export interface FleetInstance {
  instanceId: string;
  type: string;
  zone: string;
  capacityType: CapacityType;
}

export interface FleetResult {
  instances: FleetInstance[];
  /** What EC2 could not launch and why, per override (an `instant` fleet answers 200 and lists failures here). */
  errors: FleetLaunchError[];
}

export class FleetSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetSpecError';
  }
}

/**
 * The CreateFleet request for one instance: type `instant` (synchronous: the answer names the instances or the
 * errors, nothing is left to maintain), price-capacity-optimized among Spot offerings (the cheapest pools least
 * likely to be reclaimed) and lowest-price among on-demand ones, as Karpenter asks.
 */
export function fleetInput(spec: FleetSpec): CreateFleetCommandInput {
  if (spec.overrides.length === 0) throw new FleetSpecError('a fleet needs at least one override');
  if (spec.overrides.length > MAX_FLEET_OVERRIDES) {
    throw new FleetSpecError(`${spec.overrides.length} overrides, EC2 accepts at most ${MAX_FLEET_OVERRIDES} in one CreateFleet call`);
  }
  if (spec.capacityType === 'reserved') {
    throw new FleetSpecError('reserved capacity (capacity reservations, capacity blocks) is not launched on EC2 yet: use spot or on-demand');
  }
  const capacityType = spec.capacityType;
  const { name, id, version } = spec.launchTemplate;
  if (!name === !id) throw new FleetSpecError('name exactly one of the launch template\'s name or id');
  const tags = [...spec.tags];
  return {
    Type: 'instant',
    ClientToken: spec.clientToken,
    TargetCapacitySpecification: {
      TotalTargetCapacity: 1,
      DefaultTargetCapacityType: capacityType,
      ...(capacityType === 'spot' ? { SpotTargetCapacity: 1 } : { OnDemandTargetCapacity: 1 }),
    },
    ...(capacityType === 'spot'
      ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } }
      : { OnDemandOptions: { AllocationStrategy: 'lowest-price' } }),
    LaunchTemplateConfigs: [{
      LaunchTemplateSpecification: { ...(name ? { LaunchTemplateName: name } : { LaunchTemplateId: id }), Version: version ?? '$Default' },
      Overrides: spec.overrides.map((o) => ({ InstanceType: o.type as never, SubnetId: o.subnetId, AvailabilityZone: o.zone })),
    }],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
      { ResourceType: 'fleet', Tags: tags },
    ],
  };
}

/** Launches one instance through an `instant` fleet. EC2's own refusal of the call itself is thrown as the SDK's error. */
export async function launchFleet(ec2: EC2Client, spec: FleetSpec, signal?: AbortSignal): Promise<FleetResult> {
  const out = await ec2.send(new CreateFleetCommand(fleetInput(spec)), { abortSignal: signal });
  const zoneOfSubnet = new Map(spec.overrides.map((o) => [o.subnetId, o.zone]));
  const instances: FleetInstance[] = [];
  for (const group of out.Instances ?? []) {
    const o = group.LaunchTemplateAndOverrides?.Overrides;
    const zone = o?.AvailabilityZone ?? (o?.SubnetId ? zoneOfSubnet.get(o.SubnetId) : undefined) ?? '';
    for (const instanceId of group.InstanceIds ?? []) {
      instances.push({
        instanceId,
        type: group.InstanceType ?? o?.InstanceType ?? '',
        zone,
        capacityType: group.Lifecycle === 'spot' ? 'spot' : group.Lifecycle === 'on-demand' ? 'on-demand' : spec.capacityType,
      });
    }
  }
  const errors = (out.Errors ?? []).map((e) => {
    const o = e.LaunchTemplateAndOverrides?.Overrides;
    const zone = o?.AvailabilityZone ?? (o?.SubnetId ? zoneOfSubnet.get(o.SubnetId) : undefined);
    return new FleetLaunchError(e.ErrorCode ?? 'Unknown', e.ErrorMessage ?? 'no message', o?.InstanceType, zone);
  });
  return { instances, errors };
}

/**
 * The subnets instances may be launched into, by zone: those `filters` select (as a Karpenter EC2NodeClass's
 * subnetSelectorTerms do), e.g. `[{ Name: 'tag:karpenter.sh/discovery', Values: ['my-cluster'] }]`.
 */
export async function subnetsByZone(ec2: EC2Client, filters: Filter[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeSubnetsCommand({ Filters: filters, NextToken: token }));
    for (const s of page.Subnets ?? []) {
      if (!s.SubnetId || !s.AvailabilityZone) continue;
      (out[s.AvailabilityZone] ??= []).push(s.SubnetId);
    }
    token = page.NextToken;
  } while (token);
  for (const ids of Object.values(out)) ids.sort();
  return out;
}
