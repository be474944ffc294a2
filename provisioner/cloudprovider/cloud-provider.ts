import type { CapacityType } from '../runtime/events.js';
import type { Taint } from '../api/taints.js';
import type { InstanceType } from '../catalog/instance-type.js';

/** What an autoscaler asks the cloud for: one instance of a chosen offering. */
export interface LaunchRequest {
  name: string;
  type: InstanceType;
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
  owner: string;
  ownerKind: 'nodepool' | 'nodegroup';
  labels: Record<string, string>;
  taints: Taint[];
  /** 'fleet' launches at once (Karpenter's CreateFleet); 'asg' goes through an Auto Scaling group's activity lag. */
  path: 'fleet' | 'asg';
}

export interface CloudInstance {
  name: string;
  type: string;
  zone: string;
  capacityType: CapacityType;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
}

/**
 * The one interface between autoscalers and a cloud (DESIGN.md principle 3). The sim, kwok and AWS implement it;
 * chaos and metrics wrap it rather than fork it.
 */
export interface CloudProvider {
  create(request: LaunchRequest): CloudInstance;
  delete(name: string, reason: string): void;
  get(name: string): CloudInstance | undefined;
  list(): CloudInstance[];
  instanceTypes(): readonly InstanceType[];
}

/** EC2 answered InsufficientInstanceCapacity for this offering. */
export class InsufficientCapacityError extends Error {
  constructor(
    readonly type: string,
    readonly zone: string,
    readonly capacityType: CapacityType,
  ) {
    super(`insufficient capacity for ${type} ${capacityType} in ${zone}`);
    this.name = 'InsufficientCapacityError';
  }
}
