import {
  InsufficientCapacityError, type CloudInstance, type CloudProvider, type LaunchRequest,
} from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';

/**
 * An insufficient-capacity fault over chosen offerings (`type/zone/capacityType`) on EKS. FIS can fail launches per
 * zone only, so burstlab injects this one itself, in front of its own EC2 provider (DESIGN.md principle 3: wrap,
 * don't fork): a launch of a refused offering fails as EC2's InsufficientInstanceCapacity would, before any
 * CreateFleet call, and the provisioner takes its ICE-cache and fallback path. Windows may overlap: an offering is
 * refused until the last window over it closes.
 */
export class OfferingRefusals implements CloudProvider {
  private readonly held = new Map<string, number>();

  constructor(private readonly inner: CloudProvider) {}

  /** Opens (or, with false, closes) a shortage of the offerings. */
  refuse(offerings: readonly string[], on: boolean): void {
    for (const key of offerings) {
      const n = Math.max(0, (this.held.get(key) ?? 0) + (on ? 1 : -1));
      if (n === 0) this.held.delete(key);
      else this.held.set(key, n);
    }
  }

  create(request: LaunchRequest): Promise<CloudInstance> {
    if (this.held.has(`${request.type.name}/${request.zone}/${request.capacityType}`)) {
      return Promise.reject(new InsufficientCapacityError(request.type.name, request.zone, request.capacityType));
    }
    return this.inner.create(request);
  }

  delete(name: string, reason: string): Promise<void> {
    return this.inner.delete(name, reason);
  }

  get(name: string): Promise<CloudInstance | undefined> {
    return this.inner.get(name);
  }

  list(): Promise<CloudInstance[]> {
    return this.inner.list();
  }

  instanceTypes(): readonly InstanceType[] {
    return this.inner.instanceTypes();
  }
}
