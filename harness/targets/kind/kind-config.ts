import { stringify } from 'yaml';

export interface KindConfigOptions {
  /** Worker nodes besides the control plane (the kind CloudProvider adds more later). */
  workers: number;
  /** etcd's image tag in the offline node image: the pinned ETCD_VERSION, e.g. 3.6.16-0. */
  etcdImageTag: string;
  /** The loopback port the API server is published on. */
  apiServerPort: number;
}

/**
 * The kind cluster config burstlab creates clusters with. Two kubeadm patches make the offline node image work:
 * etcd's image tag is the pinned etcd the image holds (kubeadm would ask for its own default patch), and
 * failCgroupV1 is off, because Kubernetes 1.35+ kubelets refuse cgroup v1 hosts by default and machines such as this
 * project's CI still are (on cgroup v2 the setting changes nothing). The API server listens on loopback only.
 */
export function kindConfig(opts: KindConfigOptions): string {
  const nodes = [{ role: 'control-plane' }, ...Array.from({ length: opts.workers }, () => ({ role: 'worker' }))];
  const config = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { apiServerAddress: '127.0.0.1', apiServerPort: opts.apiServerPort },
    nodes,
    kubeadmConfigPatches: [
      stringify({ kind: 'ClusterConfiguration', etcd: { local: { imageTag: opts.etcdImageTag } } }),
      stringify({ kind: 'KubeletConfiguration', failCgroupV1: false }),
    ],
  };
  return stringify(config);
}
