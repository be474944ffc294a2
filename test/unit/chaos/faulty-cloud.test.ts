import { describe, expect, it } from 'vitest';
import { FaultyCloud } from '../../../harness/chaos/kwok/faulty-cloud.js';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { CloudProviderError, InsufficientCapacityError } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { contractRequest } from '../../support/cloud-provider-contract.js';
import { fakeCloud } from '../../support/fake-cloud.js';

function subject(): { cloud: FaultyCloud; inner: ReturnType<typeof fakeCloud> } {
  const inner = fakeCloud({ clock: new VirtualClock() });
  return { cloud: new FaultyCloud(Object.assign(inner, { onNotice: [] })), inner };
}

const SHORT = 'm5.large/us-east-1a/on-demand';

describe('the cloud wrapper of the kwok fault back end', () => {
  it('refuses a launch of a short offering with the insufficient-capacity error and launches nothing', async () => {
    const { cloud, inner } = subject();
    cloud.refuse([SHORT], true);
    await expect(cloud.create(contractRequest('n1'))).rejects.toBeInstanceOf(InsufficientCapacityError);
    expect(inner.attempts).toEqual([]);
  });

  it('launches other offerings during a shortage', async () => {
    const { cloud, inner } = subject();
    cloud.refuse([SHORT], true);
    await cloud.create(contractRequest('n1', { zone: 'us-east-1b' }));
    expect(inner.launched.map((r) => r.name)).toEqual(['n1']);
  });

  it('launches an offering again only once the last overlapping window over it closes', async () => {
    const { cloud } = subject();
    cloud.refuse([SHORT], true);
    cloud.refuse([SHORT], true);
    cloud.refuse([SHORT], false);
    await expect(cloud.create(contractRequest('n1'))).rejects.toBeInstanceOf(InsufficientCapacityError);
    cloud.refuse([SHORT], false);
    await expect(cloud.create(contractRequest('n1'))).resolves.toMatchObject({ name: 'n1' });
  });

  it('fails every launch with a retryable RequestLimitExceeded while throttled, and answers again after', async () => {
    const { cloud } = subject();
    cloud.throttle(true);
    const refused = await cloud.create(contractRequest('n1')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CloudProviderError);
    expect(refused).toMatchObject({ retryable: true, message: expect.stringMatching(/RequestLimitExceeded/) });
    cloud.throttle(false);
    await expect(cloud.create(contractRequest('n1'))).resolves.toMatchObject({ name: 'n1' });
  });

  it('passes terminations through during a fault', async () => {
    const { cloud, inner } = subject();
    await cloud.create(contractRequest('n1'));
    cloud.throttle(true);
    await cloud.delete('n1', 'test');
    expect(inner.deletes.map((d) => d.name)).toEqual(['n1']);
  });
});
