import { LABEL, OFFERING_KEYS, TYPE_KEYS } from '../api/labels.js';
import type { NodePool } from '../api/nodepool.js';
import type { PodRef, PodSpec, TopologyKey } from '../api/pod.js';
import { add, fits, firstShortfall, RESOURCE_NAMES, sub, subInto, type Resources } from '../api/resources.js';
import { untoleratedTaint, type Taint } from '../api/taints.js';
import type { InstanceType } from '../catalog/instance-type.js';
import { cheapestPrice, chooseOffering, hasUsableOffering, type UnavailableOfferings } from './offerings.js';
import { rejection, type TopologyCounts } from './predicates.js';
import { Requirements } from './requirements.js';

/** A node that exists (or is in flight) as the solver sees it. */
export interface ExistingNode {
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  allocatable: Resources;
  requested: Resources;
  countOf(workload: string): number;
}

export interface PoolInput {
  pool: NodePool;
  /** The pool's compatible instance types, cheapest first. */
  types: readonly InstanceType[];
  /** CPU and memory of the pool's alive nodes, for limits. */
  usage: { cpu: number; memory: number };
}

export interface SolveInput {
  pods: readonly PodRef[];
  existing: readonly ExistingNode[];
  pools: readonly PoolInput[];
  /** Requests of the daemonsets every new node runs. */
  overhead: Resources;
  /** Zones the cluster spans: the topology domains a new node may open. */
  zones: readonly string[];
  zoneCount(workload: string, zone: string): number;
  unavailable: UnavailableOfferings;
  maxInstanceTypes: number;
}

export interface PlannedClaim {
  pool: string;
  /** Instance types the claim may launch as, cheapest first, truncated to maxInstanceTypes. */
  instanceTypes: InstanceType[];
  requirements: Requirements;
  pods: PodRef[];
  requested: Resources;
  /** The offering to request: the cheapest of the capacity type Karpenter prefers. */
  launch: { type: InstanceType; zone: string; capacityType: string; pricePerHour: number };
}

export interface Plan {
  nominations: Array<{ pod: PodRef; node: string }>;
  claims: PlannedClaim[];
  unsatisfiable: Array<{ pod: PodRef; reason: string }>;
}

class SimNode {
  /** Pods per workload this solve placed on the node; made on the first (most nodes get none). */
  private counts: Map<string, number> | null = null;
  /** The node's free room less what this solve placed on it; computed on first use (most nodes are never asked). */
  private room: Resources | null = null;
  constructor(readonly base: ExistingNode) {}
  get labels(): Readonly<Record<string, string>> {
    return this.base.labels;
  }
  get taints(): readonly Taint[] {
    return this.base.taints;
  }
  /** Read-only for callers: the filters run on every node for every pod, so it is not copied per call. */
  free(): Resources {
    return (this.room ??= sub(this.base.allocatable, this.base.requested));
  }
  place(spec: PodSpec): void {
    subInto(this.free(), spec.requests);
    const counts = (this.counts ??= new Map());
    counts.set(spec.workload, (counts.get(spec.workload) ?? 0) + 1);
  }
  countOf(workload: string): number {
    return this.base.countOf(workload) + (this.counts?.get(workload) ?? 0);
  }
}

class Claim {
  readonly pods: PodRef[] = [];
  readonly counts = new Map<string, number>();
  zone: string | null = null;
  /** The requirements `options` were last checked against (labels and usable offerings); null until the first pod. */
  narrowedFor: Requirements | null = null;
  /** Capacity held against the pool's limits: the largest type the claim may still launch as. */
  reserved = { cpu: 0, memory: 0 };
  constructor(
    readonly input: PoolInput,
    public reqs: Requirements,
    public options: InstanceType[],
    public requested: Resources,
  ) {}
  countOf(workload: string): number {
    return this.counts.get(workload) ?? 0;
  }
}

/**
 * Karpenter's scheduling simulation as a pure function: pods largest first; each onto an existing or in-flight node
 * if kube-scheduler's filters pass, else onto a claim already planned in this solve (the one with the fewest pods
 * first, as Karpenter tries its in-flight NodeClaims), else onto a new claim from the heaviest NodePool that can take it. A claim keeps every instance type that still fits all its pods (daemonset
 * overhead included) and launches as the cheapest. Pods no NodePool can take are returned with the reason.
 */
