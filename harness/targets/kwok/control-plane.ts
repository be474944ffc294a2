import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { sleep, stopwatch, wallTimeIso } from '../../clock/wall-clock.js';
import { RunError, UsageError } from '../../runner/errors.js';
import { interruption } from '../../runner/interrupt.js';
import { KubeClient } from '../kube-client.js';
import { claimClusterDir, ownedThrowaway } from './cluster-dir.js';
import { adminToken, kubeconfigYaml, serviceAccountKeys, servingCaPem, tokenFile } from './credentials.js';
import { freePorts, LOOPBACK, portIsFree } from './ports.js';
import { probe, type ProbeTarget } from './probe.js';
import { isRunning, startProcess, stopProcesses, type Lifetime, type ProcessRecord, type StartedProcess } from './processes.js';
import {
  apiServiceAvailable,
  apiserverAggregationFlags,
  applyMetricsObjects,
  kwokMetricConfig,
  kwokMetricsFlags,
  METRICS_APISERVICE,
  metricsObjects,
  metricsServerArgs,
  writeAggregationPki,
  type AggregationFiles,
} from './metrics-path.js';
import { apiserverTolerationFlags, checkSpeed, controllerManagerHpaFlags, DEFAULT_TIMINGS, nodeMonitorFlags, wallDelays, type ScenarioTimings } from './speed.js';
import { kwokOptions, kwokStagesConfig, NO_DELAYS, type StageDelays } from './stages.js';
import { kindDir, type ToolPaths, type ToolVersions } from './tools.js';

export const STATE_SCHEMA = 'burstlab/kwok-cluster/v1';

/** Every process of a started cluster, in start order: a cluster missing any of them never finished starting. */
export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
/** The metrics path's process, started last when `metrics` is on. */
export const METRICS_COMPONENT = 'metrics-server';

/** The components a cluster started with these options runs, in start order. */
export function expectedComponents(metrics: boolean): string[] {
  return metrics ? [...COMPONENTS, METRICS_COMPONENT] : [...COMPONENTS];
}

/** cluster.json in the cluster's folder: enough for another invocation to report on it or tear it down. */
export interface ClusterState {
  schema: typeof STATE_SCHEMA;
  dir: string;
  kubeconfig: string;
  server: string;
  startedAt: string;
  /** Seconds from the first process start to every component healthy. */
  startupS: number;
  versions: ToolVersions;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number; metricsServer?: number };
  /** Scenario seconds per wall second the control plane's timings were compressed by (1 when absent). */
  speed?: number;
  /** Every component the cluster was started with (older state files: COMPONENTS). */
  components?: string[];
  /** In start order; teardown goes in reverse. */
  processes: ProcessRecord[];
}

export interface ControlPlaneOptions {
  /** The cluster's folder: kubeconfig, cluster.json, logs/, and the throwaway etcd data and keys. */
  dir: string;
  tools: ToolPaths;
  versions: ToolVersions;
  lifetime: Lifetime;
  /** kwok's stage delays in scenario time; run at `speed`. */
  delays?: StageDelays;
  /**
   * The metrics path real HPAs need: metrics-server behind the aggregation layer, scraping kwok's emulated kubelet
   * resource metrics. Off by default: it adds a process and a few seconds to start-up that `cluster up` and the
   * control-plane benchmarks do not need; `run --target kwok` turns it on.
   */
  metrics?: boolean;
  /** Scenario seconds per wall second (kind/README.md, "Speed"); 1 by default. */
  speed?: number;
  /** What the HPA controller and metrics-server time, in scenario time; Kubernetes' defaults otherwise. */
  timings?: Partial<ScenarioTimings>;
  /**
   * How long pods tolerate their node being NotReady or unreachable before the taint-based eviction (scenario ms; the
   * API server's default tolerations, 300 s in Kubernetes): set for a run whose faults take nodes down, with the node
   * lifecycle controller's monitoring period compressed by `speed` too. Kubernetes' own timings otherwise.
   */
  notReadyEvictionMs?: number;
  /**
   * Client-side rate limit of kube-controller-manager and kube-scheduler (queries per second; burst is twice).
   * Their defaults (20 and 50) throttle a 1,000-pod burst far below what the API server sustains, and managed
   * control planes raise them, so the default here is high enough that the limit is the control plane's work.
   */
  clientQps?: number;
  /** kube-scheduler's percentageOfNodesToScore (0, its default, is its adaptive share). */
  percentageOfNodesToScore?: number;
  /** Workers kwok plays pod and node stages with (kwok's default is 4). */
  kwokParallelism?: number;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
  /** Aborting it during start-up tears down what was started and rejects. */
  signal?: AbortSignal;
}

