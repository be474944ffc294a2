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

/** Instance types, or offerings of one (type x zone x capacity type; an absent zone or capacity type means all), the cloud stops offering. */
export interface Withdrawal {
  instanceTypes: readonly string[];
  offerings: ReadonlyArray<{ instanceType: string; zone?: string; capacityType?: CapacityType }>;
}

/**
 * Every instance type offered in the cluster's zones, with EKS allocatable and a price per offering. What the cloud
 * offers can shrink mid-run (`withdraw`): a withdrawn type or offering is gone from `types` and `get` from then on,
 * as it is from upstream's GetInstanceTypes, while the InstanceType objects handed out before keep their offerings
 * (nodes launched from them still run). A run that withdraws works on its own `fork()`.
 */
export class Catalog {
  private current: readonly InstanceType[];
  private byName: ReadonlyMap<string, InstanceType>;

  constructor(options: CatalogOptions | { types: readonly InstanceType[] }) {
    if ('types' in options) {
      this.current = options.types;
    } else {
      const snapshot = options.snapshot ?? loadSnapshot();
      const types: InstanceType[] = [];
      for (const raw of snapshot.instanceTypes) {
        const t = toInstanceType(raw, options.region, options.zones);
        if (t) types.push(t);
      }
      types.sort((a, b) => a.offerings[0]!.pricePerHour - b.offerings[0]!.pricePerHour || (a.name < b.name ? -1 : 1));
      this.current = types;
    }
    this.byName = new Map(this.current.map((t) => [t.name, t]));
  }

  /** Offered types, cheapest offering first. */
  get types(): readonly InstanceType[] {
    return this.current;
  }

  get(name: string): InstanceType | undefined {
    return this.byName.get(name);
  }

  /** A catalog offering what this one offers now, whose withdrawals do not touch this one. */
  fork(): Catalog {
    return new Catalog({ types: this.current });
  }

  /** Whether the cloud still offers this type in this zone and capacity type. */
  offers(type: string, zone: string, capacityType: CapacityType): boolean {
    return this.byName.get(type)?.offerings.some((o) => o.zone === zone && o.capacityType === capacityType) ?? false;
  }

  /**
   * Stops offering what `w` names; returns the offerings withdrawn now (`type/zone/capacityType`). A type left with no
   * offering is gone. The order of what stays is kept, so runs stay deterministic.
   */
  withdraw(w: Withdrawal): string[] {
    const whole = new Set(w.instanceTypes);
    const gone = (t: InstanceType, o: Offering): boolean =>
      whole.has(t.name) ||
      w.offerings.some((x) => x.instanceType === t.name && (x.zone === undefined || x.zone === o.zone) && (x.capacityType === undefined || x.capacityType === o.capacityType));
    const removed: string[] = [];
    const next: InstanceType[] = [];
    for (const t of this.current) {
      const kept = t.offerings.filter((o) => !gone(t, o));
      for (const o of t.offerings) if (gone(t, o)) removed.push(`${t.name}/${o.zone}/${o.capacityType}`);
      if (kept.length === t.offerings.length) next.push(t);
      else if (kept.length > 0) next.push({ ...t, offerings: kept });
    }
    // Types are ordered by their cheapest offering; a type that lost its cheapest one moves.
    next.sort((a, b) => a.offerings[0]!.pricePerHour - b.offerings[0]!.pricePerHour || (a.name < b.name ? -1 : 1));
    this.current = next;
    this.byName = new Map(next.map((t) => [t.name, t]));
    return removed;
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
