/**
 * A CloudProvider for tests, with failure knobs: `fakeCloud({ clock, iceFor, failCreateFor, failDeleteFor, latencyMs })`.
 * It keeps instances the way a cloud does (idempotent create by name, idempotent delete) and records every call, so a
 * test can state what an autoscaler asked for and what it got. It stands in for a remote cloud's API only; the
 * sim's cloud (harness/sim/sim-cloud-provider.ts) is what boots nodes.
 */
import type { VirtualClock } from '../../harness/clock/virtual-clock.js';
import type { Resources } from '../../provisioner/api/resources.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import {
  CloudProviderError,
  InsufficientCapacityError,
  type CloudInstance,
  type CloudProvider,
  type LaunchRequest,
} from '../../provisioner/cloudprovider/cloud-provider.js';
import { launchedNode } from '../../provisioner/cloudprovider/launched-node.js';
import type { ClusterState } from '../../provisioner/state/cluster-state.js';
import { testCatalog } from './builders.js';

export interface FakeCloudOptions {
  /** The clock the answers arrive on; the fake's promises are tracked by it, as the sim's are. */
  clock: VirtualClock;
  /** Each call answers this long after it is made (0, the default: at once, like the sim's cloud). */
  latencyMs?: number;
  /** Offerings with no capacity: create rejects with InsufficientCapacityError. */
  iceFor?: (request: LaunchRequest) => boolean;
  /** Launches the API refuses: create rejects with a retryable CloudProviderError. `attempt` counts from 1 per name. */
  failCreateFor?: (request: LaunchRequest, attempt: number) => boolean;
  /** Terminations the API refuses: delete rejects with a retryable CloudProviderError. `attempt` counts from 1 per name. */
  failDeleteFor?: (name: string, attempt: number) => boolean;
  /** When given, an accepted launch's node joins this state (phase 'launching') as the answer arrives. */
  state?: ClusterState;
  overhead?: Resources;
  types?: readonly InstanceType[];
}

export interface DeleteCall {
  name: string;
  reason: string;
  at: number;
  accepted: boolean;
}

export class FakeCloud implements CloudProvider {
  /** Every create, in call order, whatever its answer. */
  readonly attempts: LaunchRequest[] = [];
  /** Creates that launched an instance. */
  readonly launched: LaunchRequest[] = [];
  readonly deletes: DeleteCall[] = [];
  private readonly instances = new Map<string, CloudInstance>();
  private readonly createAttempts = new Map<string, number>();
  private readonly deleteAttempts = new Map<string, number>();

  constructor(private readonly options: FakeCloudOptions) {}

  create(request: LaunchRequest): Promise<CloudInstance> {
    this.attempts.push(request);
    const attempt = (this.createAttempts.get(request.name) ?? 0) + 1;
    this.createAttempts.set(request.name, attempt);
    return this.answer(() => {
      const existing = this.instances.get(request.name);
      if (existing) return { ...existing };
      if (this.options.iceFor?.(request)) throw new InsufficientCapacityError(request.type.name, request.zone, request.capacityType);
      if (this.options.failCreateFor?.(request, attempt)) throw new CloudProviderError('create', request.name, true, 'RequestLimitExceeded (fake)');
      const instance: CloudInstance = { name: request.name, type: request.type.name, zone: request.zone, capacityType: request.capacityType, state: 'pending' };
      this.instances.set(request.name, instance);
      this.launched.push(request);
      const { state, overhead, clock } = this.options;
      if (state) state.addNode(launchedNode(request, overhead ?? { cpu: 0, memory: 0, pods: 0, gpu: 0 }, clock.now(), false));
      return { ...instance };
    });
  }

  delete(name: string, reason: string): Promise<void> {
    const attempt = (this.deleteAttempts.get(name) ?? 0) + 1;
    this.deleteAttempts.set(name, attempt);
    return this.answer(() => {
      const accepted = !this.options.failDeleteFor?.(name, attempt);
      this.deletes.push({ name, reason, at: this.options.clock.now(), accepted });
      if (!accepted) throw new CloudProviderError('delete', name, true, 'RequestLimitExceeded (fake)');
      const instance = this.instances.get(name);
      if (instance && instance.state !== 'terminated') instance.state = 'shutting-down';
    });
  }

  get(name: string): Promise<CloudInstance | undefined> {
    return this.answer(() => {
      const instance = this.instances.get(name);
      return instance && { ...instance };
    });
  }

  list(): Promise<CloudInstance[]> {
    return this.answer(() => [...this.instances.values()].map((i) => ({ ...i })));
  }

  instanceTypes(): readonly InstanceType[] {
    return this.options.types ?? testCatalog().types;
  }

  /** Runs `act` when the answer arrives (at once, or latencyMs later on the clock) and settles with its outcome. */
  private answer<T>(act: () => T): Promise<T> {
    const { clock, latencyMs = 0 } = this.options;
    const promise = new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        try {
          resolve(act());
        } catch (err) {
          reject(err);
        }
      };
      if (latencyMs > 0) clock.setTimer(latencyMs, settle);
      else settle();
    });
    clock.track(promise);
    return promise;
  }
}

export function fakeCloud(options: FakeCloudOptions): FakeCloud {
  return new FakeCloud(options);
}
