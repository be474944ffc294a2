import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';
import { CloudProviderError, InsufficientCapacityError, type CloudInstance, type CloudProvider, type LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { launchedLabels } from '../../../provisioner/cloudprovider/launched-node.js';
import type { NodeInterruption } from '../../../provisioner/runtime/events.js';
import { NODE_VIEWER_PRICE_LABEL } from '../../recorder/live-nodes.js';
import type { KindNodeSpec } from './nodes.js';

/** How the provider starts and removes node containers: addKindNode and removeKindNode on a live cluster. */
export interface KindNodeOps {
  add(spec: KindNodeSpec): Promise<unknown>;
  remove(name: string): Promise<void>;
}

export interface KindCloudDeps {
  ops: KindNodeOps;
  types: readonly InstanceType[];
  /**
   * The most worker containers the machine holds at once. A launch beyond it is refused as EC2 refuses one without
   * capacity (InsufficientCapacityError), so autoscalers react as they would to a full zone.
   */
  maxNodes: number;
  log(line: string): void;
}

/**
 * What 2 cores and 24 GiB hold by default: an idle kind worker (systemd, containerd, kubelet, kube-proxy, netd) takes
 * about half a GiB, so memory allows far more; CPU is the limit, and 6 workers beside the control plane is a choice
 * made without a measurement of scale yet, so it is configurable.
 */
export const DEFAULT_MAX_KIND_NODES = 6;

interface Instance {
  instance: CloudInstance;
  /** The container's start and join, in the background from create on. */
  launching?: Promise<void>;
}

/**
 * The cloud of a kind cluster: launching an instance starts a node container of the cluster's image with the type's
 * vCPUs and memory as its limits and joins it with kubeadm join, labelled and tainted as the request says; deleting
 * drains it, deletes the Node and removes the container. `create` resolves at once with the instance pending (the
 * join goes on in the background, as a cloud's boot does) and turns it running when the join is done; a failed join
 * terminates it. `delete` resolves once the instance is shutting down.
 */
export class KindCloudProvider implements CloudProvider {
  /** No kind node is ever interrupted by the cloud; the list is there because arms subscribe to it. */
  readonly onNotice: Array<(node: string, kind: NodeInterruption['kind']) => void | Promise<void>> = [];
  private readonly instances = new Map<string, Instance>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: KindCloudDeps) {}

  async create(request: LaunchRequest): Promise<CloudInstance> {
    const known = this.instances.get(request.name);
    if (known) return { ...known.instance };
    if (this.stopped) throw new CloudProviderError('create', request.name, false, 'the controller is stopping');
    const live = [...this.instances.values()].filter((i) => i.instance.state === 'pending' || i.instance.state === 'running').length;
    if (live >= this.deps.maxNodes) {
      throw new InsufficientCapacityError(request.type.name, request.zone, request.capacityType);
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(request.name) || request.name.length > 63) {
      throw new CloudProviderError('create', request.name, false, 'a kind node name must be a DNS label (it names the container and the host)');
    }
    const entry: Instance = {
      instance: { name: request.name, type: request.type.name, zone: request.zone, capacityType: request.capacityType, state: 'pending' },
    };
    this.instances.set(request.name, entry);
    const spec: KindNodeSpec = {
      name: request.name,
      // The price as a label the kubelet registers with: the recorder reads a node's price when it first sees it, and
      // an annotation could only be added after the registration.
      labels: { ...launchedLabels(request), [NODE_VIEWER_PRICE_LABEL]: String(request.pricePerHour) },
      taints: [...request.taints],
      cpus: request.type.vcpu,
      memoryMiB: request.type.memoryMiB,
    };
    entry.launching = this.track(
      this.deps.ops.add(spec).then(
        () => {
          if (entry.instance.state === 'pending') entry.instance.state = 'running';
        },
        (err: unknown) => {
          this.deps.log(`kind node ${request.name} failed to join: ${err instanceof Error ? err.message : String(err)}`);
          entry.instance.state = 'terminated';
          // Whatever half-started is removed; a removal that fails is logged, the cluster's teardown removes it.
          return this.deps.ops.remove(request.name).catch(() => undefined);
        },
      ),
    );
    return { ...entry.instance };
  }

  async delete(name: string, reason: string): Promise<void> {
    const entry = this.instances.get(name);
    if (!entry || entry.instance.state === 'shutting-down' || entry.instance.state === 'terminated') return;
    entry.instance.state = 'shutting-down';
    this.deps.log(`kind node ${name}: removing (${reason})`);
    const launching = entry.launching ?? Promise.resolve();
    this.track(
      launching
        .then(() => this.deps.ops.remove(name))
        .then(
          () => {
            entry.instance.state = 'terminated';
          },
          (err: unknown) => {
            // Still there: shutting-down is not a promise it is gone, and a later delete finds it so and does nothing.
            this.deps.log(`kind node ${name}: removal failed: ${err instanceof Error ? err.message : String(err)}`);
          },
        ),
    );
  }

  async get(name: string): Promise<CloudInstance | undefined> {
    const entry = this.instances.get(name);
    return entry ? { ...entry.instance } : undefined;
  }

  async list(): Promise<CloudInstance[]> {
    return [...this.instances.values()].map((e) => ({ ...e.instance }));
  }

  instanceTypes(): readonly InstanceType[] {
    return this.deps.types;
  }

  /** A node running before the scenario starts (a node group's initial size): resolves once it has joined. */
  async createReady(request: LaunchRequest): Promise<void> {
    await this.create(request);
    await this.instances.get(request.name)?.launching;
    if (this.instances.get(request.name)?.instance.state !== 'running') {
      throw new CloudProviderError('create', request.name, false, 'the initial node failed to join (see the controller log)');
    }
  }

  /** The kubelet registers its own Node: nothing to do (kwok's cloud moves a NodeClaim here; kind has none). */
  registered(): void {}

  /** A Ready node is a running instance, even while `add` still loads the workload image into it. */
  ready(node: { name: string }): void {
    const entry = this.instances.get(node.name);
    if (entry?.instance.state === 'pending') entry.instance.state = 'running';
  }

  /** Launches nothing more; joins and removals in flight finish (`idle`). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves when every join and removal started so far has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(p: Promise<void>): Promise<void> {
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }
}
