import type { CapacityType } from '../runtime/events.js';
import type { Taint } from '../api/taints.js';
import type { InstanceType } from '../catalog/instance-type.js';

/** What an autoscaler asks the cloud for: one instance of a chosen offering. */
export interface LaunchRequest {
  /** The node's name, chosen by the caller: also the idempotency key of the launch (see CloudProvider.create). */
  name: string;
  type: InstanceType;
  zone: string;
  capacityType: CapacityType;
  pricePerHour: number;
  owner: string;
  ownerKind: 'nodepool' | 'nodegroup';
  labels: Record<string, string>;
  taints: Taint[];
  /** 'fleet' launches at once (Karpenter's CreateFleet); 'asg' goes through an Auto Scaling group's activity lag. */
  path: 'fleet' | 'asg';
}

export interface CloudInstance {
  name: string;
  type: string;
  zone: string;
  capacityType: CapacityType;
  state: 'pending' | 'running' | 'shutting-down' | 'terminated';
}

/**
 * The one interface between autoscalers and a cloud (DESIGN.md principle 3). The sim, kwok and AWS implement it;
 * chaos and metrics wrap it rather than fork it. It is asynchronous because real clouds are remote; the sim settles
 * its promises on the virtual clock (harness/sim/sim-cloud-provider.ts).
 *
 * The cloud owns instances, not nodes: a launched instance joins the cluster as a node later, and callers learn of
 * that through the cluster state (the sim's world, a live target's informers), never through these calls.
 *
 * Ordering: calls may be in flight together and a remote cloud may complete them in any order; a caller that needs
 * an order awaits one call before making the next (the provisioner launches one claim at a time for that reason). A
 * call's effect is visible to `get` and `list` once its promise has resolved (read-your-writes), and an implementation
 * never applies a call after a later call on the same name has resolved.
 */
export interface CloudProvider {
  /**
   * Launches one instance of exactly the requested offering (no fallback: choosing another offering is the caller's
   * decision). Resolves with the instance once the cloud has accepted the launch, in state 'pending' or 'running';
   * it is not yet a node.
   *
   * Idempotent by `request.name`: a create for a name the cloud already has (a retry after a lost answer) resolves
   * with that instance and launches nothing.
   *
   * Rejects with:
   * - InsufficientCapacityError when the offering has no capacity (EC2's InsufficientInstanceCapacity): nothing was
   *   launched, nothing needs cleaning up; the caller caches the offering as unavailable and may try another;
   * - CloudProviderError for anything else the cloud refused or failed to answer; `retryable` says whether the same
   *   request may succeed later. Nothing was launched, or the launch is idempotent so a retry is safe.
   */
  create(request: LaunchRequest): Promise<CloudInstance>;
  /**
   * Terminates an instance, whatever runs on it (the caller drains first). Resolves once the cloud has accepted the
   * termination: the instance is then 'shutting-down' (or already gone), and it leaves the cluster state later.
   *
   * Idempotent: deleting an instance that is already shutting down, terminated or unknown resolves and does nothing,
   * so a caller may retry freely. Rejects with CloudProviderError when the cloud refused or did not answer; the
   * instance may still be running (and billing), and the caller must retry.
   */
  delete(name: string, reason: string): Promise<void>;
  /** The instance of that name, or undefined when the cloud has none (never launched, or terminated and forgotten). */
  get(name: string): Promise<CloudInstance | undefined>;
  /** Every instance the cloud has that an autoscaler launched or that was present at the start, in launch order. */
  list(): Promise<CloudInstance[]>;
  /**
   * The instance types this cloud offers, with their offerings and prices. Synchronous on purpose: the catalog is
   * local data (the pinned AWS snapshot) that every implementation loads before the first call, and the solver reads
   * it on every decision. Karpenter's GetInstanceTypes is a remote call too, but answered from a cache refreshed in
   * the background; an implementation with a remote source refreshes it the same way, outside this call.
   */
  instanceTypes(): readonly InstanceType[];
}

/** EC2 answered InsufficientInstanceCapacity for this offering: retrying the same offering soon is pointless. */
export class InsufficientCapacityError extends Error {
  constructor(
    readonly type: string,
    readonly zone: string,
    readonly capacityType: CapacityType,
    options?: { cause?: unknown },
  ) {
    super(`insufficient capacity for ${type} ${capacityType} in ${zone}`, options);
    this.name = 'InsufficientCapacityError';
  }
}

/**
 * The cloud refused a call or did not answer (throttling, an API outage, a timeout, a quota): the cause is kept. A
 * `retryable` error may succeed if the same call is made again later.
 */
export class CloudProviderError extends Error {
  constructor(
    readonly operation: 'create' | 'delete' | 'get' | 'list',
    readonly target: string,
    readonly retryable: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`cloud ${operation} ${target}: ${message}`, options);
    this.name = 'CloudProviderError';
  }
}
