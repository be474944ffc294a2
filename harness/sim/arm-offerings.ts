import { LABEL } from '../../provisioner/api/labels.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import type { PricedShape } from '../metrics/lower-bound.js';
import { armNodeGroups, changedPoolSpec, nodePoolOf } from './specs.js';

/**
 * Every offering an arm may launch a node from, at its allocatable size and price: for a Karpenter arm, the types,
 * zones and capacity types its NodePools allow, plus its fixed node groups; for Cluster Autoscaler, each node group's
 * type in the group's zones and capacity type. The cost lower bound buys only from these, so a bound for an arm
 * limited to on-demand groups is priced on-demand. A NodePool changed mid-run (`changes`) contributes what it allows
 * before and after each change: the arm may launch from either.
 */
export function armOfferings(scenario: Scenario, arm: AutoscalerSpec, catalog: Catalog): PricedShape[] {
  const out: PricedShape[] = [];
  for (const g of armNodeGroups(scenario, arm, catalog)) {
    for (const o of g.type.offerings) {
      if (o.capacityType !== g.capacityType || !g.zones.includes(o.zone)) continue;
      out.push({ cpuMilli: g.type.allocatable.cpu, memoryMiB: g.type.allocatable.memory, pricePerHour: o.pricePerHour });
    }
  }
  if (arm.kind === 'cluster-autoscaler') return out;
  const specs = [...scenario.cluster.nodePools];
  const current = new Map(specs.map((p) => [p.name, p]));
  for (const change of scenario.changes) {
    if (change.kind !== 'nodePool') continue;
    const next = changedPoolSpec(current.get(change.nodePool)!, change);
    current.set(change.nodePool, next);
    specs.push(next);
  }
  for (const spec of specs) {
    const pool = nodePoolOf(spec, scenario.cluster.zones);
    for (const t of compatibleTypes(catalog, pool.requirements)) {
      for (const o of t.offerings) {
        if (!pool.requirements.allows(LABEL.zone, o.zone) || !pool.requirements.allows(LABEL.capacityType, o.capacityType)) continue;
        out.push({ cpuMilli: t.allocatable.cpu, memoryMiB: t.allocatable.memory, pricePerHour: o.pricePerHour });
      }
    }
  }
  return out;
}
