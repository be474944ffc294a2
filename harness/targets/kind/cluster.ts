import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopwatch } from '../../clock/wall-clock.js';
import { RunError, UsageError } from '../../runner/errors.js';
import { freePorts, portIsFree } from '../kwok/ports.js';
import { binRoot, pinnedVersion } from '../kwok/tools.js';
import { dockerEnv, ensureDocker, stopDocker, type DockerDaemon } from './docker.js';
import { kindConfig } from './kind-config.js';
import { ensureKindImages, type KindImages } from './node-image.js';
import { exec, lastLines } from './scripts.js';

const STATE_SCHEMA = 'burstlab/kind-cluster/v1';
const STATE_FILE = 'cluster.json';

export interface KindClusterState {
  schema: typeof STATE_SCHEMA;
  /** kind's cluster name; its node containers are <name>-control-plane, <name>-worker, <name>-worker2, ... */
  name: string;
  dir: string;
  kubeconfig: string;
  docker: DockerDaemon;
  images: KindImages;
  kindVersion: string;
  kubernetesVersion: string;
  /** Wall seconds from `cluster up` to a ready cluster, the build of cold images included. */
  startupS: number;
}

export interface KindUpOptions {
  dir: string;
  name: string;
  workers: number;
  /** Seconds kind waits for the control plane to be Ready. */
  waitS: number;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The kind CLI built from KIND_VERSION (kind/build-tools.sh --kind; kind/build-node-image.sh builds it too). */
export function kindBinary(env: NodeJS.ProcessEnv = process.env): string {
  return join(binRoot(env), `kind-${pinnedVersion('KIND_VERSION')}`, 'kind');
}

export function readKindState(dir: string): KindClusterState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KindClusterState;
  if (parsed.schema !== STATE_SCHEMA) return undefined;
  return parsed;
}

function writeState(state: KindClusterState): void {
  writeFileSync(join(state.dir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
}

/** kind cluster names become container and network names: lower-case letters, digits, dashes. */
export function checkClusterName(name: string): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(name)) {
    throw new UsageError(`--name '${name}' is not a valid kind cluster name`, 'use lower-case letters, digits and dashes, at most 32, e.g. --name burstlab');
  }
  return name;
}

/**
 * Creates a kind cluster from the offline node image: a Docker daemon (the user's, else a private one), the images
 * (built on first use), then `kind create cluster`. A failure part-way deletes what was created and stops a daemon
 * it started, so nothing is left behind.
 */
export async function kindUp(opts: KindUpOptions): Promise<KindClusterState> {
  const elapsed = stopwatch();
  const env = opts.env ?? process.env;
  mkdirSync(opts.dir, { recursive: true });
  const docker = await ensureDocker(opts.log, env);
  const denv = dockerEnv(docker, env);
  try {
    const images = await ensureKindImages(docker, opts.log, env);
    const configPath = join(opts.dir, 'kind-config.yaml');
    const kubeconfig = join(opts.dir, 'kubeconfig');
    const etcdImageTag = `${pinnedVersion('ETCD_VERSION').replace(/^v/, '')}-0`;
    // The API server's port is one the kernel just called free; another process may take it before Docker binds it
    // (kind then fails with "address already in use"), so creation is retried on a new port, a few times.
    for (let attempt = 1; ; attempt++) {
      const [apiServerPort] = await freePorts(1);
      writeFileSync(configPath, kindConfig({ workers: opts.workers, etcdImageTag, apiServerPort }));
      const created = await exec(
        kindBinary(env),
        ['create', 'cluster', '--name', opts.name, '--image', images.node, '--config', configPath, '--kubeconfig', kubeconfig, '--wait', `${opts.waitS}s`],
        denv,
        opts.log,
      );
      if (created.code === 0) break;
      if (attempt < 3 && created.stderr.includes('address already in use')) {
        opts.log(`port ${apiServerPort} was taken before Docker bound it; retrying on another`);
        await exec(kindBinary(env), ['delete', 'cluster', '--name', opts.name], denv);
        continue;
      }
      throw new RunError(`kind create cluster failed (exit ${created.code}): ${lastLines(created.stderr)}`, `kind's logs: \`DOCKER_HOST=${docker.host} ${kindBinary(env)} export logs --name ${opts.name}\` before \`burstlab cluster down --target kind\``);
    }
    // The workload image goes into every node's containerd, so scenario Deployments start with no registry.
    const loaded = await exec(kindBinary(env), ['load', 'docker-image', images.workload, '--name', opts.name], denv, opts.log);
    if (loaded.code !== 0) throw new RunError(`kind load docker-image ${images.workload} failed (exit ${loaded.code}): ${lastLines(loaded.stderr)}`, 'read the output above');
    const state: KindClusterState = {
      schema: STATE_SCHEMA,
      name: opts.name,
      dir: opts.dir,
      kubeconfig,
      docker,
      images,
      kindVersion: pinnedVersion('KIND_VERSION'),
      kubernetesVersion: pinnedVersion('KUBERNETES_VERSION'),
      startupS: elapsed() / 1000,
    };
    writeState(state);
    return state;
  } catch (err) {
    await exec(kindBinary(env), ['delete', 'cluster', '--name', opts.name], denv).catch(() => undefined);
    await stopDocker(docker, opts.log, env).catch(() => undefined);
    throw err;
  }
}

