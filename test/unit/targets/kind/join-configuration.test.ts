import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { joinConfiguration } from '../../../../harness/targets/kind/nodes.js';

interface Join {
  discovery: { bootstrapToken: { apiServerEndpoint: string; token: string } };
  nodeRegistration: { name: string; taints: unknown[]; kubeletExtraArgs: { name: string; value: string }[] };
}

const spec = {
  name: 'burstlab-w1',
  labels: { 'node.kubernetes.io/instance-type': 'm5.large', 'karpenter.sh/nodepool': 'default' },
  taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' as const }],
  cpus: 2,
  memoryMiB: 8192,
};
const join = parse(joinConfiguration('burstlab', spec, 'abcdef.0123456789abcdef', '172.18.0.3', { cpus: 8, memoryMiB: 24_576 })) as Join;
const arg = (name: string): string | undefined => join.nodeRegistration.kubeletExtraArgs.find((a) => a.name === name)?.value;

describe("a kind worker's join configuration", () => {
  it("joins through the control-plane container's name on the kind network with the bootstrap token", () => {
    expect(join.discovery.bootstrapToken).toMatchObject({ apiServerEndpoint: 'burstlab-control-plane:6443', token: 'abcdef.0123456789abcdef' });
  });

  it("registers the node with the instance type's labels and taints", () => {
    expect(arg('node-labels')).toBe('node.kubernetes.io/instance-type=m5.large,karpenter.sh/nodepool=default');
    expect(join.nodeRegistration.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
  });

  it("reserves the host's size beyond the instance type's, so the node's allocatable is the type's", () => {
    expect(arg('kube-reserved')).toBe('cpu=6000m,memory=16384Mi');
  });

  it('reserves nothing for a type as large as the host or larger', () => {
    const big = parse(joinConfiguration('burstlab', { ...spec, cpus: 16, memoryMiB: 65_536 }, 't', '172.18.0.3', { cpus: 8, memoryMiB: 24_576 })) as Join;
    expect(big.nodeRegistration.kubeletExtraArgs.map((a) => a.name)).not.toContain('kube-reserved');
  });

  it('gives the kubelet its container IP and a provider ID naming the cluster and the node', () => {
    expect(arg('node-ip')).toBe('172.18.0.3');
    expect(arg('provider-id')).toBe('kind://docker/burstlab/burstlab-w1');
    expect(join.nodeRegistration.name).toBe('burstlab-w1');
  });
});
