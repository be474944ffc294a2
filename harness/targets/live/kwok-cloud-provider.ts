import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type V1Node, type V1NodeCondition } from '@kubernetes/client-node';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { Resources } from '../../../provisioner/api/resources.js';
import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';
import { CloudProviderError, type CloudInstance, type CloudProvider, type LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';
import type { NodeInterruption } from '../../../provisioner/runtime/events.js';
import type { Random } from '../../../provisioner/runtime/random.js';
import type { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { launchedNode } from '../../../provisioner/cloudprovider/launched-node.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import { drawLatency } from '../../clock/latency.js';
import { wallTimeIso } from '../../clock/wall-clock.js';
import type { CloudProfile } from '../../sim/cloud-profile.js';
import type { KubeClient } from '../kube-client.js';
import { kwokNode } from '../kwok-nodes.js';
import { codeOf, describeApiError } from './api-errors.js';
import { KARPENTER_API } from './karpenter-crds.js';
import { nodeClaimObject, nodeClaimStatus, providerId, type ClaimCondition } from './nodeclaim-objects.js';

export interface KwokCloudDeps {
  client: KubeClient;
  state: ClusterState;
  /** Scenario time: the profile's latencies are scenario durations, and the clock runs them `speed` times faster. */
  clock: Clock;
  random: Random;
  profile: CloudProfile;
  /** Scenario seconds per wall second: what turns a delay kwok plays on the wall clock into wall time. */
  speed: number;
  overhead: Resources;
  types: readonly InstanceType[];
  /** The node class a NodePool's claims name (NodeClaim.spec.nodeClassRef is required). */
  nodeClassOf(pool: string): { group: string; kind: string; name: string };
  log(line: string): void;
}

/** Cluster Autoscaler's --max-graceful-termination-sec default: how long a removal waits for evicted pods to leave. */
export const DRAIN_LIMIT_MS = 600_000;
const DRAIN_POLL_MS = 1_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;
const NOT_READY_TAINT = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' } as const;

interface Instance extends CloudInstance {
  request: LaunchRequest;
  /** Karpenter's claim conditions so far (NodePool launches only; node groups have no NodeClaims). */
  conditions?: ClaimCondition[];
  boot?: Timer;
  /** The Node's create call, once the boot time is over: a deletion waits for it, so no Node outlives its delete. */
  creating?: Promise<void>;
  nodeCreated?: boolean;
  /** The claim's status writes, in order. */
  statusWrites?: Promise<void>;
}

/**
 * The cloud of a kwok cluster: every launch a real NodeClaim (NodePool launches) whose conditions follow the node's
 * life (Launched at once, Registered when the Node appears, Initialized when it turns Ready), and a kwok Node
 * created after the profile's boot time (plus the ASG's lag on the node-group path), labelled and tainted as
 * EKS labels a node of that offering, with the catalog's capacity and allocatable; kwok then turns it Ready after
 * the profile's registration-to-Ready time (its node-initialize stage, per node). A deletion waits for the node's
 * pods to leave (the caller has drained it; bounded by DRAIN_LIMIT_MS), then the instance's termination time, then
 * deletes the Node and its NodeClaim.
 *
 * The node is in the ClusterState from the launch request on, as in the sim; the watch (ClusterStateFeed) moves it
 * through registered and Ready. `create` resolves once the NodeClaim is accepted (Launched); `delete` once the
 * termination is accepted, the drain wait, termination and API deletions going on in the background (retried when
 * the API fails); `idle()` waits for every call in flight.
 */
export class KwokCloudProvider implements CloudProvider {
  private readonly instances = new Map<string, Instance>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly custom: CustomObjectsApi;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private readonly downZones = new Map<string, number>();
  /** Instances that finished booting in a zone that was down, waiting for it. */
  private held: Array<{ instance: Instance; start: () => Promise<void> }> = [];
  /** Told of every notice the cloud sends; kwok has no cloud to send any, so only tests and chaos would. */
  readonly onNotice: Array<(node: string, kind: NodeInterruption['kind']) => void | Promise<void>> = [];

  constructor(private readonly deps: KwokCloudDeps) {
    this.custom = deps.client.kubeconfig.makeApiClient(CustomObjectsApi);
  }

  instanceTypes(): readonly InstanceType[] {
    return this.deps.types;
  }

  get(name: string): Promise<CloudInstance | undefined> {
    const instance = this.instances.get(name);
    return Promise.resolve(instance && publicView(instance));
  }

  list(): Promise<CloudInstance[]> {
    return Promise.resolve([...this.instances.values()].map(publicView));
  }

  /** Idempotent by name: a second create for a launch the cloud has resolves with it and launches nothing. */
  async create(request: LaunchRequest): Promise<CloudInstance> {
    const existing = this.instances.get(request.name);
    if (existing) return publicView(existing);
    if (this.stopped) throw new CloudProviderError('create', request.name, false, 'the controller is stopping');
    const instance = this.addNode(request, this.deps.clock.now() < 0);
    const launched = this.launch(instance);
    this.track(launched);
    return publicView(await launched);
  }

  /** Idempotent: an instance already shutting down, terminated or unknown is left as it is. */
  delete(name: string, reason: string): Promise<void> {
    const instance = this.instances.get(name);
    if (!instance || instance.state === 'shutting-down' || instance.state === 'terminated') return Promise.resolve();
    instance.state = 'shutting-down';
    this.track(this.terminate(instance, reason));
    return Promise.resolve();
  }

  /** A node running before the scenario starts: its Node is created at once and turns Ready without boot time. */
  async createReady(request: LaunchRequest): Promise<void> {
    const instance = this.addNode(request, true);
    await this.createNode(instance, 0, true);
  }

  /** The NodeClaim follows its node: Registered when the Node appears. */
  registered(node: StateNode): void {
    this.setCondition(node.name, { type: 'Registered', reason: 'Registered' });
  }

  /** Initialized (and the claim Ready) when the node turns Ready. */
  ready(node: StateNode): void {
    const instance = this.instances.get(node.name);
    if (instance) instance.state = 'running';
    this.setCondition(node.name, { type: 'Initialized', reason: 'Initialized' }, { type: 'Ready', reason: 'Ready' });
  }

  /** Sends a cloud notice about an instance to every listener (the Karpenter arm's interruption handling), each in turn. */
  async notify(name: string, kind: NodeInterruption['kind']): Promise<void> {
    for (const listener of this.onNotice) await listener(name, kind);
  }

  /**
   * The cloud took the instance away (a Spot reclaim, a termination; chaos deleted its Node): the instance is gone and
   * so is its NodeClaim, as Karpenter's garbage collection removes the claim of an instance the cloud no longer has.
   */
  async reclaimed(name: string): Promise<void> {
    const instance = this.instances.get(name);
    if (!instance) return;
    instance.boot?.cancel();
    this.forget(instance);
    if (instance.request.ownerKind === 'nodepool') await this.retried(`delete NodeClaim ${name}`, () => this.custom.deleteClusterCustomObject({ ...claimsApi, name }));
  }

  /**
   * A restarted controller's fresh state: the instances still booting (no Node yet) are launching nodes in it, as a
   * restarted controller learns of them from the cloud's API (its NodeClaims, the group's instances); the rest it
   * reads from the cluster through its informers.
   */
  adopt(state: ClusterState): void {
    this.deps.state = state;
    for (const instance of this.instances.values()) {
      if (instance.nodeCreated || instance.state !== 'pending' || state.nodes.has(instance.name)) continue;
      state.addNode(launchedNode(instance.request, this.deps.overhead, this.deps.clock.now(), false));
    }
  }

  /**
   * A zone outage (or, with false, its end): instances that finish booting there meanwhile come up only once it is
   * over. Outages may overlap; the zone is back when the last one ends.
   */
  zoneDown(zone: string, down: boolean): void {
    const n = (this.downZones.get(zone) ?? 0) + (down ? 1 : -1);
    if (n > 0) {
      this.downZones.set(zone, n);
      return;
    }
    this.downZones.delete(zone);
    const waiting = this.held.filter((h) => h.instance.zone === zone);
    this.held = this.held.filter((h) => h.instance.zone !== zone);
    for (const { instance, start } of waiting) {
      if (this.stopped || instance.state !== 'pending') continue;
      instance.creating = start();
      this.track(instance.creating);
    }
  }

  /** Waits for every API call in flight (launches, conditions, deletions). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops booting nodes and starting new API calls, and abandons deletions still waiting; what is in flight finishes (await `idle()`). */
  stop(): void {
    this.stopped = true;
    for (const i of this.instances.values()) i.boot?.cancel();
    for (const done of [...this.waiters]) done();
  }

  /**
   * The launch: the boot timer for the Node, and the NodeClaim (Launched). Resolves once the claim is accepted;
   * rejects with CloudProviderError (the node given up, nothing left behind) when the API refuses it.
   */
  private async launch(instance: Instance): Promise<Instance> {
    const { request } = instance;
    const { clock, profile, random } = this.deps;
    // Before t = 0 (a live run's warm-up, where the scenario clock reads negative) the cluster is being brought to
    // its starting state: as the sim's warm start, what the arm launches then is there and Ready at once, initial.
    const warmUp = clock.now() < 0;
    const lag = request.path === 'asg' && !warmUp ? drawLatency(profile.asgDelay, random) : 0;
    const boot = warmUp ? 0 : drawLatency(profile.launchToRegistered, random);
    const init = warmUp ? 0 : drawLatency(profile.registeredToReady, random);
    const launchedAt = wallTimeIso();
    instance.boot = clock.setTimer(lag + boot, () => {
      instance.boot = undefined;
      if (this.stopped || instance.state !== 'pending') return;
      // An instance in a zone that is down does not come up until the zone does.
      if (this.downZones.has(instance.zone)) {
        this.held.push({ instance, start: () => this.createNode(instance, init, warmUp, launchedAt) });
        return;
      }
      instance.creating = this.createNode(instance, init, warmUp, launchedAt);
      this.track(instance.creating);
    });
    if (request.ownerKind !== 'nodepool') return instance;
    // Status writes queue behind the create, so a node that registers very fast still finds its claim.
    const created = this.custom.createClusterCustomObject({ ...claimsApi, body: nodeClaimObject(request, this.deps.nodeClassOf(request.owner)) });
    instance.conditions = [];
    instance.statusWrites = created.then(
      () => undefined,
      () => undefined,
    );
    try {
      await created;
    } catch (err) {
      // A claim that already exists is this launch, answered before (create is idempotent by name).
      if (codeOf(err) !== 409) {
        this.deps.log(`NodeClaim ${request.name}: create failed (${describeApiError(err)}); the node is given up`);
        instance.boot?.cancel();
        this.forget(instance);
        const code = codeOf(err);
        throw new CloudProviderError('create', request.name, code === undefined || code === 429 || code >= 500, describeApiError(err), { cause: err });
      }
    }
    void this.setCondition(request.name, { type: 'Launched', reason: 'Launched' });
    return instance;
  }

  /** Waits for the node's pods to leave, then for the instance to terminate, then deletes the Node and NodeClaim. */
  private async terminate(instance: Instance, reason: string): Promise<void> {
    const { clock, profile, random } = this.deps;
    // Read afresh each time: a restarted controller (an autoscaler-crash fault) has a state of its own.
    const node = (): StateNode | undefined => this.deps.state.nodes.get(instance.name);
    instance.boot?.cancel();
    const first = node();
    if (first) first.phase = 'terminating';
    await instance.creating;
    const started = clock.now();
    const left = (): number => node()?.pods.size ?? 0;
    while (left() > 0 && clock.now() - started < DRAIN_LIMIT_MS && !this.stopped) await this.wait(DRAIN_POLL_MS);
    if (left() > 0) this.deps.log(`node ${instance.name}: ${left()} pod(s) still there after the drain limit; terminating (${reason})`);
    await this.wait(drawLatency(profile.terminate, random));
    // A stopped controller leaves the cluster as it is: the run's teardown takes it all down.
    if (this.stopped) return;
    if (instance.nodeCreated) await this.retried(`delete node ${instance.name}`, () => this.deps.client.core.deleteNode({ name: instance.name }));
    if (instance.request.ownerKind === 'nodepool') {
      await this.retried(`delete NodeClaim ${instance.name}`, () => this.custom.deleteClusterCustomObject({ ...claimsApi, name: instance.name }));
    }
    // A node that never booted has no Node for the watch to see go; otherwise the watch takes it out of the state.
    if (!instance.nodeCreated) this.forget(instance);
    instance.state = 'terminated';
    this.instances.delete(instance.name);
  }

  private addNode(request: LaunchRequest, initial: boolean): Instance {
    const { type } = request;
    const node = launchedNode(request, this.deps.overhead, this.deps.clock.now(), initial);
    this.deps.state.addNode(node);
    const instance: Instance = { name: request.name, type: type.name, zone: request.zone, capacityType: request.capacityType, state: 'pending', request };
    this.instances.set(request.name, instance);
    return instance;
  }

  /** The kwok Node; kwok turns it Ready `initMs` of scenario time later (its per-node stage delay, in wall time). */
  private async createNode(instance: Instance, initMs: number, initial: boolean, launchedAt?: string): Promise<void> {
    const node = this.deps.state.nodes.get(instance.name);
    if (!node) return;
    const body: V1Node = kwokNode({
      name: node.name,
      instanceType: node.instanceType,
      zone: node.zone,
      capacityType: node.capacityType,
      arch: node.labels[LABEL.arch] === 'arm64' ? 'arm64' : 'amd64',
      ...(node.ownerKind === 'nodepool' ? { nodepool: node.owner } : {}),
      cpuMilli: node.allocatable.cpu,
      memoryMiB: node.allocatable.memory,
      maxPods: node.allocatable.pods,
      capacity: { cpuMilli: node.capacity.cpu, memoryMiB: node.capacity.memory, maxPods: node.capacity.pods },
      ...(node.allocatable.gpu > 0 ? { gpus: node.allocatable.gpu } : {}),
      pricePerHour: node.pricePerHour,
      initial,
      readyDelay: `${Math.round(initMs / this.deps.speed)}ms`,
      labels: node.labels,
      // A kubelet registers its node not-ready; the node lifecycle controller lifts the taint once it is Ready, so
      // the scheduler places nothing on a booting node (kwok would start pods on it regardless).
      taints: initial ? node.taints : [...node.taints, NOT_READY_TAINT],
      ...(launchedAt ? { launchedAt } : {}),
    });
    body.spec = { ...body.spec, providerID: providerId(node.name) };
    if (!initial) body.status = { ...body.status, conditions: [registeringCondition(wallTimeIso())] };
    try {
      await this.deps.client.core.createNode({ body });
      instance.nodeCreated = true;
    } catch (err) {
      this.deps.log(`node ${node.name}: create failed (${describeApiError(err)}); the node is given up`);
      if (instance.request.ownerKind === 'nodepool') await this.retried(`delete NodeClaim ${node.name}`, () => this.custom.deleteClusterCustomObject({ ...claimsApi, name: node.name }));
      this.forget(instance);
    }
  }

  /**
   * Sets conditions on the claim. Status writes are merge patches of the whole list, sent one after another per
   * claim and built when sent, so a slow earlier write never overwrites a later one.
   */
  private setCondition(name: string, ...set: Array<Omit<ClaimCondition, 'status' | 'lastTransitionTime'>>): Promise<void> {
    const instance = this.instances.get(name);
    if (!instance?.conditions || this.stopped) return Promise.resolve();
    const now = wallTimeIso();
    for (const c of set) {
      instance.conditions = instance.conditions.filter((x) => x.type !== c.type);
      instance.conditions.push({ ...c, status: 'True', lastTransitionTime: now });
    }
    const send = async (): Promise<void> => {
      const node = this.deps.state.nodes.get(name);
      const body = { status: nodeClaimStatus(instance.request, instance.conditions ?? [], node && node.phase !== 'launching' ? name : undefined) };
      try {
        await this.custom.patchClusterCustomObjectStatus({ ...claimsApi, name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      } catch (err) {
        this.deps.log(`NodeClaim ${name}: status update failed (${describeApiError(err)})`);
      }
    };
    instance.statusWrites = (instance.statusWrites ?? Promise.resolve()).then(send);
    this.track(instance.statusWrites);
    return instance.statusWrites;
  }

  private forget(instance: Instance): void {
    instance.state = 'terminated';
    this.instances.delete(instance.name);
    const node = this.deps.state.nodes.get(instance.name);
    if (node) {
      node.phase = 'terminated';
      this.deps.state.removeNode(node);
    }
  }

  /** Resolves after `ms` of scenario time, or at once when the provider stops (its clock's timers are cancelled then). */
  private wait(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      this.deps.clock.setTimer(ms, done);
    });
  }

  /** A deletion that must happen: a missing object is done; other failures are logged and tried again, backing off. */
  private async retried(what: string, call: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call();
        return;
      } catch (err) {
        if (codeOf(err) === 404) return;
        const wait = Math.min(RETRY_FIRST_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
        this.deps.log(`${what} failed, attempt ${attempt} (${describeApiError(err)}); trying again in ${wait / 1000} s`);
        if (this.stopped) return;
        await this.wait(wait);
      }
    }
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }
}

/**
 * The Ready condition a kubelet registers its node with: False until the node is up. The node lifecycle
 * controller keeps the not-ready taint while Ready is False, and removes it from a node with no Ready condition at
 * all: a Node created bare would be open to the scheduler seconds before it turns Ready (measured on kwok-burst:
 * 737 pods bound 2-5 s before their node's Ready), which no real node is.
 */
export function registeringCondition(now: string): V1NodeCondition {
  return { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready', lastHeartbeatTime: new Date(now), lastTransitionTime: new Date(now) };
}

/** What callers see of an instance: a copy, so their reads never change with the cloud's later writes. */
function publicView(i: Instance): CloudInstance {
  return { name: i.name, type: i.type, zone: i.zone, capacityType: i.capacityType, state: i.state };
}

const claimsApi = { group: KARPENTER_API.group, version: KARPENTER_API.version, plural: 'nodeclaims' } as const;
