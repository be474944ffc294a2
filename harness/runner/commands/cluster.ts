import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOOPBACK } from '../../targets/kwok/ports.js';
import { probe } from '../../targets/kwok/probe.js';
import { isRunning } from '../../targets/kwok/processes.js';
import { claimClusterDir } from '../../targets/kwok/cluster-dir.js';
import { COMPONENTS, readState, startControlPlane, stopCluster, type ClusterState } from '../../targets/kwok/control-plane.js';
import { MAX_SPEED } from '../../targets/kwok/speed.js';
import { NO_DELAYS, type StageDelays } from '../../targets/kwok/stages.js';
import { ensureTools, toolVersions } from '../../targets/kwok/tools.js';
import { kindUsage, runKindCluster, targetsKind } from './cluster-kind.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, RunError, UsageError } from '../errors.js';

const usage = `usage: burstlab cluster up|down|status --target kwok [options]

Starts, stops or reports on a local Kubernetes control plane for the kwok target: etcd, kube-apiserver,
kube-controller-manager, kube-scheduler and kwok (and metrics-server with --metrics), built from Go modules
on first use (needs Go) and run as plain processes on loopback. No Docker needed.

  up        start the control plane and wait until it is healthy; prints the kubeconfig path
  down      stop every process the cluster started and check its ports are free
  status    report each component; exit 0 when all run and the API server is ready, 3 otherwise
            (a run error: a component down or never started, a missing kubeconfig, the API not ready;
            each is named)

options:
  --target kwok            this part; --target kind runs real nodes in Docker (below; sim needs no cluster, eks
                           is not local)
  --dir DIR                the cluster's folder: kubeconfig, cluster.json, logs (default runs/cluster-kwok).
                           It must be new, empty, or made by burstlab (it leaves a .burstlab-cluster.json):
                           teardown deletes the etcd, pki and kwok-home folders in it, so ones burstlab did not
                           make are refused, never deleted
  --foreground             up: stay attached and tear down on Ctrl-C instead of returning
  --metrics                up: also run metrics-server on kwok's emulated kubelet metrics, so HPAs and
                           \`kubectl top\` work (a few seconds more start-up)
  --speed N                up: scenario seconds per wall second, 1 to ${MAX_SPEED}: divides the delays below and
                           the HPA controller's timings (kind/README.md, "Speed") (default 1)
  --node-ready-delay MS    up: default node boot time, registered to Ready (default 0)
  --pod-ready-delay MS     up: default container start-up, bound to Ready (default 0)
  --pod-ready-jitter MS    up: extra uniform start-up time in [0, MS) (default 0)
  --timeout S              up: seconds to wait for health, at least 1 (default 90)

exit codes: 0 ok, 2 invalid input or a missing prerequisite, 3 run error (status: not healthy),
130 interrupted (SIGINT), 143 terminated (SIGTERM)
`;

interface Options {
  action: 'up' | 'down' | 'status';
  dir: string;
  foreground: boolean;
  metrics: boolean;
  speed: number;
  delays: StageDelays;
  timeoutS: number;
}

function parse(args: string[]): Options {
  const [action, ...rest] = args;
  if (action !== 'up' && action !== 'down' && action !== 'status') {
    const hint = action?.startsWith('-') ? 'the action comes first: burstlab cluster up|down|status --target kwok' : 'one of: up, down, status';
    throw new UsageError(action ? `unknown cluster action '${action}'` : 'cluster needs an action', hint);
  }
  const { values, positionals } = parseCommandArgs('cluster', rest, {
    target: { type: 'string', default: 'kwok' },
    dir: { type: 'string', default: 'runs/cluster-kwok' },
    foreground: { type: 'boolean', default: false },
    metrics: { type: 'boolean', default: false },
    speed: { type: 'string' },
    'node-ready-delay': { type: 'string' },
    'pod-ready-delay': { type: 'string' },
    'pod-ready-jitter': { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`cluster ${action} takes no arguments, got '${positionals[0]}'`, 'see burstlab cluster --help');
  if (values.target !== 'kwok') {
    const why = values.target === 'sim' ? 'the sim target simulates its cluster and needs none' : `target '${values.target}' has no local cluster here`;
    throw new UsageError(why, 'use --target kwok or --target kind');
  }
  const whole = (flag: string, v: string | undefined, min: number, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} needs a whole number >= ${min}, got '${v}'`, `e.g. --${flag} ${flag === 'timeout' ? 90 : 1500}`);
    return n;
  };
  return {
    action,
    dir: resolve(values.dir),
    foreground: values.foreground,
    metrics: values.metrics,
    speed: speedFlag(values.speed),
    delays: {
      ...NO_DELAYS,
      nodeReadyMs: whole('node-ready-delay', values['node-ready-delay'], 0, NO_DELAYS.nodeReadyMs),
      podReadyMs: whole('pod-ready-delay', values['pod-ready-delay'], 0, NO_DELAYS.podReadyMs),
      podReadyJitterMs: whole('pod-ready-jitter', values['pod-ready-jitter'], 0, NO_DELAYS.podReadyJitterMs),
    },
    timeoutS: whole('timeout', values.timeout, 1, 90),
  };
}

function speedFlag(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 1 || n > MAX_SPEED) throw new UsageError(`--speed needs a number from 1 to ${MAX_SPEED}, got '${v}'`, 'e.g. --speed 10');
  return n;
}

function running(state: ClusterState | undefined): boolean {
  return state !== undefined && state.processes.some(isRunning);
}

async function up(opts: Options, io: CommandIO): Promise<number> {
  if (running(readState(opts.dir))) {
    throw new UsageError(`a cluster is already running in ${opts.dir}`, `stop it with \`burstlab cluster down --dir ${opts.dir}\`, or pass another --dir`);
  }
  // Before the tools (a first build takes minutes): a --dir that cannot be used is refused at once.
  claimClusterDir(opts.dir);
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  const tools = await ensureTools(log);
  const plane = await startControlPlane({
    dir: opts.dir,
    tools,
    versions: toolVersions(),
    lifetime: opts.foreground ? 'owned' : 'detached',
    delays: opts.delays,
    metrics: opts.metrics,
    speed: opts.speed,
    readyTimeoutMs: opts.timeoutS * 1000,
    log,
    signal: io.signal,
  });
  io.stdout.write(`kwok cluster up in ${plane.state.startupS.toFixed(1)} s\nexport KUBECONFIG=${plane.kubeconfigPath}\n`);
  if (!opts.foreground) {
    io.stdout.write(`stop it with: burstlab cluster down --dir ${opts.dir}\n`);
    return EXIT.ok;
  }
  io.stderr.write('running in the foreground; Ctrl-C tears it down\n');
  await new Promise<void>((done) => (io.signal.aborted ? done() : io.signal.addEventListener('abort', () => done(), { once: true })));
  return report(await plane.stop(), opts, io);
}

