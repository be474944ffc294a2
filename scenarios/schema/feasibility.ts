import { daemonsetOverhead, nodeGroupOf, nodePoolOf, podSpecOf } from '../../harness/sim/specs.js';
import { LABEL, OFFERING_KEYS, TYPE_KEYS } from '../../provisioner/api/labels.js';
import type { NodePool } from '../../provisioner/api/nodepool.js';
import type { PodSpec } from '../../provisioner/api/pod.js';
import { add, fits, formatMemory, type Resources } from '../../provisioner/api/resources.js';
import { untoleratedTaint } from '../../provisioner/api/taints.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import { templateLabels, type NodeGroup } from '../../provisioner/nodegroups/node-group.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import { catalogFor } from './catalog-cache.js';
import type { AutoscalerSpec } from './scenario-schema.js';
import type { Scenario } from './scenario.js';
import type { ScenarioWarning } from './warnings.js';

/** Where an arm may put a pod: the instance types it admits the pod onto, or why it admits none. */
type Place = { name: string; types: InstanceType[] } | { name: string; refused: string };

/**
 * Per arm, each workload whose pod fits no node the arm can ever have: larger than every instance type it may launch
 * (after daemonsets and EKS allocatable), or refused by every NodePool / node group (taints, node selector and
 * affinity, zones, NodePool limits). A warning, not an error: scenarios test unschedulable pods on purpose.
 * Topology spread and anti-affinity are left to the run (they depend on where the other pods are).
 */
export function feasibilityWarnings(s: Scenario): ScenarioWarning[] {
  const catalog = catalogFor(s.cluster.region, s.cluster.zones);
  const overhead = daemonsetOverhead(s);
  const warnings: ScenarioWarning[] = [];
  for (const arm of s.autoscalers) {
    const places = placesOf(arm, s, catalog);
    s.workloads.forEach((w, i) => {
      const spec = podSpecOf(w, s.priorities, s.workloads);
      const need = add(overhead, spec.requests);
      const answers = places.map((admit) => admit(spec));
      const admitted = answers.flatMap((p) => ('types' in p ? p.types : []));
      if (admitted.some((t) => fits(need, t.allocatable))) return;
      const why = admitted.length > 0 ? tooLarge(need, overhead, admitted) : refusals(answers, arm);
      warnings.push({ path: `workloads[${i}]`, message: `can never be placed on arm '${arm.name}': ${why}` });
    });
  }
  return warnings;
}

type Admit = (spec: PodSpec) => Place;

/**
 * What the arm can place pods on: a karpenter arm its NodePools and the fixed node groups it keeps, a
 * cluster-autoscaler arm its node groups (autoscaled ones that may grow, fixed ones that have nodes).
 */
function placesOf(arm: AutoscalerSpec, s: Scenario, catalog: Catalog): Admit[] {
  const groups = s.cluster.nodeGroups
    .filter((g) => (g.autoscaled ? arm.kind === 'cluster-autoscaler' && g.max > 0 : (g.initial ?? g.min) > 0))
    .map((g) => nodeGroupOf(g, catalog, s.cluster.zones))
    .map((g): Admit => (spec) => admitGroup(g, spec));
  if (arm.kind === 'cluster-autoscaler') return groups;
  const pools = s.cluster.nodePools.map((p): Admit => {
    const pool = nodePoolOf(p, s.cluster.zones);
    // A type larger than the pool's own limits can never launch: the first node would exceed them.
    const types = compatibleTypes(catalog, pool.requirements).filter(
      (t) => t.capacity.cpu <= (pool.limits.cpu ?? Infinity) && t.capacity.memory <= (pool.limits.memory ?? Infinity),
    );
    return (spec) => admitPool(pool, types, spec);
  });
  return [...pools, ...groups];
}

function admitPool(pool: NodePool, poolTypes: readonly InstanceType[], spec: PodSpec): Place {
  const name = `nodepool ${pool.name}`;
  const taint = untoleratedTaint(pool.taints, spec.tolerations);
  if (taint) return { name, refused: `taint ${taint.key} is not tolerated` };
  const reqs = pool.requirements.intersect(spec.nodeRequirements);
  const conflict = reqs.conflict() ?? undefinedKey(pool, spec);
  if (conflict !== null) return { name, refused: `its requirements and the pod's node selector/affinity conflict on ${conflict}` };
  const types = poolTypes.filter(
    (t) => reqs.matchesOn(t.labels, TYPE_KEYS) && t.offerings.some((o) => reqs.allows(LABEL.zone, o.zone) && reqs.allows(LABEL.capacityType, o.capacityType)),
  );
  return types.length > 0 ? { name, types } : { name, refused: 'no instance type within its limits matches the pod' };
}

const TEMPLATE_SKIP: ReadonlySet<string> = new Set([LABEL.zone, LABEL.hostname]);

function admitGroup(group: NodeGroup, spec: PodSpec): Place {
  const name = `node group ${group.name}`;
  const taint = untoleratedTaint(group.taints, spec.tolerations);
  if (taint) return { name, refused: `taint ${taint.key} is not tolerated` };
  if (!spec.nodeRequirements.matchesExcept(templateLabels(group), TEMPLATE_SKIP)) return { name, refused: "the pod's node selector/affinity does not match its labels" };
  if (!group.zones.some((z) => spec.nodeRequirements.allows(LABEL.zone, z))) return { name, refused: "none of its zones is allowed by the pod's affinity" };
  return { name, types: [group.type] };
}

/** A pod constraint on a label only the pool can define (a custom label), which the pool does not define. */
function undefinedKey(pool: NodePool, spec: PodSpec): string | null {
  for (const key of spec.nodeRequirements.keys()) {
    if (TYPE_KEYS.has(key) || OFFERING_KEYS.has(key)) continue;
    if (!pool.requirements.has(key) && !spec.nodeRequirements.allowsAbsent(key)) return key;
  }
  return null;
}

function cores(milli: number): string {
  return `${Math.round(milli / 10) / 100}`;
}

function tooLarge(need: Resources, overhead: Resources, types: readonly InstanceType[]): string {
  const largest = (pick: (t: InstanceType) => number): InstanceType => types.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  const cpu = largest((t) => t.allocatable.cpu);
  const mem = largest((t) => t.allocatable.memory);
  const gpu = largest((t) => t.allocatable.gpu);
  const parts = [
    `it needs ${cores(need.cpu)} cpu and ${formatMemory(need.memory)} memory${need.gpu > 0 ? ` and ${need.gpu} GPU` : ''}${overhead.pods > 0 ? ` with the daemonsets' ${cores(overhead.cpu)} cpu / ${formatMemory(overhead.memory)}` : ''}`,
    `the largest allocatable it may launch is ${cores(cpu.allocatable.cpu)} cpu (${cpu.name}) and ${formatMemory(mem.allocatable.memory)} memory (${mem.name})${need.gpu > 0 ? ` and ${gpu.allocatable.gpu} GPU (${gpu.name})` : ''}`,
  ];
  return `larger than every instance type it may launch: ${parts.join('; ')}`;
}

function refusals(places: readonly Place[], arm: AutoscalerSpec): string {
  const what = arm.kind === 'cluster-autoscaler' ? 'node group' : 'NodePool or fixed node group';
  if (places.length === 0) return `the arm has no ${what} to place it on`;
  return `no ${what} admits it (${places.map((p) => `${p.name}: ${'refused' in p ? p.refused : 'admits it'}`).join('; ')})`;
}
