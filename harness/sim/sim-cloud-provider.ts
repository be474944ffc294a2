import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import {
  InsufficientCapacityError,
  type CloudInstance,
  type CloudProvider,
  type LaunchRequest,
} from '../../provisioner/cloudprovider/cloud-provider.js';
import { launchedNode } from '../../provisioner/cloudprovider/launched-node.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import { drawLatency } from '../clock/latency.js';
import type { Random } from '../../provisioner/runtime/random.js';
import type { NodeInterruption } from '../../provisioner/runtime/events.js';
import type { CloudProfile } from './cloud-profile.js';
import { nodeFactsOf } from './log-facts.js';
import type { World } from './world.js';

/**
 * The simulated cloud: a launch becomes a node that registers and turns Ready after the profile's latencies, on the
 * virtual clock. Offerings listed in `shortages` fail with InsufficientCapacityError, as EC2 would.
 *
 * Its API answers in 0 ms of virtual time: a call takes effect when it is made (the node joins the world, its boot
 * timers are set, its random draws taken) and returns a promise already settled, which the clock tracks, so the
 * caller's continuation runs before the next timer fires (VirtualClock), at the same instant and in call order. A
 * run is then exactly what it was when this API was synchronous. Settling through a timer on the queue instead would
 * put the continuation behind every other event already due at that instant and change the run.
 */
export class SimCloudProvider implements CloudProvider {
  private readonly instances = new Map<string, CloudInstance>();
  private readonly random: Random;
  /** Keys `type/zone/capacityType` that have no capacity right now. */
  readonly shortages = new Set<string>();
  /** Told of every instance launched (or present at the start): the Spot interruption model listens. */
  readonly onLaunched: Array<(node: StateNode) => void> = [];
  /** The autoscaler's interruption queue, if it has one: told of every notice the cloud sends. */
  readonly onNotice: Array<(node: string, kind: NodeInterruption['kind']) => void | Promise<void>> = [];
  /** Told when the cloud takes an instance away under its pods (a reclaim), before the node leaves the state. */
  readonly onReclaimed: Array<(node: StateNode) => void> = [];

  constructor(
    private readonly world: World,
    private readonly profile: CloudProfile,
  ) {
    this.random = world.random.fork('cloud');
  }

  instanceTypes(): readonly InstanceType[] {
    return this.world.catalog.types;
  }

  get(name: string): Promise<CloudInstance | undefined> {
    const instance = this.instances.get(name);
    return this.answer(Promise.resolve(instance && { ...instance }));
  }

  list(): Promise<CloudInstance[]> {
    return this.answer(Promise.resolve([...this.instances.values()].map((i) => ({ ...i }))));
  }

  create(request: LaunchRequest): Promise<CloudInstance> {
    const existing = this.instances.get(request.name);
    if (existing) return this.answer(Promise.resolve({ ...existing }));
    if (this.shortages.has(`${request.type.name}/${request.zone}/${request.capacityType}`)) {
      return this.answer(Promise.reject(new InsufficientCapacityError(request.type.name, request.zone, request.capacityType)));
    }
    const node = this.addNode(request, false);
    const instance = this.instances.get(node.name)!;
    const { clock } = this.world;
    const lag = request.path === 'asg' ? drawLatency(this.profile.asgDelay, this.random) : 0;
    const boot = drawLatency(this.profile.launchToRegistered, this.random);
    const init = drawLatency(this.profile.registeredToReady, this.random);
    clock.setTimer(lag + boot, () => {
      if (node.phase !== 'launching') return;
      node.phase = 'registered';
      instance.state = 'running';
      this.world.recorder.emit({ type: 'node.registered', node: node.name });
      clock.setTimer(init, () => {
        if (node.phase !== 'registered') return;
        this.markReady(node);
        this.world.wakeScheduler();
      });
    });
    return this.answer(Promise.resolve({ ...instance }));
  }

  /** A node that is already running when the scenario starts (or is warmed up before it). */
  createReady(request: LaunchRequest): StateNode {
    const node = this.addNode(request, true);
    node.phase = 'registered';
    this.instances.get(node.name)!.state = 'running';
    this.world.recorder.emit({ type: 'node.registered', node: node.name });
    this.markReady(node);
    return node;
  }

  /** Terminates the instance; the caller has drained it. Billing stops when the instance is gone. */
  delete(name: string, reason: string): Promise<void> {
    const node = this.world.state.nodes.get(name);
    const instance = this.instances.get(name);
    if (node && instance && instance.state !== 'shutting-down' && instance.state !== 'terminated') {
      node.phase = 'terminating';
      instance.state = 'shutting-down';
      this.world.clock.setTimer(drawLatency(this.profile.terminate, this.random), () => this.terminated(node, reason));
    }
    return this.answer(Promise.resolve());
  }

  /** An API answer: the clock lets it settle, and its continuations run, before the next timer fires. */
  private answer<T>(promise: Promise<T>): Promise<T> {
    this.world.clock.track(promise);
    return promise;
  }

  /**
   * Sends a notice about an instance, as EC2 does through EventBridge, and, when it has a deadline (a Spot
   * interruption's warning, an instance stopping), takes the instance away then, whatever runs on it. Only an
   * autoscaler that listens hears the notice; the node goes at the deadline either way. Resolves once every listener
   * has acted (each in turn), so a timer that sends a notice hands the clock the whole reaction.
   */
  async notify(name: string, kind: NodeInterruption['kind'], deadlineMs?: number): Promise<void> {
    const node = this.world.state.nodes.get(name);
    if (!node || node.phase === 'terminated') return;
    const { clock } = this.world;
    const deadlineT = deadlineMs === undefined ? undefined : clock.now() + deadlineMs;
    this.world.recorder.emit({ type: 'node.interruption', node: name, kind, ...(deadlineT === undefined ? {} : { deadlineT }) });
    for (const listener of this.onNotice) await listener(name, kind);
    if (deadlineMs !== undefined) clock.setTimer(deadlineMs, () => this.reclaim(node, kind));
  }

  /** The cloud takes the instance now: its pods die with it, and its node leaves the cluster. */
  private reclaim(node: StateNode, kind: NodeInterruption['kind']): void {
    if (node.phase === 'terminated') return;
    for (const listener of this.onReclaimed) listener(node);
    this.terminated(node, kind);
  }

  private terminated(node: StateNode, reason: string): void {
    if (node.phase === 'terminated') return;
    const instance = this.instances.get(node.name);
    node.phase = 'terminated';
    if (instance) instance.state = 'terminated';
    this.world.state.removeNode(node);
    this.instances.delete(node.name);
    this.world.recorder.emit({ type: 'node.terminated', node: node.name, reason });
  }

  private addNode(request: LaunchRequest, initial: boolean): StateNode {
    const { type } = request;
    const node = launchedNode(request, this.world.overhead, this.world.clock.now(), initial);
    this.world.state.addNode(node);
    this.instances.set(node.name, { name: node.name, type: type.name, zone: request.zone, capacityType: request.capacityType, state: 'pending' });
    this.world.recorder.emit({
      type: 'node.launched',
      node: node.name,
      instanceType: type.name,
      zone: request.zone,
      capacityType: request.capacityType,
      pricePerHour: request.pricePerHour,
      ...nodeFactsOf(type, node.labels, node.taints, this.world.overhead),
      owner: request.owner,
      initial,
    });
    for (const listener of this.onLaunched) listener(node);
    return node;
  }

  private markReady(node: StateNode): void {
    node.phase = 'ready';
    node.readyAt = this.world.clock.now();
    this.world.recorder.emit({ type: 'node.ready', node: node.name });
  }
}
