import type { Clock } from '../runtime/clock.js';
import type { Recorder } from '../runtime/recorder.js';
import { LABEL, OFFERING_KEYS, TYPE_KEYS } from '../api/labels.js';
import type { NodePool } from '../api/nodepool.js';
import type { Resources } from '../api/resources.js';
import type { Catalog } from '../catalog/catalog.js';
import type { InstanceType } from '../catalog/instance-type.js';
import { CloudProviderError, InsufficientCapacityError, type CloudProvider, type LaunchRequest } from '../cloudprovider/cloud-provider.js';
import { launchedNode } from '../cloudprovider/launched-node.js';
import { terminate } from '../cloudprovider/terminate.js';
import { chooseOffering } from '../scheduling/offerings.js';
import { solve, type Plan, type PlannedClaim, type PoolInput } from '../scheduling/solver.js';
import type { ClusterState } from '../state/cluster-state.js';
import type { StatePod } from '../state/state-pod.js';
import type { StateNode } from '../state/state-node.js';
import { Batcher } from './batcher.js';
import { IceCache } from './ice-cache.js';
import { compatibleTypes } from './nodepool-types.js';

/** Custom labels a claim's requirements pin to one value: the launched node carries them, as Karpenter's do. */
function pinnedLabels(claim: PlannedClaim): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of claim.requirements.keys()) {
    if (TYPE_KEYS.has(key) || OFFERING_KEYS.has(key)) continue;
    const v = claim.requirements.singleValue(key);
    if (v !== null) out[key] = v;
  }
  return out;
}

export interface ProvisionerSettings {
  batchIdleMs: number;
  batchMaxMs: number;
  maxInstanceTypes: number;
  iceTtlMs: number;
  /**
   * How long a launch the cloud accepted may stay without its node appearing in the cluster state before it is
   * given up and its instance deleted (Karpenter's registration TTL, 15 minutes).
   */
  registrationTtlMs?: number;
  /**
   * Put between the pool's name and the sequence number of each claim: a restarted controller (an autoscaler crash)
   * starts counting again, and must not reuse the names of nodes it launched before.
   */
  nameInfix?: string;
}

/** Karpenter gives up on a NodeClaim whose node has not registered 15 minutes after launch. */
const REGISTRATION_TTL_MS = 15 * 60_000;

/**
 * A launch decided and not yet seen as a node in the cluster state: Karpenter's NodeClaim before its Node. Planning
 * counts it as an in-flight node, so a batch that closes while a launch is still in the cloud's hands (a live
 * target's API round trip, an instance booting before its node registers) does not launch again for the same pods.
 * It ends when a node of its name joins the state (ClusterState.onNodeAdded), when the cloud rejects the launch, or
 * at the registration TTL.
 */
interface InFlight {
  node: StateNode;
  /** The cloud accepted the launch (create resolved); until then it may still be rejected. */
  accepted: boolean;
}

/** How one claim's launch ended: its node's name, or why nothing was launched. */
type Launched = { ok: true; node: string } | { ok: false; cloudError: boolean };

export interface ProvisionerDeps {
  clock: Clock;
  state: ClusterState;
  cloud: CloudProvider;
  recorder: Recorder;
  catalog: Catalog;
  pools: readonly NodePool[];
  zones: readonly string[];
  overhead: Resources;
  settings: ProvisionerSettings;
}

/**
 * Karpenter-style scale-up: unschedulable pods open a batching window; when it closes, the solver plans against
 * every live and in-flight node, and the launcher turns each planned claim into one instance through the
 * CloudProvider. An offering that fails with insufficient capacity is cached for three minutes and the claim falls
 * back at once to the cheapest offering left.
 *
 * Asynchronous cloud: a claim is recorded (claim.created, an in-flight launch planning counts) before the cloud is
 * asked, and its pods are nominated once the cloud has accepted the launch. Claims launch one at a time, in plan
 * order, and one provisioning pass runs at a time (a batch that closes meanwhile runs when the pass is done): with
 * the sim's cloud, which acts at the call and settles at once, this replays exactly what a synchronous cloud gave. A
 * launch the cloud rejects for any other reason than capacity is logged as cloud.error and leaves its pods pending;
 * they open a new batch.
 */
