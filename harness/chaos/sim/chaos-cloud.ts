import { CloudProviderError, type CloudInstance, type LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { WrappedCloud } from '../../../provisioner/cloudprovider/wrapped-cloud.js';
import type { ArmCloud } from '../../sim/arms.js';
import type { SimCloudProvider } from '../../sim/sim-cloud-provider.js';
import type { World } from '../../sim/world.js';

/**
 * The sim's cloud as the autoscaler sees it under faults (DESIGN.md principle 3: wrap, don't fork): launch calls fail
 * with a retryable throttling error while an api-throttling window is open, and offerings refuse launches with
 * InsufficientCapacityError while a shortage (insufficient-capacity, zone outage) covers them, through the sim
 * cloud's own `shortages`. Windows may overlap: each key is held until the last window over it closes.
 */
export class ChaosCloud extends WrappedCloud<SimCloudProvider> implements ArmCloud {
  private throttles = 0;
  private readonly held = new Map<string, number>();

  constructor(
    private readonly world: World,
    inner: SimCloudProvider,
  ) {
    super(inner);
  }

  get onNotice(): SimCloudProvider['onNotice'] {
    return this.inner.onNotice;
  }

  throttle(on: boolean): void {
    this.throttles += on ? 1 : -1;
  }

  /** Opens (or, with false, closes) a shortage of the offerings `type/zone/capacityType`. */
  refuse(offerings: readonly string[], on: boolean): void {
    for (const key of offerings) {
      const n = (this.held.get(key) ?? (this.inner.shortages.has(key) ? 1 : 0)) + (on ? 1 : -1);
      this.held.set(key, n);
      if (n > 0) this.inner.shortages.add(key);
      else this.inner.shortages.delete(key);
    }
  }

  override create(request: LaunchRequest): Promise<CloudInstance> {
    if (this.throttles > 0) {
      const refused = Promise.reject(new CloudProviderError('create', request.name, true, 'RequestLimitExceeded: request limit exceeded (api-throttling fault)'));
      this.world.clock.track(refused);
      return refused;
    }
    return this.inner.create(request);
  }
}
