import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiServerPort, kindBinary, readKindState, type KindClusterState } from '../../harness/targets/kind/cluster.js';
import { addKindNode, removeKindNode } from '../../harness/targets/kind/nodes.js';
import { portIsFree } from '../../harness/targets/kwok/ports.js';
import { kindDir } from '../../harness/targets/kwok/tools.js';
import { runCli } from '../support/cli.js';

// A kind cluster needs a Docker daemon and the offline node image, whose cold build takes many minutes on a small
// machine (kind/README.md, "Cold cost"): this file runs when BURSTLAB_KIND_TESTS=1, which CI sets after
// `bash test/support/ensure-kind.sh` has built (or found cached) everything.
const enabled = process.env.BURSTLAB_KIND_TESTS === '1';
const NAME = 'burstlab-it';

function docker(state: KindClusterState, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: state.docker.host }, input, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function kubectl(state: KindClusterState, args: string[], input?: string): string {
  const r = docker(state, ['exec', '-i', `${NAME}-control-plane`, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', ...args], input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const workload = (image: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Never
          env: [{name: STARTUP_DELAY, value: 2s}, {name: CPU_PER_REQUEST, value: 5ms}]
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /readyz, port: 8080}, periodSeconds: 1}
          resources: {requests: {cpu: 50m, memory: 32Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

describe.skipIf(!enabled)('burstlab cluster --target kind (set BURSTLAB_KIND_TESTS=1 after test/support/ensure-kind.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-kind-'));

  afterAll(() => {
    // Whatever a failed test left: the cluster's containers, then a private dockerd burstlab started.
    const state = readKindState(dir);
    if (state) {
      spawnSync(kindBinary(), ['delete', 'cluster', '--name', NAME], { env: { ...process.env, DOCKER_HOST: state.docker.host }, timeout: 120_000 });
      if (state.docker.owned) spawnSync('bash', [join(kindDir(), 'ensure-docker.sh'), 'down'], { timeout: 60_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('creates a cluster from the offline image, runs a Ready pod that serves HTTP, joins and removes a worker, and tears everything down', async () => {
    const up = await runCli(['cluster', 'up', '--target', 'kind', '--dir', dir, '--name', NAME, '--timeout', '300']);
    expect(up.code, up.stderr).toBe(0);
    const state = readKindState(dir)!;
    expect(state.images.node).toMatch(/^burstlab\.local\/kind-node:v1\.36\.3-[0-9a-f]{12}$/);

    kubectl(state, ['apply', '-f', '-'], workload(state.images.workload));
    kubectl(state, ['rollout', 'status', 'deployment/web', '--timeout=240s']);
    const podIP = kubectl(state, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.podIP}']).trim();
    expect(podIP).toMatch(/^10\.244\./);
    // Straight to the pod (the pod network), then through the Service's ClusterIP (kube-proxy's rules).
    const direct = docker(state, ['exec', `${NAME}-control-plane`, 'curl', '-sf', `http://${podIP}:8080/`]);
    expect(direct.stdout).toMatch(/^web-[a-z0-9-]+ 1\n$/);
    const clusterIP = kubectl(state, ['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']).trim();
    const viaService = docker(state, ['exec', `${NAME}-control-plane`, 'curl', '-sf', `http://${clusterIP}/`]);
    expect(viaService.stdout).toMatch(/^web-[a-z0-9-]+ 2\n$/);

    // A worker joined as the kind CloudProvider will launch one: labelled, tainted, CPU- and memory-limited.
    const joined = await addKindNode(state, { name: `${NAME}-w1`, labels: { 'burstlab.dev/pool': 'it', 'node-role.kubernetes.io/worker': '' }, taints: [{ key: 'burstlab.dev/pool', value: 'it', effect: 'NoSchedule' }], cpus: 1, memoryMiB: 1536 }, () => {});
    expect(joined.joinS).toBeGreaterThan(0);
    kubectl(state, ['wait', '--for=condition=Ready', `node/${NAME}-w1`, '--timeout=180s']);
    const node = JSON.parse(kubectl(state, ['get', 'node', `${NAME}-w1`, '-o', 'json'])) as { metadata: { labels: Record<string, string> }; spec: { taints: { key: string }[]; providerID: string }; status: { allocatable: { cpu: string } } };
    // The type's vCPU, not the machine's: kube-reserved takes the difference.
    expect(node.status.allocatable.cpu).toBe('1');
    expect(node.metadata.labels['burstlab.dev/pool']).toBe('it');
    // Set by the admin: NodeRestriction forbids a kubelet this one.
    expect(node.metadata.labels['node-role.kubernetes.io/worker']).toBe('');
    process.stderr.write(`[kind] worker joined in ${joined.joinS.toFixed(1)} s (docker run to kubeadm join done)\n`);
    expect(node.spec.taints.map((t) => t.key)).toContain('burstlab.dev/pool');
    expect(node.spec.providerID).toBe(`kind://docker/${NAME}/${NAME}-w1`);
    kubectl(state, ['patch', 'deployment', 'web', '--type=merge', '-p', JSON.stringify({ spec: { template: { spec: {
      nodeSelector: { 'burstlab.dev/pool': 'it' }, tolerations: [{ key: 'burstlab.dev/pool', operator: 'Equal', value: 'it', effect: 'NoSchedule' }] } } } })]);
    kubectl(state, ['rollout', 'status', 'deployment/web', '--timeout=240s']);
    const moved = JSON.parse(kubectl(state, ['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'json'])) as { items: { metadata: { deletionTimestamp?: string }; spec: { nodeName: string }; status: { podIP: string } }[] };
    const onWorker = moved.items.find((p) => !p.metadata.deletionTimestamp && p.spec.nodeName === `${NAME}-w1`)!;
    // Across nodes: from the control plane to a pod on the worker, over the route burstlab-netd installed.
    expect(docker(state, ['exec', `${NAME}-control-plane`, 'curl', '-sf', `http://${onWorker.status.podIP}:8080/`]).stdout).toMatch(/^web-[a-z0-9-]+ 1\n$/);
    await removeKindNode(state, `${NAME}-w1`, 60, () => {});
    expect(docker(state, ['ps', '-aq', '--filter', `name=^${NAME}-w1$`]).stdout.trim()).toBe('');

    const status = await runCli(['cluster', 'status', '--target', 'kind', '--dir', dir]);
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toContain('healthy');

    const port = apiServerPort(state.kubeconfig)!;
    const network = docker(state, ['network', 'inspect', 'kind', '--format', '{{.Id}}']).stdout.trim();
    const down = await runCli(['cluster', 'down', '--target', 'kind', '--dir', dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('no container or port left behind');
    expect(await portIsFree(port)).toBe(true);
    if (state.docker.owned) {
      const pidfile = join(state.docker.host.replace(/^unix:\/\//, '').replace(/docker\.sock$/, ''), 'dockerd.pid');
      expect(existsSync(pidfile) ? readFileSync(pidfile, 'utf8') : '').toBe('');
      expect(spawnSync('docker', ['version'], { env: { ...process.env, DOCKER_HOST: state.docker.host }, timeout: 20_000 }).status).not.toBe(0);
      // The kind network's bridge went with the daemon that made it.
      expect(spawnSync('ip', ['link', 'show', `br-${network.slice(0, 12)}`]).status).not.toBe(0);
    } else {
      expect(docker(state, ['ps', '-aq', '--filter', `label=io.x-k8s.kind.cluster=${NAME}`]).stdout.trim()).toBe('');
    }
  }, 1_200_000);
});