export interface KindDownResult {
  /** Node containers of the cluster still present after the delete (should be none). */
  containers: string[];
  /** The API server's loopback port, when still taken. */
  busyPorts: number[];
  /** Whether a private dockerd burstlab started was stopped. */
  stoppedDocker: boolean;
}

/** Deletes the cluster, checks no node container or API port is left, and stops a private dockerd burstlab started. */
export async function kindDown(state: KindClusterState, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<KindDownResult> {
  const denv = dockerEnv(state.docker, env);
  const port = apiServerPort(state.kubeconfig);
  const deleted = await exec(kindBinary(env), ['delete', 'cluster', '--name', state.name, '--kubeconfig', state.kubeconfig], denv, log);
  if (deleted.code !== 0) throw new RunError(`kind delete cluster failed (exit ${deleted.code}): ${lastLines(deleted.stderr)}`, `remove the containers by hand: docker rm -f $(docker ps -aq --filter label=io.x-k8s.kind.cluster=${state.name})`);
  const containers = await clusterContainers(state, denv);
  await stopDocker(state.docker, log, env);
  const busyPorts = port !== undefined && !(await portIsFree(port)) ? [port] : [];
  if (containers.length === 0 && busyPorts.length === 0) rmSync(join(state.dir, STATE_FILE), { force: true });
  return { containers, busyPorts, stoppedDocker: state.docker.owned };
}

async function clusterContainers(state: KindClusterState, denv: NodeJS.ProcessEnv): Promise<string[]> {
  const listed = await exec('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${state.name}`, '--format', '{{.Names}}'], denv);
  if (listed.code !== 0) throw new RunError(`docker ps failed: ${lastLines(listed.stderr)}`, `check the daemon at ${state.docker.host}`);
  return listed.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** The loopback port kind published the API server on, from the kubeconfig it wrote. */
export function apiServerPort(kubeconfig: string): number | undefined {
  if (!existsSync(kubeconfig)) return undefined;
  const m = /server:\s*https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfig, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

export interface KindStatus {
  nodes: { name: string; running: boolean }[];
  apiReady: boolean;
  problems: string[];
}

/** Each node container's state and the API server's /readyz, asked from inside the control-plane node. */
export async function kindStatus(state: KindClusterState, env: NodeJS.ProcessEnv = process.env): Promise<KindStatus> {
  const denv = dockerEnv(state.docker, env);
  const problems: string[] = [];
  const version = await exec('docker', ['version', '--format', '{{.Server.Version}}'], denv);
  if (version.code !== 0) return { nodes: [], apiReady: false, problems: [`no Docker daemon answers at ${state.docker.host}`] };
  const names = await clusterContainers(state, denv);
  const nodes = await Promise.all(
    names.map(async (name) => {
      const r = await exec('docker', ['inspect', '--format', '{{.State.Running}}', name], denv);
      return { name, running: r.stdout.trim() === 'true' };
    }),
  );
  if (nodes.length === 0) problems.push(`no node container of cluster ${state.name}`);
  for (const n of nodes) if (!n.running) problems.push(`node container ${n.name} is not running`);
  const ready = await exec('docker', ['exec', `${state.name}-control-plane`, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', 'get', '--raw', '/readyz'], denv);
  const apiReady = ready.code === 0 && ready.stdout.trim() === 'ok';
  if (!apiReady) problems.push('the API server is not ready');
  if (!existsSync(state.kubeconfig)) problems.push('the kubeconfig does not exist');
  return { nodes, apiReady, problems };
}
