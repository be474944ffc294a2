import { cpus, totalmem } from 'node:os';
import { stringify } from 'yaml';
import { RunError } from '../../runner/errors.js';
import { sleep, stopwatch } from '../../clock/wall-clock.js';
import type { KindClusterState } from './cluster.js';
import { kindBinary } from './cluster.js';
import { dockerEnv } from './docker.js';
import { kubeletMaySet } from './labels.js';
import { exec, lastLines, type Exec } from './scripts.js';

export interface KindNodeSpec {
  /** The node's name, which is also its container's name and hostname. */
  name: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  /** The container's CPU limit (`docker run --cpus`), standing for the instance type's vCPUs. */
  cpus: number;
  /** The container's memory limit in MiB (`docker run --memory`). */
  memoryMiB: number;
}

export interface JoinedNode {
  name: string;
  /** Wall seconds from `docker run` to `kubeadm join` returning (the workload image loaded, the kubelet registered; Ready comes after). */
  joinS: number;
}

const SYSTEMD_WAIT_MS = 60_000;

/** The machine the node containers share, as their kubelets see it (no container sees its own limits in /proc). */
export interface HostSize {
  cpus: number;
  memoryMiB: number;
}

/** This machine's size: the kubelets of a local Docker daemon's containers report it as their capacity. */
export function localHostSize(): HostSize {
  return { cpus: cpus().length, memoryMiB: Math.floor(totalmem() / 1024 / 1024) };
}

/**
 * The kubeadm JoinConfiguration a new worker joins with: bootstrap token, its IP, labels, taints, provider ID, and a
 * kube-reserved of the host's size minus the instance type's, so that the node's allocatable (what the scheduler
 * places pods by) is the type's, not the whole machine's that its kubelet reports as capacity.
 */
export function joinConfiguration(cluster: string, spec: KindNodeSpec, token: string, nodeIP: string, host: HostSize): string {
  const reservedMilliCpu = Math.max(0, Math.round((host.cpus - spec.cpus) * 1000));
  const reservedMiB = Math.max(0, host.memoryMiB - spec.memoryMiB);
  const labels = Object.entries(spec.labels).filter(([k]) => kubeletMaySet(k)).map(([k, v]) => `${k}=${v}`).join(',');
  return stringify({
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'JoinConfiguration',
    discovery: {
      // The token authenticates the API server to the node only with the CA hash; the node and the control plane
      // share one Docker network on this machine, which is the trust kind's own joins rely on too.
      bootstrapToken: { apiServerEndpoint: `${cluster}-control-plane:6443`, token, unsafeSkipCAVerification: true },
    },
    nodeRegistration: {
      name: spec.name,
      criSocket: 'unix:///run/containerd/containerd.sock',
      taints: spec.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect })),
      kubeletExtraArgs: [
        { name: 'node-ip', value: nodeIP },
        { name: 'provider-id', value: `kind://docker/${cluster}/${spec.name}` },
        ...(labels ? [{ name: 'node-labels', value: labels }] : []),
        ...(reservedMilliCpu > 0 || reservedMiB > 0 ? [{ name: 'kube-reserved', value: `cpu=${reservedMilliCpu}m,memory=${reservedMiB}Mi` }] : []),
      ],
    },
  });
}

function must(r: Exec, what: string): string {
  if (r.code !== 0) throw new RunError(`${what} failed (exit ${r.code}): ${lastLines(r.stderr || r.stdout)}`, 'read the output above; `burstlab cluster down --target kind` removes every node');
  return r.stdout;
}

/**
 * Adds a worker to a running kind cluster as kind adds its own: a privileged node container from the cluster's node
 * image on the `kind` network (plus a CPU and memory limit), the workload image loaded into its containerd, then
 * `kubeadm join` inside it. It carries the cluster's label, so `kind delete cluster` removes it too.
 */
