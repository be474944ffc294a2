import {
  InsufficientCapacityError, type CloudInstance, type LaunchRequest,
} from '../../../provisioner/cloudprovider/cloud-provider.js';
import { WrappedCloud } from '../../../provisioner/cloudprovider/wrapped-cloud.js';

/**
 * An insufficient-capacity fault over chosen offerings (`type/zone/capacityType`) on EKS. FIS can fail launches per
 * zone only, so burstlab injects this one itself, in front of its own EC2 provider (DESIGN.md principle 3: wrap,
 * don't fork): a launch of a refused offering fails as EC2's InsufficientInstanceCapacity would, before any
 * CreateFleet call, and the provisioner takes its ICE-cache and fallback path. Windows may overlap: an offering is
 * refused until the last window over it closes.
 */
export class OfferingRefusals extends WrappedCloud {
  private readonly held = new Map<string, number>();


  /** Opens (or, with false, closes) a shortage of the offerings. */
  refuse(offerings: readonly string[], on: boolean): void {
    for (const key of offerings) {
      const n = Math.max(0, (this.held.get(key) ?? 0) + (on ? 1 : -1));
      if (n === 0) this.held.delete(key);
      else this.held.set(key, n);
    }
  }

  override create(request: LaunchRequest): Promise<CloudInstance> {
    if (this.held.has(`${request.type.name}/${request.zone}/${request.capacityType}`)) {
      return Promise.reject(new InsufficientCapacityError(request.type.name, request.zone, request.capacityType));
    }
    return this.inner.create(request);
  }
}
