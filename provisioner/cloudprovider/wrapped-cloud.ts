import type { InstanceType } from '../catalog/instance-type.js';
import type { CloudInstance, CloudProvider, LaunchRequest } from './cloud-provider.js';

/**
 * A CloudProvider in front of another (DESIGN.md principle 3: wrap, don't fork): every call goes to `inner`
 * untouched, so a wrapper overrides only the calls it changes (a fault's refusals override `create`).
 */
export abstract class WrappedCloud<Inner extends CloudProvider = CloudProvider> implements CloudProvider {
  constructor(protected readonly inner: Inner) {}

  create(request: LaunchRequest): Promise<CloudInstance> {
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