export class Provisioner {
  private readonly batcher: Batcher;
  readonly ice: IceCache;
  private readonly poolTypes: Map<string, InstanceType[]>;
  /** The NodePools as they stand now: a spec change mid-run (drift) replaces one. */
  private current: NodePool[];
  private readonly nominated = new Map<string, string>();
  private readonly reportedUnsatisfiable = new Set<string>();
  private readonly inFlight = new Map<string, InFlight>();
  private passing = false;
  private passAgain = false;
  private seq = 0;

  constructor(private readonly deps: ProvisionerDeps) {
    this.batcher = new Batcher(deps.clock, deps.settings.batchIdleMs, deps.settings.batchMaxMs, () => this.flush());
    this.ice = new IceCache(deps.clock, deps.settings.iceTtlMs);
    this.poolTypes = new Map(deps.pools.map((p) => [p.name, compatibleTypes(deps.catalog, p.requirements)]));
    this.current = [...deps.pools];
    deps.state.onNodeAdded.push((node) => this.inFlight.delete(node.name));
  }

  get pools(): readonly NodePool[] {
    return this.current;
  }

  /** A NodePool's spec changed: later launches follow the new one. */
  setPool(pool: NodePool): void {
    this.current = this.current.map((p) => (p.name === pool.name ? pool : p));
    this.poolTypes.set(pool.name, compatibleTypes(this.deps.catalog, pool.requirements));
  }

  /** The catalog stopped offering types or offerings: later plans choose among what is left. */
  offeringsChanged(): void {
    for (const pool of this.current) this.poolTypes.set(pool.name, compatibleTypes(this.deps.catalog, pool.requirements));
  }

  /** A pod went unschedulable (or stayed so after a scheduling pass): open or extend the batch. */
  trigger(): void {
    this.batcher.trigger();
  }

  /**
   * Launches at once what the pods of a node about to go need: Karpenter provisions for the pods of nodes marked for
   * deletion before they are evicted, so their replacements boot while the node drains. The node must be cordoned
   * already, so the plan does not count it; pods that fit on other nodes need nothing. Returns the claims launched
   * and the instance types they may be launched as, cheapest first, once the cloud has accepted every launch.
   */
  async replace(pods: readonly StatePod[]): Promise<{ claims: string[]; instanceTypes: string[] }> {
    const claims: string[] = [];
    const instanceTypes = new Set<string>();
    if (pods.length === 0) return { claims, instanceTypes: [] };
    const plan = this.plan(pods);
    const usage = new Map(this.deps.pools.map((p) => [p.name, this.usageOf(p.name)]));
    for (const claim of plan.claims) {
      const launched = await this.launch(claim, usage.get(claim.pool)!);
      if (!launched.ok) continue;
      claims.push(launched.node);
      for (const t of claim.instanceTypes) instanceTypes.add(t.name);
    }
    return { claims, instanceTypes: [...instanceTypes] };
  }

  /** Plans for the pods without running the launcher: what-if answers and the warm start use this. */
  plan(pods: readonly StatePod[]): Plan {
    const { state } = this.deps;
    const existing = [...state.nodes.values()].filter((n) => n.alive && !n.cordoned);
    for (const flight of this.inFlight.values()) existing.push(flight.node);
    return this.solveOver(pods, existing, (w, z) => state.zoneCount(w, z));
  }

  /**
   * Disruption's what-if: where would the pods of the `leaving` nodes go if those nodes were gone? The same solver,
   * over the Ready, uncordoned nodes that stay (in-flight nodes are left out: their room is promised to the pods
   * they were launched for) plus new claims, with the leaving pods taken out of the topology counts.
   */
  simulate(pods: readonly StatePod[], leaving: ReadonlySet<string>): Plan {
    const { state } = this.deps;
    const existing = [...state.nodes.values()].filter((n) => n.phase === 'ready' && !n.cordoned && !leaving.has(n.name));
    const moved = new Map<string, number>();
    for (const p of pods) if (p.node) moved.set(`${p.spec.workload}/${p.node.zone}`, (moved.get(`${p.spec.workload}/${p.node.zone}`) ?? 0) + 1);
    return this.solveOver(pods, existing, (w, z) => state.zoneCount(w, z) - (moved.get(`${w}/${z}`) ?? 0));
  }

