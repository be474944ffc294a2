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
const join = parse(joinConfiguration('burstlab', spec, 'abcdef.0123456789abcdef', '172.18.0.3')) as Join;
const arg = (name: string): string | undefined => join.nodeRegistration.kubeletExtraArgs.find((a) => a.name === name)?.value;

describe("a kind worker's join configuration", () => {
  it("joins through the control-plane container's name on the kind network with the bootstrap token", () => {
    expect(join.discovery.bootstrapToken).toMatchObject({ apiServerEndpoint: 'burstlab-control-plane:6443', token: 'abcdef.0123456789abcdef' });
  });

  it("registers the node with the instance type's labels and taints", () => {
    expect(arg('node-labels')).toBe('node.kubernetes.io/instance-type=m5.large,karpenter.sh/nodepool=default');
    expect(join.nodeRegistration.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
  });

  it('gives the kubelet its container IP and a provider ID naming the cluster and the node', () => {
    expect(arg('node-ip')).toBe('172.18.0.3');
    expect(arg('provider-id')).toBe('kind://docker/burstlab/burstlab-w1');
    expect(join.nodeRegistration.name).toBe('burstlab-w1');
  });
});
