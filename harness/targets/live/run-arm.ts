import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import type { RecordedTarget, RunEvent } from '../../../provisioner/runtime/events.js';
import { Random } from '../../../provisioner/runtime/random.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { AutoscalerSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { ScenarioClock } from '../../clock/scenario-clock.js';
import { repeatEvery, sleep, stopwatch } from '../../clock/wall-clock.js';
import { LiveRecorder } from '../../recorder/live-recorder.js';
import { BurstlabError, RunError } from '../../runner/errors.js';
import { formatScenarioDuration } from '../../runner/human-units.js';
import { rpsAt } from '../../traffic/profiles.js';
import { interruption } from '../../runner/interrupt.js';
import { watchCluster, type ClusterWatch } from '../cluster-watch.js';
import { KubeClient } from '../kube-client.js';
import { startControlPlane, type ControlPlane } from '../kwok/control-plane.js';
import type { ToolPaths, ToolVersions } from '../kwok/tools.js';
import { initialReplicas } from './manifests.js';
import { catalogFor } from '../../../scenarios/schema/catalog-cache.js';
import { KwokFaultCluster } from '../../chaos/kwok/kwok-fault-cluster.js';
import { notReadyEvictionMs } from '../../chaos/kwok/kwok-faults.js';
import { LiveChaos } from '../../chaos/kwok/live-chaos.js';
import { faultPlan } from '../../chaos/plan.js';
import { ReplicaLog, watchDeployments } from './replica-log.js';
import type { LiveParts } from './parts.js';
import { LIVE_NAMESPACE, WORKLOAD_LABEL, type LiveContext } from './seams.js';
import { playSchedules, playOfferedLoad } from './traffic-driver.js';

export interface LiveArmOptions {
  /** The scenario with the run's seed applied. */
  scenario: Scenario;
  arm: AutoscalerSpec;
  /** The arm's folder in the run folder: its control plane (cluster/) and the parts' logs. */
  dir: string;
  speed: number;
  parts: LiveParts;
  /** Every object to apply, in order: the scenario's and the parts'. */
  objects: KubernetesObject[];
  tools: ToolPaths;
  versions: ToolVersions;
  signal: AbortSignal;
  /** A line of progress for stderr. */
  progress?: (line: string) => void;
  /** Wall ms the warm-up may take: the initial replicas Ready before t = 0. */
  warmUpMs?: number;
}

/** What playing an arm on a cluster that is already up needs (playArm): no tools, no control plane to start. */
export type PlayArmOptions = Omit<LiveArmOptions, 'tools' | 'versions'> & {
  /** What run.started records; 'kwok' when absent. */
  target?: RecordedTarget;
};

export interface LiveArmResult {
  /** The arm's events in time order, within [0, duration], ending with run.finished. */
  events: RunEvent[];
  /** The HTTP load's request-rate scale (<= 1). */
  rateScale: number;
  /** Watch errors the informers recovered from. */
  watchErrors: string[];
  /** What the HTTP load measured short of every request (LiveHttpLoad.warnings). */
  loadWarnings: string[];
  /** The arm's external components (LiveAutoscaler.components): empty for an arm burstlab runs itself. */
  components: Record<string, string>;
  /** What the arm could not do as the scenario says (LiveAutoscaler.warnings). */
  armWarnings: string[];
}

export const WARM_UP_MS = 5 * 60_000;
const PROGRESS_EVERY_MS = 5_000;

/**
 * Plays one arm on a fresh kwok control plane in `dir`: start the cluster, apply the objects, start the metrics
 * path and the autoscaler, warm up (the initial replicas Ready, as the sim starts warm), then from t = 0 the HTTP
 * load, the offered load the HPAs read and the scheduled scaling, on the scenario clock until the scenario's end.
 * Everything it started is stopped whatever happens (an error, an abort of `signal`), the cluster last; a cluster
 * that leaves a process or a port behind fails the arm.
 */
export async function runLiveArm(o: LiveArmOptions): Promise<LiveArmResult> {
  const { scenario, arm, signal } = o;
  const say = (text: string): void => o.progress?.(`${arm.name}: ${text}`);
  throwIfAborted(signal);
  say('starting the control plane');
  const evictionMs = notReadyEvictionMs(scenario);
  const plane = await startControlPlane({
    percentageOfNodesToScore: scenario.cluster.scheduler.percentageOfNodesToScore,
    speed: o.speed,
    ...o.parts.controlPlane?.(scenario, o.speed),
    ...(evictionMs === undefined ? {} : { notReadyEvictionMs: evictionMs }),
    dir: join(o.dir, 'cluster'),
    tools: o.tools,
    versions: o.versions,
    lifetime: 'owned',
    signal,
    log: (line) => say(line),
  });
  const stops: Array<[string, () => Promise<unknown>]> = [];
  let failure: unknown;
  let result: LiveArmResult | undefined;
  try {
    result = await playArm(o, plane, stops, say);
  } catch (err) {
    failure = err;
  } finally {
    say('teardown');
    const problems = await stopAll(stops);
    const report = await plane.stop();
    // The credentials die with the cluster; the file goes too, so nothing that looks usable is left behind.
    rmSync(plane.kubeconfigPath, { force: true });
    if (report.survivors.length > 0 || report.busyPorts.length > 0) {
      problems.push(`the control plane left ${[...report.survivors, ...report.busyPorts.map((p) => `port ${p}`)].join(', ')}`);
    }
    if (failure === undefined && problems.length > 0) {
      failure = new RunError(`arm ${arm.name}: teardown failed: ${problems.join('; ')}`, `see the logs in ${o.dir}`);
    }
  }
  if (failure !== undefined) throw failure;
  return result!;
}