export function solve(input: SolveInput): Plan {
  const pods = [...input.pods].sort(
    (a, b) => b.spec.requests.cpu - a.spec.requests.cpu || b.spec.requests.memory - a.spec.requests.memory || (a.name < b.name ? -1 : 1),
  );
  // Made as the search reaches them: a what-if for one node's pods usually places them on the first few nodes.
  const nodes: Array<SimNode | undefined> = new Array<SimNode | undefined>(input.existing.length);
  const nodeAt = (i: number): SimNode => (nodes[i] ??= new SimNode(input.existing[i]!));
  const claims: Claim[] = [];
  const planned = new Map<string, Map<string, number>>();
  const pools = [...input.pools].sort((a, b) => b.pool.weight - a.pool.weight || (a.pool.name < b.pool.name ? -1 : 1));
  const poolPlanned = new Map<string, { cpu: number; memory: number }>();
  const plan: Plan = { nominations: [], claims: [], unsatisfiable: [] };

  const zoneCount = (workload: string, zone: string): number => input.zoneCount(workload, zone) + (planned.get(workload)?.get(zone) ?? 0);
  /** Pods of the selected workloads in a zone, placed before or in this solve. */
  const selectedIn = (selects: readonly string[], zone: string): number => {
    let n = 0;
    for (const w of selects) n += zoneCount(w, zone);
    return n;
  };
  /** Workloads with a pod placed in this solve, on a node or a claim, pinned to a zone or not. */
  const placedNow = new Set<string>();
  const placedBefore = new Map<string, boolean>();
  const anyPlaced = (selects: readonly string[]): boolean =>
    selects.some((w) => {
      if (placedNow.has(w)) return true;
      let before = placedBefore.get(w);
      if (before === undefined) placedBefore.set(w, (before = input.zones.some((z) => input.zoneCount(w, z) > 0)));
      return before;
    });
  const domains = new Map<PodSpec, string[]>();
  /** Zones that count for a spec's spread, as Karpenter sees them: where a usable pool can launch or a matching node runs. */
  const zoneDomains = (spec: PodSpec): string[] => {
    let zones = domains.get(spec);
    if (zones) return zones;
    const usable = pools.filter((p) => !untoleratedTaint(p.pool.taints, spec.tolerations) && p.pool.requirements.intersect(spec.nodeRequirements).conflict() === null);
    zones = spec.nodeRequirements
      .narrow(LABEL.zone, input.zones)
      .filter((z) => usable.some((p) => p.pool.requirements.allows(LABEL.zone, z)) || input.existing.some((n) => n.labels[LABEL.zone] === z && spec.nodeRequirements.matches(n.labels)));
    domains.set(spec, zones);
    return zones;
  };
  const topology: TopologyCounts = {
    zoneCount,
    anyPlaced,
    minCount: (spec: PodSpec, key: TopologyKey, selects: readonly string[]) => {
      if (key === LABEL.hostname) return 0;
      let min = Infinity;
      for (const z of zoneDomains(spec)) min = Math.min(min, selectedIn(selects, z));
      return min === Infinity ? 0 : min;
    },
  };
  const countZone = (workload: string, zone: string): void => {
    let m = planned.get(workload);
    if (!m) planned.set(workload, (m = new Map()));
    m.set(zone, (m.get(zone) ?? 0) + 1);
  };
  const zoneBound = (spec: PodSpec): boolean =>
    spec.antiAffinity.some((t) => t.topologyKey === LABEL.zone) ||
    spec.affinity.some((t) => t.topologyKey === LABEL.zone) ||
    spec.topologySpread.some((c) => c.topologyKey === LABEL.zone && c.whenUnsatisfiable === 'DoNotSchedule');
  // A rejection is permanent within a solve for specs whose constraints only tighten as pods are placed (nodes and
  // claims only fill up; anti-affinity counts only grow): identical pods resume where the previous one stopped, which
  // keeps 20,000 identical pods near-linear. A DoNotSchedule spread and pod affinity can admit a pod where they refused
  // an earlier one; a ScheduleAnyway spread only scores, and the solver does not score existing nodes.
  const settled = (spec: PodSpec): boolean =>
    spec.affinity.length === 0 && spec.topologySpread.every((c) => c.whenUnsatisfiable !== 'DoNotSchedule');

  const nodeCursor = new Map<PodSpec, number>();

  /** Whether a zone meets the spec's zone constraints (node-local checks, resources and labels, aside). */
  const zoneAllows = (spec: PodSpec, zone: string): boolean => {
    for (const t of spec.antiAffinity) if (t.topologyKey === LABEL.zone && selectedIn(t.selects, zone) > 0) return false;
    for (const t of spec.affinity) {
      if (t.topologyKey === LABEL.zone && selectedIn(t.selects, zone) === 0 && !(t.selects.includes(spec.workload) && !anyPlaced(t.selects))) return false;
    }
    for (const c of spec.topologySpread) {
      if (c.topologyKey !== LABEL.zone || c.whenUnsatisfiable !== 'DoNotSchedule') continue;
      const self = c.selects.includes(spec.workload) ? 1 : 0;
      if (selectedIn(c.selects, zone) + self - topology.minCount(spec, LABEL.zone as TopologyKey, c.selects) > c.maxSkew) return false;
    }
    return true;
  };

  /** The zones a zone-bound pod may go to, best (fewest of its workload) first. */
  const zoneChoices = (spec: PodSpec, allowed: readonly string[]): string[] =>
    allowed.filter((z) => zoneAllows(spec, z)).sort((a, b) => zoneCount(spec.workload, a) - zoneCount(spec.workload, b) || (a < b ? -1 : 1));

  const onClaim = (claim: Claim, selects: readonly string[]): number => {
    let n = 0;
    for (const w of selects) n += claim.countOf(w);
    return n;
  };

  /** Hostname constraints on a claim: a new node is its own domain, so the hostname minimum is 0. */
  const hostAllows = (spec: PodSpec, claim: Claim): boolean => {
    for (const t of spec.antiAffinity) if (t.topologyKey === LABEL.hostname && onClaim(claim, t.selects) > 0) return false;
    for (const t of spec.affinity) {
      if (t.topologyKey === LABEL.hostname && onClaim(claim, t.selects) === 0 && !(t.selects.includes(spec.workload) && !anyPlaced(t.selects))) return false;
    }
    for (const s of spec.topologySpread) {
      if (s.topologyKey !== LABEL.hostname || s.whenUnsatisfiable !== 'DoNotSchedule') continue;
      if (onClaim(claim, s.selects) + (s.selects.includes(spec.workload) ? 1 : 0) > s.maxSkew) return false;
    }
    return true;
  };

  // Options already narrowed against these very requirements (a pod that adds none, the claim's zone unchanged) only
  // need the bigger request checked: the label and offering checks would pass again, pod after pod.
  const narrowOptions = (claim: Claim, reqs: Requirements, requested: Resources): InstanceType[] =>
    claim.narrowedFor === reqs
      ? claim.options.filter((t) => fits(requested, t.allocatable))
      : claim.options.filter((t) => fits(requested, t.allocatable) && reqs.matchesOn(t.labels, TYPE_KEYS) && hasUsableOffering(t, reqs, input.unavailable));

  const tryClaim = (pod: PodRef, claim: Claim): boolean => {
    const spec = pod.spec;
    if (!hostAllows(spec, claim)) return false;
    if (untoleratedTaint(claim.input.pool.taints, spec.tolerations)) return false;
    if (!poolDefines(claim.input.pool, spec)) return false;
    const requested = add(claim.requested, spec.requests);
    const reqs = claim.reqs.intersect(spec.nodeRequirements);
    if (reqs.conflict() !== null) return false;
    const bound = zoneBound(spec);
    // A zone-bound pod pins the claim's zone: the least-used zone that still has a type left to launch.
    const zones: Array<string | null> = !bound ? [claim.zone] : claim.zone !== null ? [claim.zone] : zoneChoices(spec, reqs.narrow(LABEL.zone, input.zones));
    for (const zone of zones) {
      if (bound && zone !== null && !zoneAllows(spec, zone)) return false;
      // A claim whose zone is already pinned has it in its requirements: pinning again would only copy them.
      const pinned = bound && zone !== null && zone !== claim.zone ? reqs.intersect(Requirements.of([{ key: LABEL.zone, operator: 'In', values: [zone] }])) : reqs;
      const options = narrowOptions(claim, pinned, requested);
      if (options.length === 0) continue;
      // A filter that kept every option kept the same list: the reservation (its largest type) stands.
      const narrowed = options.length !== claim.options.length || claim.narrowedFor === null;
      claim.options = options;
      claim.narrowedFor = pinned;
      claim.reqs = pinned;
      claim.requested = requested;
      claim.pods.push(pod);
      claim.counts.set(spec.workload, claim.countOf(spec.workload) + 1);
      placedNow.add(spec.workload);
      if (bound && zone !== null) claim.zone = zone;
      if (claim.zone !== null) countZone(spec.workload, claim.zone);
      if (narrowed) reserve(claim);
      return true;
    }
    return false;
  };

  /** Holds the claim's largest remaining type against its pool's limits; narrowing the options releases the rest. */
  const reserve = (claim: Claim): void => {
    const next = { cpu: 0, memory: 0 };
    for (const t of claim.options) {
      next.cpu = Math.max(next.cpu, t.capacity.cpu);
      next.memory = Math.max(next.memory, t.capacity.memory);
    }
    const used = poolPlanned.get(claim.input.pool.name) ?? { cpu: 0, memory: 0 };
    poolPlanned.set(claim.input.pool.name, { cpu: used.cpu + next.cpu - claim.reserved.cpu, memory: used.memory + next.memory - claim.reserved.memory });
    claim.reserved = next;
  };

  const newClaim = (pod: PodRef): { claim: Claim } | { reason: string } => {
    const reasons: string[] = [];
    for (const p of pools) {
      const pool = p.pool;
      const taint = untoleratedTaint(pool.taints, pod.spec.tolerations);
      if (taint) {
        reasons.push(`nodepool ${pool.name}: did not tolerate taint ${taint.key}`);
        continue;
      }
      const reqs = pool.requirements.intersect(pod.spec.nodeRequirements);
      const conflict = reqs.conflict() ?? undefinedKey(pool, pod.spec);
      if (conflict !== null) {
        reasons.push(`nodepool ${pool.name}: incompatible requirements on ${conflict}`);
        continue;
      }
      const used = poolPlanned.get(pool.name) ?? { cpu: 0, memory: 0 };
      const room = {
        cpu: (pool.limits.cpu ?? Infinity) - p.usage.cpu - used.cpu,
        memory: (pool.limits.memory ?? Infinity) - p.usage.memory - used.memory,
      };
      const options = p.types.filter((t) => t.capacity.cpu <= room.cpu && t.capacity.memory <= room.memory);
      if (options.length === 0) {
        reasons.push(`nodepool ${pool.name}: limits reached (cpu ${room.cpu}m, memory ${room.memory}Mi left)`);
        continue;
      }
      const claim = new Claim(p, reqs, options, input.overhead);
      if (tryClaim(pod, claim)) return { claim };
      reasons.push(`nodepool ${pool.name}: ${whyNoType(pod.spec, p, reqs, add(input.overhead, pod.spec.requests), input)}`);
    }
    return { reason: reasons.length ? reasons.join('; ') : 'no NodePool' };
  };

  const order = new ClaimOrder();
  for (const pod of pods) {
    const spec = pod.spec;
    const resumes = settled(spec);
    let placed = false;
    for (let i = resumes ? (nodeCursor.get(spec) ?? 0) : 0; i < nodes.length; i++) {
      const node = nodeAt(i);
      if (rejection(spec, node, topology) === null) {
        node.place(spec);
        placedNow.add(spec.workload);
        const zone = node.labels[LABEL.zone];
        if (zone !== undefined) countZone(spec.workload, zone);
        plan.nominations.push({ pod, node: node.base.name });
        if (resumes) nodeCursor.set(spec, i);
        placed = true;
        break;
      }
    }
    if (placed) continue;
    if (resumes) nodeCursor.set(spec, nodes.length);
    if (order.place(pod, resumes, tryClaim)) continue;
    const made = newClaim(pod);
    if ('reason' in made) {
      plan.unsatisfiable.push({ pod, reason: made.reason });
      continue;
    }
    claims.push(made.claim);
    order.add(made.claim);
  }

  if (claims.length === 0) return plan;
  const zoneLoad = new Map<string, number>();
  for (const n of input.existing) {
    const z = n.labels[LABEL.zone];
    if (z !== undefined) zoneLoad.set(z, (zoneLoad.get(z) ?? 0) + 1);
  }
  for (const claim of claims) finalize(claim, input, plan, zoneLoad);
  return plan;
}

