import type { CapacityType } from '../runtime/events.js';
import { LABEL } from '../api/labels.js';
import { allocatableOf, capacityOf } from './overhead.js';
import type { InstanceType, Offering } from './instance-type.js';
import { loadSnapshot, type Snapshot, type SnapshotType } from './snapshot.js';
import { spotPrice } from './spot-price.js';

export interface CatalogOptions {
  region: string;
  /** Zones the cluster spans; offerings elsewhere are dropped. */
  zones: readonly string[];
  snapshot?: Snapshot;
}

/** Every instance type offered in the cluster's zones, with EKS allocatable and a price per offering. */
export class Catalog {
  readonly types: readonly InstanceType[];
  private readonly byName: ReadonlyMap<string, InstanceType>;

  constructor(options: CatalogOptions) {
    const snapshot = options.snapshot ?? loadSnapshot();
    const types: InstanceType[] = [];
    for (const raw of snapshot.instanceTypes) {
      const t = toInstanceType(raw, options.region, options.zones);
      if (t) types.push(t);
    }
    types.sort((a, b) => a.offerings[0]!.pricePerHour - b.offerings[0]!.pricePerHour || (a.name < b.name ? -1 : 1));
    this.types = types;
    this.byName = new Map(types.map((t) => [t.name, t]));
  }

  get(name: string): InstanceType | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return this.types.map((t) => t.name);
  }
}

function toInstanceType(raw: SnapshotType, region: string, zones: readonly string[]): InstanceType | null {
  const onDemand = raw.onDemandPriceUSDPerHour[region];
  const typeZones = (raw.zones[region] ?? []).filter((z) => zones.includes(z));
  const arch = raw.architectures.includes('x86_64') ? 'amd64' : raw.architectures.includes('arm64') ? 'arm64' : null;
  if (onDemand === undefined || onDemand <= 0 || typeZones.length === 0 || arch === null || raw.eniMaxPods <= 0) return null;
  const gpu = raw.gpuManufacturer === 'NVIDIA' ? raw.gpuCount : 0;
  const capacity = capacityOf(raw.vcpu, raw.memoryMiB, raw.eniMaxPods, gpu);
  const allocatable = allocatableOf(capacity);
  if (allocatable.cpu <= 0 || allocatable.memory <= 0) return null;
  const offerings: Offering[] = [];
  for (const zone of typeZones) {
    if (raw.usageClasses.includes('spot')) {
      offerings.push({ zone, capacityType: 'spot', pricePerHour: spotPrice(raw.name, raw.family, zone, onDemand) });
    }
    if (raw.usageClasses.includes('on-demand')) offerings.push({ zone, capacityType: 'on-demand' as CapacityType, pricePerHour: onDemand });
  }
  offerings.sort((a, b) => a.pricePerHour - b.pricePerHour || (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
  return {
    name: raw.name,
    family: raw.family,
    category: raw.category,
    generation: raw.generation,
    size: raw.size,
    arch,
    vcpu: raw.vcpu,
    memoryMiB: raw.memoryMiB,
    gpuCount: gpu,
    capacity,
    allocatable,
    onDemandPrice: onDemand,
    offerings,
    labels: {
      [LABEL.instanceType]: raw.name,
      [LABEL.arch]: arch,
      [LABEL.os]: 'linux',
      [LABEL.region]: region,
      [LABEL.instanceCategory]: raw.category,
      [LABEL.instanceFamily]: raw.family,
      [LABEL.instanceGeneration]: String(raw.generation),
      [LABEL.instanceSize]: raw.size,
      [LABEL.instanceCpu]: String(raw.vcpu),
      [LABEL.instanceMemory]: String(raw.memoryMiB),
      [LABEL.instanceGpuCount]: String(raw.gpuCount),
      ...(raw.gpuManufacturer ? { [LABEL.instanceGpuManufacturer]: raw.gpuManufacturer.toLowerCase() } : {}),
      ...(raw.hypervisor ? { [LABEL.instanceHypervisor]: raw.hypervisor } : {}),
    },
  };
}