  /** The solver over these nodes and the current NodePools, with the zone counts topology spread reads. */
  private solveOver(pods: readonly StatePod[], existing: StateNode[], zoneCount: (workload: string, zone: string) => number): Plan {
    return solve({
      pods,
      existing,
      pools: this.current.map((pool) => this.poolInput(pool)),
      overhead: this.deps.overhead,
      zones: this.deps.zones,
      zoneCount,
      unavailable: this.ice,
      maxInstanceTypes: this.deps.settings.maxInstanceTypes,
    });
  }

  /** Launches a claim disruption planned as a replacement; its node's name, or null when nothing could launch. */
  async launchClaim(claim: PlannedClaim): Promise<string | null> {
    const launched = await this.launch(claim, this.usageOf(claim.pool));
    return launched.ok ? launched.node : null;
  }

  /** The launch requests for a plan's claims, each held to its NodePool's limits (the warm start uses these). */
  launchRequests(plan: Plan): Array<{ claim: PlannedClaim; request: LaunchRequest | null; reason?: string }> {
    const usage = new Map(this.current.map((p) => [p.name, this.usageOf(p.name)]));
    return plan.claims.map((claim) => {
      const request = this.requestFor(claim, usage.get(claim.pool)!, this.nextName(claim.pool));
      if (!request) return { claim, request: null, reason: `nodepool ${claim.pool}: limits reached` };
      this.charge(usage.get(claim.pool)!, request);
      return { claim, request };
    });
  }

  /**
   * The request for a claim: its planned offering, or the cheapest one left that fits the pool's remaining limits and
   * is not known to be out of capacity. Null when nothing is left.
   */
  private requestFor(claim: PlannedClaim, used: { cpu: number; memory: number }, name: string): LaunchRequest | null {
    const pool = this.current.find((p) => p.name === claim.pool)!;
    const within = (t: InstanceType): boolean =>
      used.cpu + t.capacity.cpu <= (pool.limits.cpu ?? Infinity) && used.memory + t.capacity.memory <= (pool.limits.memory ?? Infinity);
    const planned = claim.launch;
    const usable = within(planned.type) && !this.ice.isUnavailable(planned.type.name, planned.zone, planned.capacityType as LaunchRequest['capacityType']);
    const chosen = usable ? planned : this.cheapestWithin(claim, within);
    if (!chosen) return null;
    return {
      name,
      type: chosen.type,
      zone: chosen.zone,
      capacityType: chosen.capacityType as LaunchRequest['capacityType'],
      pricePerHour: chosen.pricePerHour,
      owner: pool.name,
      ownerKind: 'nodepool',
      labels: { ...pinnedLabels(claim), ...pool.labels, [LABEL.nodepool]: pool.name },
      taints: pool.taints,
      path: 'fleet',
    };
  }

  private nextName(pool: string): string {
    return `${pool}-${this.deps.settings.nameInfix ?? ''}${(++this.seq).toString().padStart(4, '0')}`;
  }

  private charge(used: { cpu: number; memory: number }, request: LaunchRequest): void {
    used.cpu += request.type.capacity.cpu;
    used.memory += request.type.capacity.memory;
  }

  private cheapestWithin(claim: PlannedClaim, within: (t: InstanceType) => boolean): PlannedClaim['launch'] | null {
    const chosen = chooseOffering(claim.instanceTypes.filter(within), claim.requirements, this.ice);
    return chosen ? { type: chosen.type, zone: chosen.offering.zone, capacityType: chosen.offering.capacityType, pricePerHour: chosen.offering.pricePerHour } : null;
  }

  /** The batching window closed: a provisioning pass now, or right after the one under way. */
  private flush(): Promise<void> | undefined {
    if (this.passing) {
      this.passAgain = true;
      return undefined;
    }
    return this.passes();
  }

  private async passes(): Promise<void> {
    this.passing = true;
    try {
      do {
        this.passAgain = false;
        await this.provision();
      } while (this.passAgain);
    } finally {
      this.passing = false;
    }
  }