const READY_TIMEOUT_MS = 90_000;
const KWOK_PARALLELISM = 32;

/** A running kwok control plane. `stop()` is idempotent and always leaves no process and no port behind. */
export class ControlPlane {
  private stopping: Promise<StopReport> | undefined;

  constructor(readonly state: ClusterState) {}

  get kubeconfigPath(): string {
    return this.state.kubeconfig;
  }

  stop(): Promise<StopReport> {
    this.stopping ??= stopCluster(this.state);
    return this.stopping;
  }
}

export interface StopReport {
  /** Components that ignored SIGTERM and needed SIGKILL. */
  killed: string[];
  /** Ports still bound after teardown (should be none). */
  busyPorts: number[];
  /** Processes still alive after teardown (should be none). */
  survivors: string[];
}

/** Stops every process in reverse start order, then checks that the processes and their ports are gone. */
export async function stopCluster(state: ClusterState): Promise<StopReport> {
  const killed = await stopProcesses([...state.processes].reverse());
  const survivors = state.processes.filter(isRunning).map((p) => `${p.name} (pid ${p.pid})`);
  const busyPorts: number[] = [];
  for (const port of Object.values(state.ports)) {
    // A port can linger for a moment after its owner exits; give it a short while before calling it busy.
    let free = await portIsFree(port);
    for (let i = 0; !free && i < 20; i++) {
      await sleep(50);
      free = await portIsFree(port);
    }
    if (!free) busyPorts.push(port);
  }
  // The etcd data, keys and token are throwaway; logs and the final cluster.json stay for post-mortems. Only the
  // folders burstlab made are removed (cluster-dir.ts): a user's pki/ or etcd/ in the same place never is.
  for (const sub of ownedThrowaway(state.dir)) rmSync(join(state.dir, sub), { recursive: true, force: true });
  writeState({ ...state, processes: [] }, join(state.dir, 'cluster.json'));
  return { killed, busyPorts, survivors };
}

export function readState(dir: string): ClusterState | undefined {
  const file = join(dir, 'cluster.json');
  if (!existsSync(file)) return undefined;
  let state: ClusterState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch (cause) {
    throw new UsageError(`${file} is not valid JSON`, 'remove it, or pass another --dir', { cause });
  }
  if (state?.schema !== STATE_SCHEMA) throw new UsageError(`${file} is not a kwok cluster state file`, 'remove it, or pass another --dir');
  return state;
}

function writeState(state: ClusterState, file: string): void {
  writeFileSync(file, JSON.stringify(state, null, 2) + '\n');
}

/** Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback and waits for health. */
export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  // Ports are picked free and then handed over, so another process can take one in between; that shows as an
  // early exit with "address already in use", and a fresh set of ports is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof PortRaceError) || attempt >= 3) throw err;
      opts.log?.(`port taken by another process during start-up; retrying with new ports`);
    }
  }
}

class PortRaceError extends RunError {}

