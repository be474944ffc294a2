import { describe, expect, it } from 'vitest';
import { InsufficientCapacityError } from '../../../../provisioner/cloudprovider/cloud-provider.js';
import { KindCloudProvider } from '../../../../harness/targets/kind/kind-cloud-provider.js';
import type { KindNodeSpec } from '../../../../harness/targets/kind/nodes.js';
import { contractRequest } from '../../../support/cloud-provider-contract.js';

function cloud(maxNodes = 3, failJoin = false): { provider: KindCloudProvider; added: KindNodeSpec[]; removed: string[] } {
  const added: KindNodeSpec[] = [];
  const removed: string[] = [];
  const provider = new KindCloudProvider({
    ops: {
      add: async (spec) => {
        added.push(spec);
        if (failJoin) throw new Error('kubeadm join failed');
      },
      remove: async (name) => void removed.push(name),
    },
    types: [],
    maxNodes,
    log: () => {},
  });
  return { provider, added, removed };
}

describe('the kind cloud', () => {
  it("launches a node container with the type's vCPUs and memory, the launch's labels and taints, running once joined", async () => {
    const { provider, added } = cloud();
    const taint = { key: 'dedicated', value: 'web', effect: 'NoSchedule' as const };
    const created = await provider.create(contractRequest('n-1', { labels: { team: 'web' }, taints: [taint] }));
    expect(created.state).toBe('pending');
    await provider.idle();
    expect((await provider.get('n-1'))?.state).toBe('running');
    expect(added[0]).toMatchObject({ name: 'n-1', cpus: 2, memoryMiB: 8192, taints: [taint] });
    expect(added[0]!.labels).toMatchObject({ team: 'web', 'node.kubernetes.io/instance-type': 'm5.large', 'topology.kubernetes.io/zone': 'us-east-1a' });
  });

  it('starts nothing more for a create of a name it already has', async () => {
    const { provider, added } = cloud();
    await provider.create(contractRequest('n-1'));
    await provider.create(contractRequest('n-1'));
    await provider.idle();
    expect(added).toHaveLength(1);
  });

  it('refuses a launch beyond the nodes the machine holds as a cloud without capacity', async () => {
    const { provider } = cloud(1);
    await provider.create(contractRequest('n-1'));
    await expect(provider.create(contractRequest('n-2'))).rejects.toBeInstanceOf(InsufficientCapacityError);
  });

  it('removes the node on delete and counts it no more against the limit', async () => {
    const { provider, removed } = cloud(1);
    await provider.create(contractRequest('n-1'));
    await provider.delete('n-1', 'empty');
    expect((await provider.get('n-1'))?.state).toBe('shutting-down');
    await provider.idle();
    expect(removed).toEqual(['n-1']);
    expect((await provider.get('n-1'))?.state).toBe('terminated');
    await expect(provider.create(contractRequest('n-2'))).resolves.toMatchObject({ state: 'pending' });
  });

  it('terminates an instance whose join failed and removes what it started', async () => {
    const { provider, removed } = cloud(3, true);
    await provider.create(contractRequest('n-1'));
    await provider.idle();
    expect((await provider.get('n-1'))?.state).toBe('terminated');
    expect(removed).toEqual(['n-1']);
  });

  it('registers the node with the launch price as a label, where the recorder reads what it costs', async () => {
    const { provider, added } = cloud();
    await provider.create({ ...contractRequest('n-1'), pricePerHour: 0.096 });
    await provider.idle();
    expect(added[0]!.labels['eks-node-viewer/instance-price']).toBe('0.096');
  });

  it('resolves createReady once the initial node has joined, running', async () => {
    const { provider } = cloud();
    await provider.createReady(contractRequest('n-1'));
    expect((await provider.get('n-1'))?.state).toBe('running');
  });

  it('rejects createReady when the initial node fails to join', async () => {
    const { provider } = cloud(3, true);
    await expect(provider.createReady(contractRequest('n-1'))).rejects.toThrow(/failed to join/);
  });

  it('launches nothing once stopped', async () => {
    const { provider, added } = cloud();
    provider.stop();
    await expect(provider.create(contractRequest('n-1'))).rejects.toThrow(/stopping/);
    expect(added).toHaveLength(0);
  });
});