/** Events that say what the run is configured with, whenever emitted. */
const DEFINITIONS: ReadonlySet<string> = new Set(['nodepool.defined', 'nodegroup.defined']);

/**
 * Plays one arm on a running cluster (`plane.kubeconfigPath`): apply the objects, start the parts, warm up, play the
 * scenario. Every part it starts is pushed onto `stops` before it is awaited; the caller stops them (stopAll),
 * whatever happens. The kwok target calls it on the arm's own control plane, the cluster target on a user's cluster.
 */
export async function playArm(o: PlayArmOptions, plane: Pick<ControlPlane, 'kubeconfigPath'>, stops: Array<[string, () => Promise<unknown>]>, say: (text: string) => void): Promise<LiveArmResult> {
  const { scenario, arm, speed, signal } = o;
  const client = KubeClient.fromFile(plane.kubeconfigPath);
  const clock = new ScenarioClock(speed, o.warmUpMs ?? WARM_UP_MS);
  const recorder = new LiveRecorder(clock, arm.name);
  // The warm-up is before t = 0 and not part of the run: what the parts report then is dropped, and what exists
  // at t = 0 is recorded as initial, as the sim's warm start is. The NodePools and node groups an arm defines while
  // it starts are the run's configuration, kept (at t = 0), so `verify` checks every launch against its owner.
  const fromStart: Recorder = {
    emit: (body, atMs) => void (clock.started || DEFINITIONS.has(body.type) ? recorder.emit(body, atMs) : undefined),
  };
  const ctx: LiveContext = {
    kubeconfigPath: plane.kubeconfigPath,
    scenario,
    clock,
    // The run's root stream, as each sim arm's: the parts fork it per concern (traffic noise draws the sim's).
    random: new Random(scenario.seed),
    recorder: fromStart,
    speed,
    logDir: o.dir,
  };
  let failed: unknown;
  const fail = (err: unknown): void => void (failed ??= err);

  say(`applying ${o.objects.length} objects`);
  await until(client.apply(o.objects), signal);

  const watch = await until(
    watchCluster(client.kubeconfig, { observePod: (p, gone) => clock.started && recorder.observePod(p, gone), observeNode: (n, gone) => clock.started && recorder.observeNode(n, gone) }, LIVE_NAMESPACE, WORKLOAD_LABEL),
    signal,
  );
  stops.push(['the watches', () => watch.stop()]);
  const replicas = new ReplicaLog(recorder, scenario.workloads);
  const deployments = await until(watchDeployments(client.kubeconfig, replicas), signal);
  stops.push(['the Deployment watch', () => deployments.stop()]);
  const metrics = await startPart('the load metrics', o.parts.startLoadMetrics(ctx), stops, signal);
  // The HPAs warm up on the load the scenario starts with, as the sim's first sample at t = 0.
  const scaled = scenario.traffic.filter((t) => scenario.workloads.some((w) => w.name === t.workload && w.hpa));
  await until(Promise.all(scaled.map((t) => metrics.setOfferedLoad(t.workload, rpsAt(t, 0)))), signal);
  const autoscaler = await startPart('the autoscaler', o.parts.startAutoscaler(ctx, arm), stops, signal);
  for (const w of autoscaler.warnings ?? []) say(`warning: ${arm.name}: ${w}`);

  const expected = scenario.workloads.reduce((n, w) => n + initialReplicas(w), 0);
  say(`warming up: ${expected} initial pod(s) to Ready`);
  const warm = stopwatch();
  for (;;) {
    throwIfAborted(signal);
    const ready = readyPods(watch);
    if (ready >= expected) break;
    if (warm() > (o.warmUpMs ?? WARM_UP_MS)) {
      throw new RunError(`arm ${arm.name}: warm-up: ${ready} of ${expected} initial pods Ready after ${Math.round(warm() / 1000)} s`, `the autoscaler could not place the initial replicas; see its logs in ${o.dir}`);
    }
    await sleep(200);
  }
  // A real HPA has no metrics until a few scrapes after its pods start (kind/README.md, "The metrics path"): without
  // this wait it would first act tens of seconds into the run, whatever the load did.
  say('warming up: the HPAs to read their first metrics');
  for (;;) {
    throwIfAborted(signal);
    const left = await until(metrics.notReading(), signal);
    if (left.length === 0) break;
    if (warm() > (o.warmUpMs ?? WARM_UP_MS)) {
      throw new RunError(`arm ${arm.name}: warm-up: the HPA of ${left.join(', ')} read no metrics within ${Math.round(warm() / 1000)} s`, `see metrics-server.log and kube-controller-manager.log in ${join(o.dir, 'cluster', 'logs')}`);
    }
    await sleep(500);
  }

  clock.begin();
  for (const pod of watch.pods.list(LIVE_NAMESPACE)) recorder.observePod(pod, false, true);
  for (const node of watch.nodes.list()) recorder.observeNode(node, false, true);
  replicas.start(deployments.list());
  say(`t = 0 after a ${(warm() / 1000).toFixed(1)} s warm-up; playing ${formatScenarioDuration(scenario.duration)} at speed ${speed} (${formatScenarioDuration(scenario.duration / speed)} wall)`);

  // The fault plan, as the sim plays it (harness/chaos/kwok/live-chaos.ts); the same plan for every arm.
  const catalog = catalogFor(scenario.cluster.region, scenario.cluster.zones);
  const chaos = new LiveChaos({
    clock, recorder,
    cluster: new KwokFaultCluster(client, watch, LIVE_NAMESPACE),
    arm: autoscaler.faults ?? {},
    catalog,
    armName: arm.name,
    fail,
  });
  chaos.install(faultPlan(scenario, catalog));
  stops.push(['the faults', async () => chaos.stop()]);
  const stopOffered = playOfferedLoad(scenario, clock, metrics, fail);
  stops.push(['the offered load', async () => stopOffered()]);
  const stopSchedules = playSchedules(scenario, clock, client, replicas, fail);
  stops.push(['the scheduled scaling', async () => stopSchedules()]);
  const startingLoad = o.parts.startHttpLoad(ctx);
  let loadStopped: Promise<void> | undefined;
  // Stopped once the scenario is over, before the log is taken (its last samples come as its last requests report),
  // and by the teardown if the arm fails first.
  const stopLoad = (): Promise<void> => (loadStopped ??= startingLoad.then((l) => l.stop()));
  stops.push(['the HTTP load', stopLoad]);
  const load = await until(startingLoad, signal);
  await until(load.start(), signal);

  const stopProgress = repeatEvery(PROGRESS_EVERY_MS, () => say(`t = ${formatScenarioDuration(Math.max(0, Math.round(clock.now() / 1000) * 1000))} of ${formatScenarioDuration(scenario.duration)}; ${podCounts(watch)}`));
  stops.push(['progress', async () => stopProgress()]);
  while (clock.now() < scenario.duration) {
    throwIfAborted(signal);
    if (failed !== undefined) throw failed instanceof BurstlabError ? failed : new RunError(`arm ${arm.name} failed`, `see the logs in ${o.dir}`, { cause: failed });
    await sleep(Math.min(250, Math.max(1, (scenario.duration - clock.now()) / speed)));
  }
  say(`scenario over; ${podCounts(watch)}`);
  await until(stopLoad(), signal);
  const rateScale = load.rateScale;
  // What happened during the warm-up is at t = 0 and what the teardown does is past the end: the sim's bounds.
  const events = recorder
    .events()
    .filter((e) => e.t <= scenario.duration)
    .map((e) => (e.t < 0 ? { ...e, t: 0 } : e));
  events.unshift({ t: 0, autoscaler: arm.name, type: 'run.started', target: o.target ?? 'kwok', scenario: scenario.name, seed: scenario.seed, epoch: new Date(clock.epochMs).toISOString(), kind: arm.kind });
  events.push({ t: scenario.duration, autoscaler: arm.name, type: 'run.finished' });
  return {
    events,
    rateScale,
    watchErrors: watch.errors,
    loadWarnings: [...(load.warnings ?? [])],
    components: { ...autoscaler.components },
    armWarnings: [...(autoscaler.warnings ?? [])],
  };
}

