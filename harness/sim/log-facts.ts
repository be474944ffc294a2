import { LABEL } from '../../provisioner/api/labels.js';
import type { NodePool } from '../../provisioner/api/nodepool.js';
import type { Resources } from '../../provisioner/api/resources.js';
import type { Taint } from '../../provisioner/api/taints.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import type { NodeGroup } from '../../provisioner/nodegroups/node-group.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';
import { antiAffinityOf, selectsOnlyItself, spreadOf } from './pod-selection.js';
import type { CapacityType, EventBody, LoggedTaint, NodeLaunched, PodCreated } from '../../provisioner/runtime/events.js';

/**
 * What the sim writes into the log so a run can be re-checked from it alone (events.ts): a node's room, labels and
 * taints, a pod's hard constraints, and the NodePools and node groups it runs.
 */

type PodConstraints = Pick<PodCreated, 'nodeSelector' | 'nodeAffinity' | 'tolerations' | 'topologySpread' | 'podAntiAffinity' | 'unrecorded'>;

/**
 * A workload's hard scheduling constraints as pod.created carries them: only the non-empty ones. The log counts
 * spread and anti-affinity over the pod's own workload; a selector naming other pods, and pod affinity, are listed
 * as unrecorded, which `burstlab verify` reports as not checked.
 */
export function podConstraintsOf(w: WorkloadSpec, all: readonly WorkloadSpec[]): PodConstraints {
  const out: PodConstraints = {};
  const unrecorded: string[] = [];
  if (Object.keys(w.nodeSelector).length > 0) out.nodeSelector = w.nodeSelector;
  if (w.nodeAffinity.length > 0) out.nodeAffinity = [w.nodeAffinity];
  if (w.tolerations.length > 0) out.tolerations = w.tolerations;
  const spread: NonNullable<PodConstraints['topologySpread']> = [];
  for (const c of spreadOf(w, all)) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    if (selectsOnlyItself(c.selects, w)) spread.push({ topologyKey: c.topologyKey, maxSkew: c.maxSkew });
    else unrecorded.push(`topologySpread on ${c.topologyKey}: its selector is not the pod's own`);
  }
  if (spread.length > 0) out.topologySpread = spread;
  const anti: NonNullable<PodConstraints['podAntiAffinity']> = [];
  for (const t of antiAffinityOf(w, all)) {
    if (selectsOnlyItself(t.selects, w)) anti.push(t.topologyKey);
    else unrecorded.push(`podAntiAffinity on ${t.topologyKey}: its selector is not the pod's own`);
  }
  if (anti.length > 0) out.podAntiAffinity = anti;
  for (const t of w.podAffinity) unrecorded.push(`podAffinity on ${t.topologyKey}: not recorded`);
  if (unrecorded.length > 0) out.unrecorded = unrecorded;
  return out;
}

type NodeFacts = Pick<
  NodeLaunched,
  'cpuMilli' | 'memoryMiB' | 'allocatableCpuMilli' | 'allocatableMemoryMiB' | 'allocatablePods' | 'allocatableGpu' | 'daemonsetOverhead' | 'labels' | 'taints'
>;

/** A node's capacity, allocatable, daemonset overhead, labels and taints as node.launched carries them. */
export function nodeFactsOf(type: InstanceType, labels: Record<string, string>, taints: readonly Taint[], overhead: Resources): NodeFacts {
  const busy = overhead.cpu > 0 || overhead.memory > 0 || overhead.pods > 0 || overhead.gpu > 0;
  return {
    ...shapeOf(type),
    ...(busy ? { daemonsetOverhead: { cpuMilli: overhead.cpu, memoryMiB: overhead.memory, pods: overhead.pods, gpu: overhead.gpu } } : {}),
    labels: sortedRecord(labels),
    ...(taints.length > 0 ? { taints: taints.map(loggedTaint) } : {}),
  };
}

function shapeOf(type: InstanceType): Required<Pick<NodeFacts, 'cpuMilli' | 'memoryMiB' | 'allocatableCpuMilli' | 'allocatableMemoryMiB' | 'allocatablePods' | 'allocatableGpu'>> {
  return {
    cpuMilli: type.capacity.cpu,
    memoryMiB: type.capacity.memory,
    allocatableCpuMilli: type.allocatable.cpu,
    allocatableMemoryMiB: type.allocatable.memory,
    allocatablePods: type.allocatable.pods,
    allocatableGpu: type.allocatable.gpu,
  };
}

const CAPACITY_TYPES: CapacityType[] = ['reserved', 'spot', 'on-demand'];

export function nodePoolDefined(pool: NodePool, catalog: Catalog): EventBody {
  const types = compatibleTypes(catalog, pool.requirements);
  const zones = new Set<string>();
  for (const t of types) for (const o of t.offerings) if (pool.requirements.allows(LABEL.zone, o.zone)) zones.add(o.zone);
  return {
    type: 'nodepool.defined',
    nodepool: pool.name,
    weight: pool.weight,
    requirements: pool.requirements.toList(),
    labels: sortedRecord(pool.labels),
    taints: pool.taints.map(loggedTaint),
    limits: {
      ...(pool.limits.cpu !== undefined ? { cpuMilli: pool.limits.cpu } : {}),
      ...(pool.limits.memory !== undefined ? { memoryMiB: pool.limits.memory } : {}),
    },
    instanceTypes: types.map((t) => t.name).sort(),
    zones: [...zones].sort(),
    capacityTypes: pool.requirements.narrow(LABEL.capacityType, CAPACITY_TYPES) as CapacityType[],
    consolidationPolicy: pool.consolidationPolicy,
    consolidateAfterMs: pool.consolidateAfterMs,
    expireAfterMs: pool.expireAfterMs,
  };
}

export function nodeGroupDefined(group: NodeGroup): EventBody {
  return {
    type: 'nodegroup.defined',
    group: group.name,
    instanceType: group.type.name,
    capacityType: group.capacityType,
    zones: [...group.zones],
    min: group.min,
    max: group.max,
    autoscaled: group.autoscaled,
    labels: sortedRecord(group.labels),
    taints: group.taints.map(loggedTaint),
    ...shapeOf(group.type),
  };
}

function loggedTaint(t: Taint): LoggedTaint {
  return t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect };
}

/** Keys in order, so the log of the same run is the same bytes whatever order labels were merged in. */
function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
