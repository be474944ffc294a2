import type { Scenario } from './scenario.js';
import type { ScenarioWarning } from './warnings.js';

/**
 * A withdrawal that takes away the shape of a Cluster Autoscaler node group: the model withdraws from the catalog the
 * Karpenter arms plan from, but a node group's shape is fixed and its failed scale-ups (ASG errors, node group
 * backoff) are not modelled, so the group keeps launching the shape. Said, not hidden.
 */
export function withdrawalWarnings(s: Scenario): ScenarioWarning[] {
  if (!s.autoscalers.some((a) => a.kind === 'cluster-autoscaler')) return [];
  const out: ScenarioWarning[] = [];
  s.changes.forEach((c, i) => {
    if (c.kind !== 'withdraw') return;
    s.cluster.nodeGroups.forEach((g, j) => {
      if (!g.autoscaled) return;
      const zones = g.zones ?? s.cluster.zones;
      const hit =
        c.withdraw.instanceTypes.includes(g.instanceType) ||
        c.withdraw.offerings.some((o) => o.instanceType === g.instanceType && (o.capacityType === undefined || o.capacityType === g.capacityType) && (o.zone === undefined || zones.includes(o.zone)));
      if (!hit) return;
      out.push({
        path: `changes[${i}].withdraw`,
        message: `takes ${g.instanceType} ${g.capacityType} from node group '${g.name}' (cluster.nodeGroups[${j}]): Cluster Autoscaler's failed scale-ups are not modelled, so its arm keeps launching the shape; only Karpenter arms stop`,
      });
    });
  });
  return out;
}