export async function addKindNode(state: KindClusterState, spec: KindNodeSpec, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<JoinedNode> {
  const denv = dockerEnv(state.docker, env);
  const elapsed = stopwatch();
  must(
    await exec('docker', [
      'run', '--detach', '--tty', '--label', `io.x-k8s.kind.cluster=${state.name}`, '--label', 'io.x-k8s.kind.role=worker',
      '--net', 'kind', '--restart=on-failure:1', '--init=false', '--cgroupns=private', '--hostname', spec.name, '--name', spec.name,
      '--privileged', '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--tmpfs', '/tmp', '--tmpfs', '/run',
      '--volume', '/var', '--volume', '/lib/modules:/lib/modules:ro', '--cpus', String(spec.cpus), '--memory', `${spec.memoryMiB}m`,
      state.images.node,
    ], denv),
    `starting node container ${spec.name}`,
  );
  const cp = `${state.name}-control-plane`;
  // containerd and the kubelet's unit must be up before kubeadm join starts the kubelet.
  for (const started = stopwatch(); ; await sleep(500)) {
    const r = await exec('docker', ['exec', spec.name, 'systemctl', 'is-active', 'containerd'], denv);
    if (r.stdout.trim() === 'active') break;
    if (started() > SYSTEMD_WAIT_MS) throw new RunError(`node ${spec.name}: containerd not active after ${SYSTEMD_WAIT_MS / 1000} s`, `docker logs ${spec.name}`);
  }
  // Before the join: a pod the scheduler places on the node once it is Ready finds the image there (it is never pulled).
  must(await exec(kindBinary(env), ['load', 'docker-image', state.images.workload, '--name', state.name, '--nodes', spec.name], denv), `loading the workload image into ${spec.name}`);
  const ip = must(await exec('docker', ['inspect', '--format', '{{with index .NetworkSettings.Networks "kind"}}{{.IPAddress}}{{end}}', spec.name], denv), 'reading the node IP').trim();
  const token = must(await exec('docker', ['exec', cp, 'kubeadm', 'token', 'create', '--ttl', '30m'], denv), 'kubeadm token create').trim();
  const config = joinConfiguration(state.name, spec, token, ip, localHostSize());
  must(await exec('docker', ['exec', spec.name, 'sh', '-c', `cat > /kind/burstlab-join.yaml <<'EOF'\n${config}EOF`], denv), 'writing the join configuration');
  must(await exec('docker', ['exec', spec.name, 'kubeadm', 'join', '--config', '/kind/burstlab-join.yaml', '--skip-phases=preflight'], denv, log), `kubeadm join of ${spec.name}`);
  // Labels the kubelet may not set itself (NodeRestriction) are set by the admin, right after registration.
  const adminLabels = Object.entries(spec.labels).filter(([k]) => !kubeletMaySet(k)).map(([k, v]) => `${k}=${v}`);
  if (adminLabels.length > 0) {
    must(await exec('docker', ['exec', cp, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', 'label', 'node', spec.name, '--overwrite', ...adminLabels], denv), `labelling ${spec.name}`);
  }
  return { name: spec.name, joinS: elapsed() / 1000 };
}

/**
 * Removes a worker: drained (DaemonSet pods stay, the rest are evicted within `drainTimeoutS`), its Node deleted,
 * its container and the container's /var volume removed.
 */
export async function removeKindNode(state: KindClusterState, name: string, drainTimeoutS: number, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const denv = dockerEnv(state.docker, env);
  const kubectl = (...args: string[]): Promise<Exec> => exec('docker', ['exec', `${state.name}-control-plane`, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', ...args], denv, log);
  must(await kubectl('drain', name, '--ignore-daemonsets', '--delete-emptydir-data', `--timeout=${drainTimeoutS}s`), `draining ${name}`);
  must(await kubectl('delete', 'node', name, '--wait=true'), `deleting node ${name}`);
  must(await exec('docker', ['rm', '--force', '--volumes', name], denv), `removing container ${name}`);
}
