/**
 * The CloudProvider contract (provisioner/cloudprovider/cloud-provider.ts) as tests any implementation must pass:
 * `describeCloudProviderContract('my cloud', makeSubject)`. The sim's cloud and the fake run it
 * (test/unit/cloudprovider/contract.test.ts); a live implementation runs it against its own back end.
 */
import { describe, expect, it } from 'vitest';
import type { CloudProvider, LaunchRequest } from '../../provisioner/cloudprovider/cloud-provider.js';
import { InsufficientCapacityError } from '../../provisioner/cloudprovider/cloud-provider.js';
import { instanceType } from './builders.js';

export interface ContractSubject {
  cloud: CloudProvider;
  /** Lets the implementation answer what it was asked (advances its clock, waits for its API). */
  settle(): Promise<void>;
}

/** Makes a fresh cloud where the offerings named `type/zone/capacityType` in `short` have no capacity. */
export type MakeSubject = (short: readonly string[]) => ContractSubject | Promise<ContractSubject>;

export function contractRequest(name: string, o: Partial<LaunchRequest> = {}): LaunchRequest {
  const type = instanceType('m5.large');
  return {
    name, type, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: type.onDemandPrice,
    owner: 'default', ownerKind: 'nodepool', labels: {}, taints: [], path: 'fleet', ...o,
  };
}

/** The outcome of a call once the subject has settled it. */
async function answered<T>(subject: ContractSubject, call: Promise<T>): Promise<T> {
  const outcome = call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await subject.settle();
  const r = await outcome;
  if ('error' in r) throw r.error;
  return r.value;
}

export function describeCloudProviderContract(label: string, make: MakeSubject): void {
  describe(`the CloudProvider contract: ${label}`, () => {
    it('resolves a create with a pending or running instance of exactly the requested offering, visible to get and list', async () => {
      const subject = await make([]);
      const { cloud } = subject;
      const instance = await answered(subject, cloud.create(contractRequest('n-1', { zone: 'us-east-1b' })));
      expect(instance).toMatchObject({ name: 'n-1', type: 'm5.large', zone: 'us-east-1b', capacityType: 'on-demand' });
      expect(['pending', 'running']).toContain(instance.state);
      expect(await answered(subject, cloud.get('n-1'))).toMatchObject({ name: 'n-1', zone: 'us-east-1b' });
      expect((await answered(subject, cloud.list())).map((i) => i.name)).toContain('n-1');
    });

    it('launches nothing for a second create of a name it already has, and answers with that instance', async () => {
      const subject = await make([]);
      const { cloud } = subject;
      await answered(subject, cloud.create(contractRequest('n-1')));
      const again = await answered(subject, cloud.create(contractRequest('n-1', { zone: 'us-east-1c' })));
      expect(again).toMatchObject({ name: 'n-1', zone: 'us-east-1a' });
      expect((await answered(subject, cloud.list())).filter((i) => i.name === 'n-1')).toHaveLength(1);
    });

    it('rejects a create for an offering without capacity with InsufficientCapacityError naming it, and launches nothing', async () => {
      const subject = await make(['m5.large/us-east-1a/spot']);
      const { cloud } = subject;
      const err = await answered(subject, cloud.create(contractRequest('n-1', { capacityType: 'spot' }))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InsufficientCapacityError);
      expect(err).toMatchObject({ type: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' });
      expect(await answered(subject, cloud.get('n-1'))).toBeUndefined();
    });

    it('answers get for a name it never launched with undefined', async () => {
      const subject = await make([]);
      expect(await answered(subject, subject.cloud.get('nobody'))).toBeUndefined();
    });

    it('accepts a delete of an instance, again, and of a name it never had, and the instance is then on its way out', async () => {
      const subject = await make([]);
      const { cloud } = subject;
      await answered(subject, cloud.create(contractRequest('n-1')));
      await answered(subject, cloud.delete('n-1', 'test'));
      await answered(subject, cloud.delete('n-1', 'test'));
      await answered(subject, cloud.delete('nobody', 'test'));
      const after = await answered(subject, cloud.get('n-1'));
      expect(after === undefined || after.state === 'shutting-down' || after.state === 'terminated').toBe(true);
    });
  });
}