async function startOnce(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const log = opts.log ?? ((): void => {});
  const dir = opts.dir;
  claimClusterDir(dir);
  const logs = join(dir, 'logs');
  const pki = join(dir, 'pki');
  for (const d of [logs, pki, join(dir, 'kwok-home')]) mkdirSync(d, { recursive: true });
  rmSync(join(dir, 'etcd'), { recursive: true, force: true });
  const metrics = opts.metrics ?? false;
  const speed = checkSpeed(opts.speed ?? 1);
  const timings: ScenarioTimings = { ...DEFAULT_TIMINGS, ...opts.timings };

  const free = await freePorts(metrics ? 7 : 6);
  const port = (i: number): number => free[i]!;
  const ports: ClusterState['ports'] = { etcdClient: port(0), etcdPeer: port(1), apiserver: port(2), controllerManager: port(3), scheduler: port(4), kwok: port(5) };
  if (metrics) ports.metricsServer = port(6);
  const server = `https://${LOOPBACK}:${ports.apiserver}`;
  const token = adminToken();
  const keys = serviceAccountKeys();
  const saKey = join(pki, 'sa.key');
  const saPub = join(pki, 'sa.pub');
  writeFileSync(saKey, keys.privateKeyPem, { mode: 0o600 });
  writeFileSync(saPub, keys.publicKeyPem);
  writeFileSync(join(pki, 'tokens.csv'), tokenFile(token), { mode: 0o600 });
  const aggregation: AggregationFiles | undefined = metrics ? writeAggregationPki(pki, new Date(wallTimeIso())) : undefined;
  const kubeconfig = join(dir, 'kubeconfig');
  const qps = opts.clientQps ?? 1_000;

  const state: ClusterState = {
    schema: STATE_SCHEMA,
    dir,
    kubeconfig,
    server,
    startedAt: wallTimeIso(),
    startupS: 0,
    versions: opts.versions,
    ports,
    speed,
    components: expectedComponents(metrics),
    processes: [],
  };
  const stateFile = join(dir, 'cluster.json');
  const elapsed = stopwatch();

  const launch = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): StartedProcess => {
    const p = startProcess({ name, command, args, logFile: join(logs, `${name}.log`), env }, opts.lifetime);
    state.processes.push({ name: p.name, pid: p.pid, command: p.command });
    // Written after every start, so a crash of burstlab itself still leaves a record `cluster down` can act on.
    writeState(state, stateFile);
    return p;
  };

  const waitHealthy = async (p: StartedProcess, target: ProbeTarget, ok: (body: string) => boolean = () => true): Promise<void> => {
    const deadline = (opts.readyTimeoutMs ?? READY_TIMEOUT_MS) - elapsed();
    const waited = stopwatch();
    let exited: number | string | undefined;
    void p.exited.then((code) => (exited = code));
    for (;;) {
      if (opts.signal?.aborted) throw interruption(opts.signal);
      if (exited !== undefined) {
        const tail = logTail(join(logs, `${p.name}.log`));
        const error = /address already in use/.test(tail) ? PortRaceError : RunError;
        throw new error(`${p.name} exited (${exited}) during start-up`, `see ${join(logs, `${p.name}.log`)}:\n${tail}`);
      }
      const res = await probe(target);
      if (res && res.status === 200 && ok(res.body)) return;
      if (waited() > deadline) {
        throw new RunError(`${p.name} not healthy after ${Math.round(waited() / 1000)} s`, `see ${join(logs, `${p.name}.log`)}`);
      }
      await sleep(100);
    }
  };

  try {
    const etcd = launch('etcd', opts.tools.etcd, [
      '--name=burstlab',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://${LOOPBACK}:${ports.etcdClient}`,
      `--advertise-client-urls=http://${LOOPBACK}:${ports.etcdClient}`,
      `--listen-peer-urls=http://${LOOPBACK}:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://${LOOPBACK}:${ports.etcdPeer}`,
      `--initial-cluster=burstlab=http://${LOOPBACK}:${ports.etcdPeer}`,
      // The data is thrown away at teardown; fsync would only measure the disk, not the control plane.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await waitHealthy(etcd, { url: `http://${LOOPBACK}:${ports.etcdClient}/health` }, (b) => b.includes('"health":"true"'));
    log(`etcd healthy after ${(elapsed() / 1000).toFixed(1)} s`);

    const apiserver = launch('kube-apiserver', opts.tools.kubeApiserver, [
      `--etcd-servers=http://${LOOPBACK}:${ports.etcdClient}`,
      `--bind-address=${LOOPBACK}`,
      `--advertise-address=${LOOPBACK}`,
      `--secure-port=${ports.apiserver}`,
      // With no certificate given, kube-apiserver makes a self-signed one (and its CA) here.
      `--cert-dir=${pki}`,
      `--token-auth-file=${join(pki, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // The default reconciler publishes the advertise address as the kubernetes Service's endpoint, and the API
      // rejects loopback endpoints; nothing in a kwok cluster reaches the API through that Service anyway.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      ...(opts.notReadyEvictionMs === undefined ? [] : apiserverTolerationFlags(opts.notReadyEvictionMs, speed)),
      ...(aggregation ? apiserverAggregationFlags(aggregation) : []),
    ]);
    const certFile = join(pki, 'apiserver.crt');
    // Until it has written its certificate there is no CA to verify with; /livez answers anonymous callers.
    await waitHealthy(apiserver, { url: `${server}/livez` });
    const ca = servingCaPem(certFile);
    writeFileSync(join(pki, 'ca.crt'), ca);
    writeFileSync(kubeconfig, kubeconfigYaml(server, ca, token), { mode: 0o600 });
    await waitHealthy(apiserver, { url: `${server}/readyz`, ca, token });
    log(`kube-apiserver ready after ${(elapsed() / 1000).toFixed(1)} s`);
    // kwok watches the usage CRD from its start, and the APIService must exist for metrics-server to be reached.
    if (aggregation) {
      const left = (opts.readyTimeoutMs ?? READY_TIMEOUT_MS) - elapsed();
      await applyMetricsObjects(KubeClient.fromFile(kubeconfig), metricsObjects(opts.versions.kwok, ports.metricsServer!, aggregation.metricsServerCaPem), left, opts.signal);
    }

    const schedulerConfig = join(dir, 'kube-scheduler.yaml');
    writeFileSync(
      schedulerConfig,
      stringify({
        apiVersion: 'kubescheduler.config.k8s.io/v1',
        kind: 'KubeSchedulerConfiguration',
        clientConnection: { kubeconfig, qps, burst: qps * 2 },
        leaderElection: { leaderElect: false },
        ...(opts.percentageOfNodesToScore === undefined ? {} : { percentageOfNodesToScore: opts.percentageOfNodesToScore }),
      }),
    );
    const kwokConfig = join(dir, 'kwok.yaml');
    writeFileSync(
      kwokConfig,
      [
        kwokOptions(opts.kwokParallelism ?? KWOK_PARALLELISM),
        kwokStagesConfig(join(kindDir(), 'kwok', 'stages'), wallDelays(opts.delays ?? NO_DELAYS, speed)),
        ...(metrics ? [kwokMetricConfig(opts.versions.kwok)] : []),
      ].join('---\n'),
    );

    const controllerManager = launch('kube-controller-manager', opts.tools.kubeControllerManager, [
      `--kubeconfig=${kubeconfig}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${ports.controllerManager}`,
      // One instance on a throwaway cluster: leader election would only add its lease round-trips to start-up.
      '--leader-elect=false',
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${join(pki, 'ca.crt')}`,
      '--use-service-account-credentials=false',
      '--cluster-name=burstlab',
      `--kube-api-qps=${qps}`,
      `--kube-api-burst=${qps * 2}`,
      ...controllerManagerHpaFlags(timings, speed),
      ...(opts.notReadyEvictionMs === undefined ? [] : nodeMonitorFlags(speed)),
    ]);
    const scheduler = launch('kube-scheduler', opts.tools.kubeScheduler, [
      `--config=${schedulerConfig}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${ports.scheduler}`,
    ]);
    const kwok = launch(
      'kwok',
      opts.tools.kwok,
      [
        `--kubeconfig=${kubeconfig}`,
        `--config=${kwokConfig}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--server-address=${LOOPBACK}:${ports.kwok}`,
        '--node-lease-duration-seconds=40',
        ...(metrics ? kwokMetricsFlags(ports.kwok) : []),
      ],
      // kwok also reads ~/.kwok/kwok.yaml when it exists; a private HOME keeps a user's kwok setup out of the run.
      { ...process.env, HOME: join(dir, 'kwok-home') },
    );
    await Promise.all([
      waitHealthy(controllerManager, { url: `https://${LOOPBACK}:${ports.controllerManager}/healthz` }),
      waitHealthy(scheduler, { url: `https://${LOOPBACK}:${ports.scheduler}/healthz` }),
      waitHealthy(kwok, { url: `http://${LOOPBACK}:${ports.kwok}/healthz` }),
    ]);
    // Pods are rejected until the service-account controller has made the namespace's default account.
    await waitHealthy(controllerManager, { url: `${server}/api/v1/namespaces/default/serviceaccounts/default`, ca, token });
    if (aggregation) {
      log(`core components healthy after ${(elapsed() / 1000).toFixed(1)} s; starting metrics-server`);
      const metricsServer = launch(METRICS_COMPONENT, opts.tools.metricsServer, metricsServerArgs({ kubeconfig, port: ports.metricsServer!, files: aggregation, timings, speed }));
      await waitHealthy(metricsServer, { url: `https://${LOOPBACK}:${ports.metricsServer}/livez`, ca: aggregation.metricsServerCaPem });
      // Available: the aggregator reached metrics-server with its front-proxy certificate and verified its TLS.
      await waitHealthy(metricsServer, { url: `${server}/apis/apiregistration.k8s.io/v1/apiservices/${METRICS_APISERVICE}`, ca, token }, (b) => apiServiceAvailable(JSON.parse(b)));
      log(`metrics-server serving metrics.k8s.io after ${(elapsed() / 1000).toFixed(1)} s`);
    }
    state.startupS = Math.round(elapsed()) / 1000;
    writeState(state, stateFile);
    log(`kwok control plane ready in ${state.startupS.toFixed(1)} s; kubeconfig ${kubeconfig}`);
    return new ControlPlane(state);
  } catch (err) {
    await stopCluster(state);
    throw err;
  }
}

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