/**
 * Awaits a part's start, its stop registered first: a part still starting when the run is interrupted is stopped
 * once it has started, never left running.
 */
async function startPart<T extends { stop(): Promise<void> }>(what: string, starting: Promise<T>, stops: Array<[string, () => Promise<unknown>]>, signal: AbortSignal): Promise<T> {
  stops.push([what, async () => (await starting).stop()]);
  return until(starting, signal);
}

function isReady(p: V1Pod): boolean {
  return p.metadata?.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

function readyPods(watch: ClusterWatch): number {
  return watch.pods.list(LIVE_NAMESPACE).filter(isReady).length;
}

function podCounts(watch: ClusterWatch): string {
  const pods = watch.pods.list(LIVE_NAMESPACE).filter((p) => p.metadata?.deletionTimestamp === undefined);
  const pending = pods.filter((p) => !p.spec?.nodeName).length;
  const ready = pods.filter(isReady).length;
  return `pods ${pending} pending, ${ready} ready of ${pods.length}; nodes ${watch.nodes.list().length}`;
}

/** Stops every part in reverse start order; one failing never keeps the others running. Returns what failed. */
export async function stopAll(stops: Array<[string, () => Promise<unknown>]>): Promise<string[]> {
  const problems: string[] = [];
  for (const [what, stop] of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      problems.push(`stopping ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw interruption(signal);
}

/** `work`, or the interruption as soon as `signal` aborts: a hung API call never holds up a Ctrl-C. */
export function until<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interruption(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
