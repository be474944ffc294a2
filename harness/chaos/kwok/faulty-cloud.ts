import { CloudProviderError, InsufficientCapacityError, type CloudInstance, type LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { WrappedCloud } from '../../../provisioner/cloudprovider/wrapped-cloud.js';
import type { ArmCloud } from '../../sim/arms.js';

/**
 * A live cloud as the autoscaler sees it under faults (DESIGN.md principle 3: wrap, don't fork): while an
 * api-throttling window is open every launch fails with EC2's retryable RequestLimitExceeded, and while a shortage
 * (insufficient-capacity, a zone outage) covers an offering its launches fail with InsufficientCapacityError, the
 * provisioner's ICE path and the ASG's failed activity. Windows may overlap: an offering launches again once the last
 * window over it closes. Everything else goes to the cloud it wraps untouched.
 */
export class FaultyCloud extends WrappedCloud<ArmCloud> implements ArmCloud {
  private throttles = 0;
  private readonly held = new Map<string, number>();



  get onNotice(): ArmCloud['onNotice'] {
    return this.inner.onNotice;
  }

  /** Opens (true) or closes (false) one throttling window. */
  throttle(on: boolean): void {
    this.throttles = Math.max(0, this.throttles + (on ? 1 : -1));
  }

  /** Opens (or, with false, closes) a shortage of the offerings `type/zone/capacityType`. */
  refuse(offerings: readonly string[], on: boolean): void {
    for (const key of offerings) {
      const n = (this.held.get(key) ?? 0) + (on ? 1 : -1);
      if (n > 0) this.held.set(key, n);
      else this.held.delete(key);
    }
  }

  /** Whether a launch of the offering would be refused now. */
  refuses(type: string, zone: string, capacityType: string): boolean {
    return this.held.has(`${type}/${zone}/${capacityType}`);
  }

  override create(request: LaunchRequest): Promise<CloudInstance> {
    if (this.throttles > 0) {
      return Promise.reject(new CloudProviderError('create', request.name, true, 'RequestLimitExceeded: request limit exceeded (api-throttling fault)'));
    }
    if (this.refuses(request.type.name, request.zone, request.capacityType)) {
      return Promise.reject(new InsufficientCapacityError(request.type.name, request.zone, request.capacityType));
    }
    return this.inner.create(request);
  }
}

