import { LABEL } from '../../provisioner/api/labels.js';
import { withDefaultRequirements, type NodePool } from '../../provisioner/api/nodepool.js';
import type { PodSpec } from '../../provisioner/api/pod.js';
import { resources, type Resources } from '../../provisioner/api/resources.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import type { NodeGroup } from '../../provisioner/nodegroups/node-group.js';
import { budgetOf } from '../../provisioner/disruption/budget.js';
import type { AutoscalerSpec, NodeGroupSpec, NodePoolSpec, PoolChangeSpec, WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { affinityOf, antiAffinityOf, spreadOf } from './pod-selection.js';

/** The pod template of a workload, shared by all its pods; `workloads` are the scenario's, which selectors match. */
export function podSpecOf(w: WorkloadSpec, priorities: ReadonlyMap<string, number>, workloads: readonly WorkloadSpec[]): PodSpec {
  return {
    workload: w.name,
    requests: resources({ cpu: w.resources.cpu, memory: w.resources.memory, gpu: w.resources.gpu, pods: 1 }),
    priority: w.priorityClass !== undefined ? (priorities.get(w.priorityClass) ?? 0) : 0,
    nodeRequirements: Requirements.fromLabels(w.nodeSelector).intersect(Requirements.of(w.nodeAffinity)),
    tolerations: w.tolerations,
    topologySpread: spreadOf(w, workloads),
    affinity: affinityOf(w, workloads),
    antiAffinity: antiAffinityOf(w, workloads),
    doNotDisrupt: w.doNotDisrupt === true,
    ...(typeof w.doNotDisrupt === 'number' ? { doNotDisruptForMs: w.doNotDisrupt } : {}),
  };
}

/** Requests of the daemonsets every node runs: each takes a pod slot too. */
export function daemonsetOverhead(s: Scenario): Resources {
  const total = resources();
  for (const d of s.cluster.daemonsets) {
    total.cpu += d.resources.cpu;
    total.memory += d.resources.memory;
    total.gpu += d.resources.gpu;
    total.pods += 1;
  }
  return total;
}

export function nodePoolOf(p: NodePoolSpec, zones: readonly string[]): NodePool {
  const requirements = withDefaultRequirements(p.requirements, { ...p.labels, [LABEL.nodepool]: p.name }).intersect(
    Requirements.of([{ key: LABEL.zone, operator: 'In', values: [...zones] }]),
  );
  return {
    name: p.name,
    weight: p.weight,
    requirements,
    labels: p.labels,
    taints: p.taints,
    limits: p.limits,
    consolidationPolicy: p.disruption.consolidationPolicy,
    consolidateAfterMs: p.disruption.consolidateAfter === 'Never' ? null : p.disruption.consolidateAfter,
    expireAfterMs: p.disruption.expireAfter === 'Never' ? null : p.disruption.expireAfter,
    terminationGracePeriodMs: p.terminationGracePeriod ?? null,
    ...(p.disruption.budgets ? { budgets: p.disruption.budgets.map((b) => budgetOf(b.nodes, b.reasons, b.schedule, b.duration)) } : {}),
    doNotDisrupt: p.annotations['karpenter.sh/do-not-disrupt'] === 'true',
  };
}

/** A NodePool spec after a mid-run change: the fields the change sets replace the pool's. */
export function changedPoolSpec(p: NodePoolSpec, c: PoolChangeSpec): NodePoolSpec {
  return {
    ...p,
    requirements: c.set.requirements ?? p.requirements,
    labels: c.set.labels ?? p.labels,
    taints: c.set.taints ?? p.taints,
  };
}

/**
 * The node groups an arm runs with. Autoscaled node groups are Cluster Autoscaler's capacity; a Karpenter arm
 * replaces them with its NodePools, as a migration does, and keeps only the fixed groups (system nodes).
 */
export function armNodeGroups(scenario: Scenario, arm: AutoscalerSpec, catalog: Catalog): NodeGroup[] {
  return scenario.cluster.nodeGroups
    .filter((g) => arm.kind === 'cluster-autoscaler' || !g.autoscaled)
    .map((g) => nodeGroupOf(g, catalog, scenario.cluster.zones));
}

/** A scenario node group as an ASG of one shape. */
export function nodeGroupOf(g: NodeGroupSpec, catalog: Catalog, zones: readonly string[]): NodeGroup {
  const type = catalog.get(g.instanceType);
  if (!type) throw new Error(`node group ${g.name}: instance type ${g.instanceType} is not in the catalog`);
  const groupZones = (g.zones ?? zones).filter((z) => type.offerings.some((o) => o.zone === z && o.capacityType === g.capacityType));
  const prices = type.offerings.filter((o) => o.capacityType === g.capacityType && groupZones.includes(o.zone)).map((o) => o.pricePerHour);
  return {
    name: g.name,
    type,
    capacityType: g.capacityType,
    zones: groupZones,
    min: g.min,
    max: g.max,
    autoscaled: g.autoscaled,
    priority: g.priority,
    labels: g.labels,
    taints: g.taints,
    pricePerHour: prices.length ? prices.reduce((a, b) => Math.max(a, b), -Infinity) : type.onDemandPrice,
  };
}