/**
 * The in-flight claims in the order Karpenter tries them: fewest pods first (upstream sorts its new NodeClaims by pod
 * count before each pod), ties in the order a stable sort leaves them: a claim that just took a pod leads the claims
 * of its new count, a new claim trails those of one pod. A spec whose rejections are permanent skips the claims that
 * refused it before.
 */
class ClaimOrder {
  private readonly list: Claim[] = [];
  private readonly refused = new Map<PodSpec, Set<Claim>>();

  add(claim: Claim): void {
    let at = this.list.length;
    while (at > 0 && this.list[at - 1]!.pods.length > claim.pods.length) at--;
    this.list.splice(at, 0, claim);
  }

  /** Tries the claims in order; moves the one that took the pod behind the claims it no longer has fewer pods than. */
  place(pod: PodRef, resumes: boolean, tryClaim: (pod: PodRef, claim: Claim) => boolean): boolean {
    let refused = resumes ? this.refused.get(pod.spec) : undefined;
    if (resumes && !refused) this.refused.set(pod.spec, (refused = new Set()));
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const claim = list[i]!;
      if (refused?.has(claim)) continue;
      if (!tryClaim(pod, claim)) {
        refused?.add(claim);
        continue;
      }
      const was = claim.pods.length - 1;
      let j = i;
      while (j + 1 < list.length && list[j + 1]!.pods.length === was) {
        list[j] = list[j + 1]!;
        j++;
      }
      list[j] = claim;
      return true;
    }
    return false;
  }
}

