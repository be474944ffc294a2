import type { CapacityType } from '../runtime/events.js';
import { LABEL } from '../api/labels.js';
import type { Taint } from '../api/taints.js';
import type { InstanceType } from '../catalog/instance-type.js';

/** An Auto Scaling group of one instance shape, as Cluster Autoscaler sees it. */
export interface NodeGroup {
  name: string;
  type: InstanceType;
  capacityType: CapacityType;
  zones: readonly string[];
  min: number;
  max: number;
  /** Fixed groups (system nodes) are never scaled by the autoscaler. */
  autoscaled: boolean;
  priority: number;
  labels: Record<string, string>;
  taints: Taint[];
  pricePerHour: number;
}

/** The labels a node of the group gets, zone aside (the ASG picks the zone per instance). */
export function templateLabels(g: NodeGroup): Record<string, string> {
  return { ...g.type.labels, ...g.labels, [LABEL.capacityType]: g.capacityType, [LABEL.nodegroup]: g.name };
}

/** What an instance of the group costs in a zone (the group's quoted price, the dearest zone, where none is listed). */
export function zonePrice(g: NodeGroup, zone: string): number {
  return g.type.offerings.find((o) => o.zone === zone && o.capacityType === g.capacityType)?.pricePerHour ?? g.pricePerHour;
}
