import type { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';
import { LABEL } from '../../../provisioner/api/labels.js';

/**
 * What Karpenter's kwok provider subtracts from an instance type's resources to get its allocatable
 * (kwok/cloudprovider/helpers.go, newInstanceType: kube-reserved 100m CPU and 10Mi memory, no system-reserved,
 * no eviction threshold), the same for every type.
 */
export const KWOK_PROVIDER_OVERHEAD = { cpuMilli: 100, memoryMiB: 10 } as const;

/**
 * Ephemeral storage each type declares. burstlab's catalog does not model disk; upstream's own kwok types all carry
 * 20Gi, so a pod that asks for a little ephemeral storage fits on both arms alike.
 */
export const KWOK_EPHEMERAL_STORAGE = '20Gi';

interface NodeSelectorRequirement {
  key: string;
  operator: 'In';
  values: string[];
}

/** One entry of the provider's INSTANCE_TYPES_FILE_PATH JSON (InstanceTypeOptions with its KWOKOfferings). */
export interface KwokInstanceType {
  name: string;
  architecture: string;
  operatingSystems: string[];
  resources: Record<string, string>;
  offerings: Array<{ Price: number; Available: boolean; Requirements: NodeSelectorRequirement[] }>;
}

/** Labels the provider derives itself from a type's name, arch and os (its instance-type requirements). */
const PROVIDER_DERIVED: ReadonlySet<string> = new Set([LABEL.instanceType, LABEL.arch, LABEL.os]);

/**
 * The bundled catalog as Karpenter's kwok provider reads it, so that upstream decides over exactly the offerings the
 * bundled arm does: every type with its zones, capacity types and prices (on-demand, and burstlab's modelled Spot).
 *
 * Allocatable: the provider's allocatable is `resources` less KWOK_PROVIDER_OVERHEAD, so `resources` is the bundled
 * allocatable plus that overhead: both arms pack pods into the same room. The Node's status.capacity is then what
 * the NodeClaim requested (the provider writes it so), not the instance's capacity.
 *
 * Labels: the provider puts the single-valued requirements of a type's offerings on its nodes and treats their keys
 * as well known, so the karpenter.k8s.aws/* labels (and the region) ride on every offering. NodePool requirements on
 * them then filter offerings as they filter types on AWS, and upstream's nodes carry the same labels as bundled ones.
 * The provider adds its own karpenter.kwok.sh/instance-{cpu,memory,family,size} labels from `resources` and the name
 * (instance-cpu reads e.g. "2100m", the allocatable-matching resource, not the vCPU count).
 */
export function upstreamInstanceTypes(catalog: Catalog): KwokInstanceType[] {
  return catalog.types.map(toKwokType);
}

function toKwokType(t: InstanceType): KwokInstanceType {
  const typeLabels = Object.entries(t.labels)
    .filter(([key]) => !PROVIDER_DERIVED.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]): NodeSelectorRequirement => ({ key, operator: 'In', values: [value] }));
  const resources: Record<string, string> = {
    cpu: `${t.allocatable.cpu + KWOK_PROVIDER_OVERHEAD.cpuMilli}m`,
    memory: `${t.allocatable.memory + KWOK_PROVIDER_OVERHEAD.memoryMiB}Mi`,
    pods: String(t.allocatable.pods),
    'ephemeral-storage': KWOK_EPHEMERAL_STORAGE,
  };
  if (t.allocatable.gpu > 0) resources['nvidia.com/gpu'] = String(t.allocatable.gpu);
  return {
    name: t.name,
    architecture: t.arch,
    operatingSystems: [t.labels[LABEL.os] ?? 'linux'],
    resources,
    offerings: t.offerings.map((o) => ({
      Price: o.pricePerHour,
      Available: true,
      Requirements: [
        { key: LABEL.capacityType, operator: 'In', values: [o.capacityType] },
        { key: LABEL.zone, operator: 'In', values: [o.zone] },
        ...typeLabels,
      ],
    })),
  };
}
