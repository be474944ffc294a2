/**
 * Builders for tests: small value objects with sane defaults, so each test states only what it is about.
 * `pendingPod({ cpu: '500m' })`, `readyNode({ type: 'm5.large' })`, `pool({ requirements: [...] })`.
 */
import { LABEL } from '../../provisioner/api/labels.js';
import { withDefaultRequirements, type NodePool } from '../../provisioner/api/nodepool.js';
import type { PodAffinityTerm, PodRef, PodSpec, TopologySpread, TopologyKey } from '../../provisioner/api/pod.js';
import { parseCpu, parseMemory, resources, type Resources } from '../../provisioner/api/resources.js';
import type { Taint, Toleration } from '../../provisioner/api/taints.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import { Requirements, type Requirement } from '../../provisioner/scheduling/requirements.js';
import type { ExistingNode } from '../../provisioner/scheduling/solver.js';

export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

let catalog: Catalog | undefined;
/** The full us-east-1 catalog restricted to three zones, built once per test file. */
export function testCatalog(): Catalog {
  return (catalog ??= new Catalog({ region: 'us-east-1', zones: ZONES }));
}

export function instanceType(name: string): InstanceType {
  const t = testCatalog().get(name);
  if (!t) throw new Error(`no instance type ${name} in the test catalog`);
  return t;
}

export interface PodOptions {
  name?: string;
  workload?: string;
  cpu?: string;
  memory?: string;
  gpu?: number;
  priority?: number;
  nodeSelector?: Record<string, string>;
  affinity?: Requirement[];
  tolerations?: Toleration[];
  spread?: Array<Partial<TopologySpread> & { topologyKey: TopologyKey }>;
  /** Anti-affinity terms: a key alone selects the pod's own workload. */
  antiAffinity?: Array<TopologyKey | PodAffinityTerm>;
  /** Required pod affinity terms: a key alone selects the pod's own workload. */
  podAffinity?: Array<TopologyKey | PodAffinityTerm>;
}

function terms(workload: string, list: Array<TopologyKey | PodAffinityTerm> = []): PodAffinityTerm[] {
  return list.map((t) => (typeof t === 'string' ? { topologyKey: t, selects: [workload] } : t));
}

const specs = new Map<string, PodSpec>();

/** A pod spec; identical options give the same spec object, as pods of one workload share one. */
export function podSpec(o: PodOptions = {}): PodSpec {
  const key = JSON.stringify({ ...o, name: undefined });
  const known = specs.get(key);
  if (known) return known;
  const workload = o.workload ?? 'app';
  const spec: PodSpec = {
    workload,
    requests: resources({ cpu: parseCpu(o.cpu ?? '100m')!, memory: parseMemory(o.memory ?? '128Mi')!, gpu: o.gpu ?? 0, pods: 1 }),
    priority: o.priority ?? 0,
    nodeRequirements: Requirements.fromLabels(o.nodeSelector ?? {}).intersect(Requirements.of(o.affinity ?? [])),
    tolerations: o.tolerations ?? [],
    topologySpread: (o.spread ?? []).map((s) => ({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' as const, selects: [workload], ...s })),
    affinity: terms(workload, o.podAffinity),
    antiAffinity: terms(workload, o.antiAffinity),
    doNotDisrupt: false,
  };
  specs.set(key, spec);
  return spec;
}

let podSeq = 0;
export function pendingPod(o: PodOptions = {}): PodRef {
  return { name: o.name ?? `pod-${++podSeq}`, spec: podSpec(o) };
}

export function pendingPods(n: number, o: PodOptions = {}): PodRef[] {
  return Array.from({ length: n }, () => pendingPod(o));
}

export interface NodeOptions {
  name?: string;
  type?: string;
  zone?: string;
  capacityType?: 'spot' | 'on-demand';
  taints?: Taint[];
  labels?: Record<string, string>;
  requested?: Partial<Resources>;
  workloads?: Record<string, number>;
}

let nodeSeq = 0;
/** A Ready node of a real instance type, as the filters and the solver see it. */
export function readyNode(o: NodeOptions = {}): ExistingNode & { allocatable: Resources; free(): Resources; zone: string } {
  const type = instanceType(o.type ?? 'm5.large');
  const name = o.name ?? `node-${++nodeSeq}`;
  const zone = o.zone ?? ZONES[0]!;
  const requested = resources(o.requested ?? {});
  const counts = new Map(Object.entries(o.workloads ?? {}));
  return {
    name,
    zone,
    labels: { ...type.labels, ...o.labels, [LABEL.zone]: zone, [LABEL.capacityType]: o.capacityType ?? 'on-demand', [LABEL.hostname]: name },
    taints: o.taints ?? [],
    allocatable: type.allocatable,
    requested,
    countOf: (w) => counts.get(w) ?? 0,
    free: () => ({
      cpu: type.allocatable.cpu - requested.cpu,
      memory: type.allocatable.memory - requested.memory,
      pods: type.allocatable.pods - requested.pods,
      gpu: type.allocatable.gpu - requested.gpu,
    }),
  };
}

export interface PoolOptions {
  name?: string;
  labels?: Record<string, string>;
  weight?: number;
  requirements?: Requirement[];
  taints?: Taint[];
  limits?: { cpu?: number; memory?: number };
  zones?: string[];
}

export function pool(o: PoolOptions = {}): NodePool {
  return {
    name: o.name ?? 'default',
    weight: o.weight ?? 0,
    requirements: withDefaultRequirements(o.requirements ?? [], { ...o.labels, [LABEL.nodepool]: o.name ?? 'default' }).intersect(
      Requirements.of([{ key: LABEL.zone, operator: 'In', values: o.zones ?? ZONES }]),
    ),
    labels: o.labels ?? {},
    taints: o.taints ?? [],
    limits: o.limits ?? {},
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfterMs: 30_000,
    expireAfterMs: null,
    terminationGracePeriodMs: null,
  };
}

/** Zone counts for topology checks, from a plain table: { app: { 'us-east-1a': 2 } }. */
export function zoneCounts(table: Record<string, Record<string, number>> = {}): (workload: string, zone: string) => number {
  return (w, z) => table[w]?.[z] ?? 0;
}