/**
 * A pod constraint on a key no instance type answers for (a custom label, the nodepool name) needs the pool to
 * define it, or a node launched from the pool would lack the label; unless the constraint accepts its absence.
 */
function undefinedKey(pool: NodePool, spec: PodSpec): string | null {
  for (const key of spec.nodeRequirements.keys()) {
    if (TYPE_KEYS.has(key) || OFFERING_KEYS.has(key)) continue;
    if (!pool.requirements.has(key) && !spec.nodeRequirements.allowsAbsent(key)) return key;
  }
  return null;
}

function poolDefines(pool: NodePool, spec: PodSpec): boolean {
  return undefinedKey(pool, spec) === null;
}

/** Picks the launch offering, trims the type list Karpenter would send to CreateFleet, records the claim. */
function finalize(claim: Claim, input: SolveInput, plan: Plan, zoneLoad: Map<string, number>): void {
  const priced = claim.options
    .map((t) => ({ t, price: cheapestPrice(t, claim.reqs, input.unavailable) }))
    .sort((a, b) => a.price - b.price || (a.t.name < b.t.name ? -1 : 1))
    .slice(0, input.maxInstanceTypes)
    .map((x) => x.t);
  const chosen = chooseOffering(priced, claim.reqs, input.unavailable, (z) => zoneLoad.get(z) ?? 0);
  if (!chosen) {
    for (const pod of claim.pods) plan.unsatisfiable.push({ pod, reason: `nodepool ${claim.input.pool.name}: every offering is out of capacity` });
    return;
  }
  zoneLoad.set(chosen.offering.zone, (zoneLoad.get(chosen.offering.zone) ?? 0) + 1);
  plan.claims.push({
    pool: claim.input.pool.name,
    instanceTypes: priced,
    requirements: claim.reqs,
    pods: claim.pods,
    requested: claim.requested,
    launch: { type: chosen.type, zone: chosen.offering.zone, capacityType: chosen.offering.capacityType, pricePerHour: chosen.offering.pricePerHour },
  });
}