  private async provision(): Promise<void> {
    this.forgetUnregistered();
    const pods = this.deps.state.pendingPods().filter((p) => p.provisionable);
    if (pods.length === 0) return;
    const plan = this.plan(pods);
    for (const { pod, node } of plan.nominations) this.nominate(pod.name, node);
    const usage = new Map(this.current.map((p) => [p.name, this.usageOf(p.name)]));
    for (const claim of plan.claims) {
      const launched = await this.launch(claim, usage.get(claim.pool)!);
      if (launched.ok) for (const pod of claim.pods) this.nominate(pod.name, launched.node);
      else if (!launched.cloudError) for (const pod of claim.pods) this.unsatisfiable(pod.name, `nodepool ${claim.pool}: limits reached or every offering out of capacity`);
    }
    for (const { pod, reason } of plan.unsatisfiable) this.unsatisfiable(pod.name, reason);
  }

  /**
   * Launches one claim the way CreateFleet does: its cheapest offering first and, when EC2 answers insufficient
   * capacity, the next cheapest, caching each failed offering. Only a launch the cloud accepted counts against the
   * pool's limits. Any other rejection drops the claim (cloud.error) and opens a batch, so its pods are planned again.
   */
  private async launch(claim: PlannedClaim, used: { cpu: number; memory: number }): Promise<Launched> {
    const name = this.nextName(claim.pool);
    let first = true;
    for (;;) {
      const request = this.requestFor(claim, used, name);
      if (!request) return { ok: false, cloudError: false };
      if (first) {
        this.deps.recorder.emit({ type: 'claim.created', claim: request.name, nodepool: claim.pool, instanceTypes: claim.instanceTypes.map((t) => t.name), pods: claim.pods.length });
        first = false;
      }
      const flight: InFlight = { node: launchedNode(request, this.deps.overhead, this.deps.clock.now(), false), accepted: false };
      this.inFlight.set(name, flight);
      try {
        await this.deps.cloud.create(request);
      } catch (err) {
        this.inFlight.delete(name);
        if (err instanceof InsufficientCapacityError) {
          this.ice.markUnavailable(err.type, err.zone, err.capacityType);
          continue;
        }
        if (!(err instanceof CloudProviderError)) throw err;
        this.deps.recorder.emit({ type: 'cloud.error', operation: 'create', node: name, error: err.message });
        this.trigger();
        return { ok: false, cloudError: true };
      }
      this.charge(used, request);
      flight.accepted = true;
      return { ok: true, node: name };
    }
  }

  /**
   * A launch the cloud accepted whose node never joined the cluster state within the registration TTL is given up,
   * and its instance deleted, as Karpenter's liveness check does.
   */
  private forgetUnregistered(): void {
    if (this.inFlight.size === 0) return;
    const ttl = this.deps.settings.registrationTtlMs ?? REGISTRATION_TTL_MS;
    for (const [name, flight] of this.inFlight) {
      if (flight.accepted && this.deps.clock.now() - flight.node.launchedAt >= ttl) {
        this.inFlight.delete(name);
        terminate(this.deps, name, 'registration-timeout');
      }
    }
  }

  /** Launches recorded and not yet seen as nodes in the cluster state, by node name. */
  get launchesInFlight(): readonly string[] {
    return [...this.inFlight.keys()];
  }

  private nominate(pod: string, node: string): void {
    this.reportedUnsatisfiable.delete(pod);
    if (this.nominated.get(pod) === node) return;
    this.nominated.set(pod, node);
    this.deps.recorder.emit({ type: 'pod.nominated', pod, node });
  }

  private unsatisfiable(pod: string, reason: string): void {
    if (this.reportedUnsatisfiable.has(pod)) return;
    this.reportedUnsatisfiable.add(pod);
    this.deps.recorder.emit({ type: 'pod.unsatisfiable', pod, reason });
  }

  private usageOf(pool: string): { cpu: number; memory: number } {
    const used = { cpu: 0, memory: 0 };
    for (const n of this.deps.state.nodes.values()) {
      if (n.alive && n.ownerKind === 'nodepool' && n.owner === pool) {
        used.cpu += n.capacity.cpu;
        used.memory += n.capacity.memory;
      }
    }
    for (const { node } of this.inFlight.values()) {
      if (node.owner === pool) {
        used.cpu += node.capacity.cpu;
        used.memory += node.capacity.memory;
      }
    }
    return used;
  }

  private poolInput(pool: NodePool): PoolInput {
    return { pool, types: this.poolTypes.get(pool.name) ?? [], usage: this.usageOf(pool.name) };
  }
}
