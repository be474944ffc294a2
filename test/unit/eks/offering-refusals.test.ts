import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { OfferingRefusals } from '../../../harness/targets/eks/offering-refusals.js';
import { InsufficientCapacityError } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { contractRequest, describeCloudProviderContract } from '../../support/cloud-provider-contract.js';
import { fakeCloud } from '../../support/fake-cloud.js';

describeCloudProviderContract('the fake cloud behind the offering refusals of an insufficient-capacity fault', (short) => {
  const clock = new VirtualClock();
  const cloud = new OfferingRefusals(fakeCloud({ clock }));
  cloud.refuse(short, true);
  return { cloud, settle: () => clock.advanceSettled(0) };
});

describe('offering refusals', () => {
  const spot = contractRequest('n-1', { capacityType: 'spot' });

  it('refuses an offering until the last of two overlapping windows over it closes, without calling the cloud', async () => {
    const inner = fakeCloud({ clock: new VirtualClock() });
    const cloud = new OfferingRefusals(inner);
    cloud.refuse(['m5.large/us-east-1a/spot'], true);
    cloud.refuse(['m5.large/us-east-1a/spot', 'm5.large/us-east-1b/spot'], true);
    cloud.refuse(['m5.large/us-east-1a/spot'], false);
    await expect(cloud.create(spot)).rejects.toBeInstanceOf(InsufficientCapacityError);
    expect(await inner.list()).toEqual([]);
    cloud.refuse(['m5.large/us-east-1a/spot', 'm5.large/us-east-1b/spot'], false);
    await expect(cloud.create(spot)).resolves.toMatchObject({ name: 'n-1', capacityType: 'spot' });
  });

  it('lets the other capacity type of a refused offering launch', async () => {
    const cloud = new OfferingRefusals(fakeCloud({ clock: new VirtualClock() }));
    cloud.refuse(['m5.large/us-east-1a/spot'], true);
    await expect(cloud.create(contractRequest('n-1'))).resolves.toMatchObject({ capacityType: 'on-demand' });
  });
});