/** Why no instance type of a pool can hold a pod on a fresh node: the first shortfall against the largest type. */
function whyNoType(spec: PodSpec, p: PoolInput, reqs: Requirements, requested: Resources, input: SolveInput): string {
  const matching = p.types.filter((t) => reqs.matchesOn(t.labels, TYPE_KEYS));
  if (matching.length === 0) return 'no instance type matches the pod and pool requirements';
  const withOffering = matching.filter((t) => hasUsableOffering(t, reqs, input.unavailable));
  if (withOffering.length === 0) return 'every matching offering is out of capacity or outside the allowed zones';
  const largest = { cpu: 0, memory: 0, pods: 0, gpu: 0 };
  for (const t of withOffering) {
    largest.cpu = Math.max(largest.cpu, t.allocatable.cpu);
    largest.memory = Math.max(largest.memory, t.allocatable.memory);
    largest.pods = Math.max(largest.pods, t.allocatable.pods);
    largest.gpu = Math.max(largest.gpu, t.allocatable.gpu);
  }
  const short = firstShortfall(requested, largest);
  if (short) {
    return `no instance type has enough ${RESOURCE_NAMES[short]} (needs ${requested[short]} with daemonset overhead, largest allowed offers ${largest[short]})`;
  }
  if (withOffering.every((t) => !fits(requested, t.allocatable))) return 'no single instance type fits all of its requests at once';
  return `topology constraints of ${spec.workload} cannot be met in the allowed zones`;
}
