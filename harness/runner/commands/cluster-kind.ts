import { resolve } from 'node:path';
import { checkClusterName, kindDown, kindStatus, kindUp, readKindState } from '../../targets/kind/cluster.js';
import { parseCommandArgs } from '../args.js';
import type { CommandIO } from '../command.js';
import { EXIT, RunError, UsageError } from '../errors.js';

export const kindUsage = `usage: burstlab cluster up|down|status --target kind [options]

Starts, stops or reports on a kind cluster: real nodes (kubelet, containerd) in Docker containers. It uses your
Docker daemon (DOCKER_HOST, else the default socket) when one answers; otherwise it starts a private dockerd from
Debian's docker.io (installed when missing) under ~/.cache/burstlab/docker and stops it again at \`down\`. The node
image is built offline on first use (kind/build-node-image.sh: Debian, Kubernetes from Go modules, no registry;
about ten minutes cold on 2 cores, seconds after).

  up        build what is missing, create the cluster, wait until the control plane is Ready
  down      delete the cluster, check no node container and no API port is left, stop a dockerd burstlab started
  status    node containers and the API server; exit 0 when all run and the API is ready, 3 otherwise

options:
  --target kind     this page (see \`burstlab cluster --help\` for kwok)
  --dir DIR         the cluster's folder: kubeconfig, kind-config.yaml, cluster.json (default runs/cluster-kind)
  --name NAME       kind's cluster name (default burstlab); node containers are NAME-control-plane, NAME-worker...
  --workers N       up: worker nodes besides the control plane (default 0; the control plane also runs pods)
  --timeout S       up: seconds kind waits for the control plane to be Ready, at least 1 (default 300)

exit codes: 0 ok, 2 invalid input or a missing prerequisite, 3 run error (status: not healthy)
`;

interface KindOptions {
  action: 'up' | 'down' | 'status';
  dir: string;
  name: string;
  workers: number;
  timeoutS: number;
}

function parse(action: KindOptions['action'], rest: string[]): KindOptions {
  const { values, positionals } = parseCommandArgs('cluster', rest, {
    target: { type: 'string', default: 'kind' },
    dir: { type: 'string', default: 'runs/cluster-kind' },
    name: { type: 'string', default: 'burstlab' },
    workers: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`cluster ${action} takes no arguments, got '${positionals[0]}'`, 'see burstlab cluster --target kind --help');
  const whole = (flag: string, v: string | undefined, min: number, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} needs a whole number >= ${min}, got '${v}'`, `e.g. --${flag} ${flag === 'timeout' ? 300 : 1}`);
    return n;
  };
  return {
    action,
    dir: resolve(values.dir),
    name: checkClusterName(values.name),
    workers: whole('workers', values.workers, 0, 0),
    timeoutS: whole('timeout', values.timeout, 1, 300),
  };
}

/** `burstlab cluster up|down|status --target kind`. */
export async function runKindCluster(action: KindOptions['action'], rest: string[], io: CommandIO): Promise<number> {
  const opts = parse(action, rest);
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  const state = readKindState(opts.dir);
  if (opts.action === 'up') {
    if (state) throw new UsageError(`a kind cluster (${state.name}) is recorded in ${opts.dir}`, `stop it with \`burstlab cluster down --target kind --dir ${opts.dir}\`, or pass another --dir`);
    const up = await kindUp({ dir: opts.dir, name: opts.name, workers: opts.workers, waitS: opts.timeoutS, log });
    io.stdout.write(
      `kind cluster ${up.name} up in ${up.startupS.toFixed(1)} s (node image ${up.images.node})\n` +
        `export KUBECONFIG=${up.kubeconfig}\nexport DOCKER_HOST=${up.docker.host}\n` +
        `stop it with: burstlab cluster down --target kind --dir ${opts.dir}\n`,
    );
    return EXIT.ok;
  }
  if (opts.action === 'down') {
    if (!state) {
      io.stdout.write(`no kind cluster recorded in ${opts.dir}\n`);
      return EXIT.ok;
    }
    const result = await kindDown(state, log);
    const left = [...result.containers.map((c) => `container ${c}`), ...result.busyPorts.map((p) => `port ${p}`)];
    if (left.length > 0) throw new RunError(`teardown left ${left.join(', ')} behind`, `remove them by hand (DOCKER_HOST=${state.docker.host} docker rm -f ...)`);
    io.stdout.write(`kind cluster ${state.name} down: no container or port left behind${result.stoppedDocker ? ', private dockerd stopped' : ''}\n`);
    return EXIT.ok;
  }
  if (!state) {
    io.stdout.write(`no kind cluster recorded in ${opts.dir}\n`);
    return EXIT.runError;
  }
  const s = await kindStatus(state);
  const lines = [`kind cluster ${state.name} in ${state.dir} (Kubernetes ${state.kubernetesVersion}, kind ${state.kindVersion}, image ${state.images.node}, Docker ${state.docker.host}${state.docker.owned ? ', private' : ''})`];
  for (const n of s.nodes) lines.push(`  ${n.name.padEnd(32)} ${n.running ? 'running' : 'NOT RUNNING'}`);
  lines.push(`  api server: ${s.apiReady ? 'ready' : 'NOT READY'}`, `  kubeconfig ${state.kubeconfig}`);
  lines.push(s.problems.length ? `NOT HEALTHY: ${s.problems.join('; ')}` : 'healthy');
  io.stdout.write(lines.join('\n') + '\n');
  return s.problems.length ? EXIT.runError : EXIT.ok;
}

/** Whether a `cluster` command line asks for the kind target (`--target kind` or `--target=kind`). */
export function targetsKind(args: readonly string[]): boolean {
  return args.some((a, i) => a === '--target=kind' || (a === '--target' && args[i + 1] === 'kind'));
}
