import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kindConfig } from '../../../../harness/targets/kind/kind-config.js';

interface Parsed {
  networking: { apiServerAddress: string; apiServerPort: number };
  nodes: { role: string }[];
  kubeadmConfigPatches: string[];
}

const config = (workers: number): Parsed => parse(kindConfig({ workers, etcdImageTag: '3.6.16-0', apiServerPort: 40123 })) as Parsed;

describe('the kind cluster config', () => {
  it('has one control plane and the asked number of workers', () => {
    expect(config(2).nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
  });

  it('publishes the API server on the chosen loopback port only', () => {
    expect(config(0).networking).toEqual({ apiServerAddress: '127.0.0.1', apiServerPort: 40123 });
  });

  it("points kubeadm's etcd at the image tag the offline node image holds", () => {
    const patches = config(0).kubeadmConfigPatches.map((p) => parse(p) as Record<string, unknown>);
    expect(patches).toContainEqual({ kind: 'ClusterConfiguration', etcd: { local: { imageTag: '3.6.16-0' } } });
  });

  it('lets the kubelet start on a cgroup v1 host', () => {
    const patches = config(0).kubeadmConfigPatches.map((p) => parse(p) as Record<string, unknown>);
    expect(patches).toContainEqual({ kind: 'KubeletConfiguration', failCgroupV1: false });
  });
});
