import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { PROFILES } from '../../../harness/sim/cloud-profile.js';
import type { KubeClient } from '../../../harness/targets/kube-client.js';
import { KwokCloudProvider } from '../../../harness/targets/live/kwok-cloud-provider.js';
import { ZERO } from '../../../provisioner/api/resources.js';
import { Random } from '../../../provisioner/runtime/random.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { instanceType } from '../../support/builders.js';

/** A KubeClient that records the Nodes created and accepts every NodeClaim call. */
function recordingClient(created: V1Node[]): KubeClient {
  const custom = {
    createClusterCustomObject: () => Promise.resolve({}),
    patchClusterCustomObjectStatus: () => Promise.resolve({}),
    deleteClusterCustomObject: () => Promise.resolve({}),
  };
  return {
    core: { createNode: ({ body }: { body: V1Node }) => (created.push(body), Promise.resolve(body)) },
    kubeconfig: { makeApiClient: () => custom },
  } as unknown as KubeClient;
}

async function launchOne(clock: VirtualClock, initialRun: boolean): Promise<V1Node> {
  const created: V1Node[] = [];
  const type = instanceType('m5.large');
  const cloud = new KwokCloudProvider({
    client: recordingClient(created),
    state: new ClusterState(),
    clock,
    random: new Random(1),
    profile: PROFILES.aws,
    speed: 1,
    overhead: ZERO,
    types: [type],
    nodeClassOf: () => ({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }),
    log: () => undefined,
  });
  const request = { name: 'default-0001', type, zone: 'us-east-1a', capacityType: 'on-demand' as const, pricePerHour: 0.096, owner: 'default', ownerKind: 'nodepool' as const, labels: {}, taints: [], path: 'fleet' as const };
  if (initialRun) await cloud.createReady(request);
  else {
    await cloud.create(request);
    await clock.runUntilSettled(120_000);
  }
  await cloud.idle();
  expect(created).toHaveLength(1);
  return created[0]!;
}

describe('KwokCloudProvider nodes', () => {
  it('registers a booted node with Ready=False and the not-ready taint, so no pod is bound to it before kwok turns it Ready', async () => {
    const node = await launchOne(new VirtualClock(0), false);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(node.spec?.taints).toContainEqual({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  });

  it('creates a node that exists before the scenario starts with no conditions, for kwok to make Ready at once', async () => {
    const node = await launchOne(new VirtualClock(0), true);
    expect(node.status?.conditions).toBeUndefined();
    expect(node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready')).toBe(false);
  });
});