async function down(opts: Options, io: CommandIO): Promise<number> {
  const state = readState(opts.dir);
  if (!state || state.processes.length === 0) {
    io.stdout.write(`no kwok cluster running in ${opts.dir}\n`);
    return EXIT.ok;
  }
  return report(await stopCluster(state), opts, io);
}

function report(result: Awaited<ReturnType<typeof stopCluster>>, opts: Options, io: CommandIO): number {
  if (result.survivors.length > 0 || result.busyPorts.length > 0) {
    throw new RunError(
      `teardown left ${[...result.survivors, ...result.busyPorts.map((p) => `port ${p}`)].join(', ')} behind`,
      `kill the listed processes by pid; logs are in ${opts.dir}/logs`,
    );
  }
  const forced = result.killed.length ? ` (${result.killed.join(', ')} needed SIGKILL)` : '';
  io.stdout.write(`kwok cluster down: no process or port left behind${forced}\n`);
  return EXIT.ok;
}

async function status(opts: Options, io: CommandIO): Promise<number> {
  const state = readState(opts.dir);
  if (!running(state) || !state) {
    const crashed = state && state.processes.length > 0 ? ` (cluster.json lists ${state.processes.map((p) => p.name).join(', ')}, none running; \`burstlab cluster down --dir ${opts.dir}\` cleans up)` : '';
    io.stdout.write(`no kwok cluster running in ${opts.dir}${crashed}\n`);
    return EXIT.runError;
  }
  const metricsServer = state.versions.metricsServer && state.ports.metricsServer ? `, metrics-server ${state.versions.metricsServer}` : '';
  const speed = (state.speed ?? 1) !== 1 ? `, speed ${state.speed}` : '';
  const lines = [`kwok cluster in ${state.dir} (Kubernetes ${state.versions.kubernetes}, etcd ${state.versions.etcd}, kwok ${state.versions.kwok}${metricsServer}${speed})`];
  const down: string[] = [];
  // Every expected component, not only those recorded: a start-up that died half-way records the first few.
  const components = state.components ?? COMPONENTS;
  for (const name of components) {
    const p = state.processes.find((x) => x.name === name);
    const alive = p !== undefined && isRunning(p);
    if (!alive) down.push(p ? name : `${name} (never started)`);
    lines.push(`  ${name.padEnd(24)} ${p ? `pid ${String(p.pid).padEnd(8)} ${alive ? 'running' : 'NOT RUNNING'}` : 'NOT STARTED'}`);
  }
  const caFile = join(state.dir, 'pki', 'ca.crt');
  const ca = existsSync(caFile) ? readFileSync(caFile, 'utf8') : undefined;
  const ready = (await probe({ url: `https://${LOOPBACK}:${state.ports.apiserver}/readyz`, ca }))?.status === 200;
  const kubeconfig = existsSync(state.kubeconfig);
  lines.push(`  api server ${state.server}: ${ready ? 'ready' : 'NOT READY'}`, `  kubeconfig ${state.kubeconfig}${kubeconfig ? '' : ' (MISSING)'}`);
  const problems = [
    ...(down.length ? [`${down.length} of ${components.length} components down: ${down.join(', ')}`] : []),
    ...(ready ? [] : ['the API server is not ready']),
    ...(kubeconfig ? [] : ['the kubeconfig does not exist']),
  ];
  lines.push(problems.length ? `NOT HEALTHY: ${problems.join('; ')}` : 'healthy');
  io.stdout.write(lines.join('\n') + '\n');
  return problems.length ? EXIT.runError : EXIT.ok;
}

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'start, stop or check a local cluster: kwok (no Docker) or kind (real nodes in Docker)',
  usage: `${usage}\n${kindUsage}`,
  async run(args, io) {
    if (targetsKind(args)) {
      const [action, ...rest] = args;
      if (action !== 'up' && action !== 'down' && action !== 'status') {
        throw new UsageError(action && !action.startsWith('-') ? `unknown cluster action '${action}'` : 'cluster needs an action first', 'burstlab cluster up|down|status --target kind');
      }
      return runKindCluster(action, rest, io);
    }
    const opts = parse(args);
    if (opts.action === 'up') return up(opts, io);
    if (opts.action === 'down') return down(opts, io);
    return status(opts, io);
  },
};
