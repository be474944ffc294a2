import type { CapacityType } from '../runtime/events.js';
import type { Resources } from '../api/resources.js';

/** Where and how an instance type can be bought, at what price. */
export interface Offering {
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
}

/** An EC2 instance type as the provisioner sees it: labels to match requirements, allocatable room, offerings. */
export interface InstanceType {
  name: string;
  family: string;
  category: string;
  generation: number;
  size: string;
  arch: 'amd64' | 'arm64';
  vcpu: number;
  memoryMiB: number;
  gpuCount: number;
  /** What the kubelet reports as capacity. */
  capacity: Resources;
  /** Capacity minus kube-reserved, system-reserved and the eviction threshold: what pods may request. */
  allocatable: Resources;
  onDemandPrice: number;
  /** Every offering in the catalog's zones, cheapest first. */
  offerings: Offering[];
  /** Well-known labels a node of this type carries (not the offering-dependent zone and capacity type). */
  labels: Readonly<Record<string, string>>;
}
