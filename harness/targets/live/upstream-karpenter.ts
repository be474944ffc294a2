import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { AutoscalerSpec, KarpenterUpstreamSpec, NodePoolSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { sleep, stopwatch, wallTimeIso } from '../../clock/wall-clock.js';
import { RunError } from '../../runner/errors.js';
import type { CloudProfile } from '../../sim/cloud-profile.js';
import { cloudProfileOf } from '../../sim/cloud-profile.js';
import { changedPoolSpec } from '../../sim/specs.js';
import { KubeClient } from '../kube-client.js';
import { freePorts, LOOPBACK } from '../kwok/ports.js';
import { probe } from '../kwok/probe.js';
import { startProcess, stopProcesses, type ProcessRecord, type StartedProcess } from '../kwok/processes.js';
import { ensureKarpenterKwok, pinnedVersion } from '../kwok/tools.js';
import { installKarpenterCrds, karpenterModuleDir, upstreamCrdFiles } from './karpenter-crds.js';
import { DISRUPTION_WATCH_WARNING, watchKarpenterDisruptions } from './karpenter-disruptions.js';
import { watchNodeClaims } from './nodeclaim-events.js';
import { applyNodePools } from './nodepool-objects.js';
import type { LiveAutoscaler, LiveContext } from './seams.js';
import { StoppableClock } from './stoppable-clock.js';
import { upstreamInstanceTypes } from './upstream-catalog.js';

/** A running upstream Karpenter: the process and its health port, to prove a stop left nothing behind. */
export interface UpstreamKarpenter extends LiveAutoscaler {
  readonly process: ProcessRecord;
  readonly healthProbePort: number;
}

/** The KWOKNodeClass every NodePool of a karpenter-upstream arm names: the kwok provider launches only for its own class. */
export const KWOK_NODE_CLASS_REF = { group: 'karpenter.kwok.sh', kind: 'KWOKNodeClass', name: 'burstlab' } as const;

/** The label live pods select kwok's nodes by. */
const KWOK_NODE_LABEL = { type: 'kwok' } as const;

/** How long upstream may take from start to /readyz answering ok (it syncs its caches first). */
const READY_TIMEOUT_MS = 120_000;
/** SIGTERM to SIGKILL: upstream exits promptly on SIGTERM; this only bounds a stuck shutdown. */
const STOP_GRACE_MS = 10_000;

/**
 * The node class: `nodeRegistrationDelay` is how long the provider waits before it creates the Node of a launched
 * NodeClaim, which is what stands for boot time. The cloud profile's launch-to-Ready (median of launch to
 * registered, plus median of registered to Ready) at the run's speed, in whole seconds as the CRD's pattern asks.
 * Upstream's delay is one fixed number; the profile's spread around its medians is not reproduced (a warning).
 */
export function kwokNodeClass(profile: CloudProfile, speed: number): { object: KubernetesObject; delayS: number; warnings: string[] } {
  const bootMs = (profile.launchToRegistered.medianMs + profile.registeredToReady.medianMs) / speed;
  const delayS = Math.ceil(bootMs / 1000);
  const warnings = [
    `upstream Karpenter's kwok nodes register after a fixed ${delayS}s (nodeRegistrationDelay: the '${profile.name}' profile's median launch-to-Ready${speed > 1 ? ` at speed ${speed}` : ''}); the profile's spread is not reproduced on that arm`,
  ];
  if (delayS * 1000 !== bootMs) warnings.push(`nodeRegistrationDelay ${Math.round(bootMs)} ms rounded up to ${delayS}s (the KWOKNodeClass takes whole seconds)`);
  const object = {
    apiVersion: 'karpenter.kwok.sh/v1alpha1',
    kind: KWOK_NODE_CLASS_REF.kind,
    metadata: { name: KWOK_NODE_CLASS_REF.name },
    spec: delayS > 0 ? { nodeRegistrationDelay: `${delayS}s` } : {},
  };
  return { object: object as KubernetesObject, delayS, warnings };
}

/**
 * A scenario NodePool as upstream gets it: unchanged but for its nodeClassRef (the KWOKNodeClass), kwok's `type: kwok`
 * node label (live pods select it, harness/targets/workloads.ts, and upstream only launches nodes that satisfy a
 * pod's nodeSelector; the bundled arms ignore that plumbing and label their nodes alike), and its durations in wall
 * time at the run's speed, since the real controller's clock is the wall clock.
 */
export function upstreamPool(p: NodePoolSpec, speed: number): NodePoolSpec {
  const wall = (ms: number): number => Math.round(ms / speed);
  const nillable = (v: number | 'Never'): number | 'Never' => (v === 'Never' ? v : wall(v));
  return {
    ...p,
    nodeClassRef: { ...KWOK_NODE_CLASS_REF },
    labels: { ...p.labels, ...KWOK_NODE_LABEL },
    ...(p.terminationGracePeriod !== undefined ? { terminationGracePeriod: wall(p.terminationGracePeriod) } : {}),
    disruption: { ...p.disruption, consolidateAfter: nillable(p.disruption.consolidateAfter), expireAfter: nillable(p.disruption.expireAfter) },
  };
}

/**
 * For the run's orchestration, before any arm starts: when the scenario has a karpenter-upstream arm, builds the
 * binary (about 3 minutes cold, progress to `log`, e.g. the terminal) and fetches the module its CRDs come from, so
 * that neither happens silently inside an arm's start-up. Returns the components it provides (for run.json), none
 * when no arm needs them.
 */
export async function prepareUpstreamArms(scenario: Pick<Scenario, 'autoscalers'>, log: (line: string) => void): Promise<Record<string, string>> {
  if (!scenario.autoscalers.some((a) => a.kind === 'karpenter-upstream')) return {};
  const version = pinnedVersion('KARPENTER_VERSION');
  const binary = await ensureKarpenterKwok(log);
  await karpenterModuleDir(version);
  log(`upstream Karpenter ${version}: ${binary}`);
  return { 'karpenter (kwok provider)': version };
}

/** What upstream is configured with: environment variables only (it takes no --kubeconfig flag; every flag has an env twin). */
export function upstreamEnv(
  spec: KarpenterUpstreamSpec,
  o: { kubeconfigPath: string; instanceTypesPath: string; metricsPort: number; healthProbePort: number; speed: number },
): Record<string, string> {
  const goDuration = (ms: number): string => `${Math.round(ms / o.speed)}ms`;
  return {
    KUBECONFIG: o.kubeconfigPath,
    DISABLE_LEADER_ELECTION: 'true',
    METRICS_PORT: String(o.metricsPort),
    HEALTH_PROBE_PORT: String(o.healthProbePort),
    INSTANCE_TYPES_FILE_PATH: o.instanceTypesPath,
    BATCH_IDLE_DURATION: goDuration(spec.batchIdleDuration),
    BATCH_MAX_DURATION: goDuration(spec.batchMaxDuration),
    // Merged with upstream's defaults for every gate not named.
    FEATURE_GATES: `SpotToSpotConsolidation=${spec.featureGates.spotToSpotConsolidation}`,
    LOG_LEVEL: spec.logLevel,
  };
}

/** Settings worth recording (run.json): the env without paths and ports, which differ on every run. */
const RECORDED_SETTINGS = ['DISABLE_LEADER_ELECTION', 'BATCH_IDLE_DURATION', 'BATCH_MAX_DURATION', 'FEATURE_GATES', 'LOG_LEVEL'] as const;

/**
 * Starts the real Karpenter (its kwok cloud provider, built from the Go module at KARPENTER_VERSION) against the
 * arm's kwok cluster: installs the module's CRDs (the kwok chart's and KWOKNodeClass), applies the node class and
 * the scenario's NodePools, writes the bundled catalog as its instance-types file, starts the process (owned: it
 * dies with burstlab) and resolves once /readyz answers ok. Its NodeClaims are reported as claim.created, so the
 * recorder measures decision and node launch latency as for the bundled arm. Logs: `<logDir>/<arm>-karpenter.log`
 * (upstream's JSON lines) and `<arm>-controller.log` (what burstlab did for it).
 */
export const startUpstreamKarpenter = async (ctx: LiveContext, spec: AutoscalerSpec): Promise<UpstreamKarpenter> => {
  if (spec.kind !== 'karpenter-upstream') throw new RunError(`startUpstreamKarpenter got a ${spec.kind} arm`, 'this is a bug in burstlab: report it');
  const logFile = createWriteStream(join(ctx.logDir, `${spec.name}-controller.log`), { flags: 'a' });
  let logOpen = true;
  // A late line (a watch error after the stop) is dropped: the file is closed.
  const log = (line: string): void => void (logOpen ? logFile.write(`${Math.round(ctx.clock.now())} ${line}\n`) : undefined);
  const clock = new StoppableClock(ctx.clock);
  const stops: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clock.stop();
      for (const s of stops.reverse()) await s();
      logOpen = false;
      await new Promise<void>((resolve) => logFile.end(resolve));
    })());
  try {
    return await start(ctx, spec, clock, log, stops, stop);
  } catch (err) {
    await stop();
    throw err;
  }
};

async function start(
  ctx: LiveContext,
  spec: KarpenterUpstreamSpec,
  clock: StoppableClock,
  log: (line: string) => void,
  stops: Array<() => Promise<void>>,
  stop: () => Promise<void>,
): Promise<UpstreamKarpenter> {
  const { scenario, speed } = ctx;
  const version = pinnedVersion('KARPENTER_VERSION');
  const binary = await ensureKarpenterKwok(log);
  const client = KubeClient.fromFile(ctx.kubeconfigPath);
  const warnings: string[] = [];
  const warn = (line: string): void => {
    warnings.push(line);
    log(`warning: ${line}`);
  };

  const moduleDir = await karpenterModuleDir(version);
  const crds = await installKarpenterCrds(client, moduleDir, undefined, upstreamCrdFiles(moduleDir));
  log(`installed ${crds.join(', ')}`);
  const nodeClass = kwokNodeClass(cloudProfileOf(scenario.cloud), speed);
  for (const w of nodeClass.warnings) warn(w);
  await client.apply([nodeClass.object]);
  await markNodeClassReady(client);
  if (speed > 1) warn(`upstream Karpenter's own timers (disruption polling, consolidation validation, the batch window's floor) run in wall time: at speed ${speed} they last ${speed} times longer in scenario time`);
  for (const p of scenario.cluster.nodePools) {
    if (p.nodeClassRef) warn(`NodePool ${p.name}: nodeClassRef ${p.nodeClassRef.kind}/${p.nodeClassRef.name} replaced by ${KWOK_NODE_CLASS_REF.kind}/${KWOK_NODE_CLASS_REF.name} on the upstream arm`);
  }
  const { zones, region } = scenario.cluster;
  const applied = await applyNodePools(client, scenario.cluster.nodePools.map((p) => upstreamPool(p, speed)), zones);
  for (const w of applied.warnings) warn(w);
  log(`applied NodePools ${applied.pools.map((p) => p.name).join(', ')}`);

  const catalog = new Catalog({ region, zones });
  const instanceTypesPath = join(ctx.logDir, `${spec.name}-instance-types.json`);
  writeFileSync(instanceTypesPath, JSON.stringify(upstreamInstanceTypes(catalog), null, 1));

  const claims = await watchNodeClaims(client.kubeconfig, clock, ctx.recorder, catalog);
  stops.push(async () => {
    await claims.stop();
    for (const e of claims.errors) log(`watch error (recovered): ${e}`);
  });
  const disruptions = await watchKarpenterDisruptions(client.kubeconfig, clock, ctx.recorder);
  stops.push(async () => {
    await disruptions.stop();
    for (const e of disruptions.errors) log(`watch error (recovered): ${e}`);
  });
  warn(DISRUPTION_WATCH_WARNING);

  const [metricsPort, healthProbePort] = (await freePorts(2)) as [number, number];
  const env = upstreamEnv(spec, { kubeconfigPath: ctx.kubeconfigPath, instanceTypesPath, metricsPort, healthProbePort, speed });
  const proc = startProcess(
    { name: `karpenter-${spec.name}`, command: binary, args: [], logFile: join(ctx.logDir, `${spec.name}-karpenter.log`), env: { PATH: process.env.PATH ?? '', ...env } },
    'owned',
  );
  stops.push(async () => {
    const killed = await stopProcesses([proc], STOP_GRACE_MS);
    log(killed.length > 0 ? `karpenter did not stop on SIGTERM within ${STOP_GRACE_MS / 1000} s: killed` : 'karpenter stopped');
  });
  log(`started karpenter ${version} (${binary}), pid ${proc.pid}, metrics :${metricsPort}, health :${healthProbePort}`);
  await waitReady(proc, healthProbePort, spec.name, ctx.logDir);
  log('karpenter ready');

  scheduleNodePoolChanges(ctx, client, clock, speed, log);
  return {
    stop,
    process: { name: proc.name, pid: proc.pid, command: proc.command },
    healthProbePort,
    warnings,
    components: {
      [`karpenter (arm ${spec.name})`]: version,
      [`karpenter (arm ${spec.name}) settings`]: RECORDED_SETTINGS.map((k) => `${k}=${env[k]}`).join(' '),
    },
  };
}

/**
 * A NodePool is ready only when its node class is, and the KWOKNodeClass CRD's status default (Ready=True) is not
 * applied to an object created without a status: nothing else reconciles a KWOKNodeClass, so burstlab says it is
 * ready through the status subresource, as the CRD's default would have.
 */
async function markNodeClassReady(client: KubeClient): Promise<void> {
  const custom = client.kubeconfig.makeApiClient(CustomObjectsApi);
  const ref = { group: KWOK_NODE_CLASS_REF.group, version: 'v1alpha1', plural: 'kwoknodeclasses', name: KWOK_NODE_CLASS_REF.name };
  const current = (await custom.getClusterCustomObject(ref)) as KubernetesObject;
  const status = { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: wallTimeIso().replace(/\.\d{3}Z$/, 'Z') }] };
  await custom.replaceClusterCustomObjectStatus({ ...ref, body: { ...current, status } });
}

/** Polls /readyz until it answers 200; fails at once if the process exits first. */
async function waitReady(proc: StartedProcess, port: number, arm: string, logDir: string): Promise<void> {
  let exited: number | string | undefined;
  void proc.exited.then((code) => (exited = code));
  const elapsed = stopwatch();
  const hint = `see ${join(logDir, `${arm}-karpenter.log`)}`;
  for (;;) {
    // The exit event, not /proc: just after the spawn the child may not have exec'd the binary yet.
    if (exited !== undefined) throw new RunError(`upstream Karpenter (arm ${arm}) exited before it was ready (${exited})`, hint);
    const res = await probe({ url: `http://${LOOPBACK}:${port}/readyz` }, 1_000);
    if (res?.status === 200) return;
    if (elapsed() > READY_TIMEOUT_MS) throw new RunError(`upstream Karpenter (arm ${arm}) not ready after ${READY_TIMEOUT_MS / 1000} s`, hint);
    await sleep(200);
  }
}

/** A NodePool the scenario changes mid-run is re-applied at its time, as upstream gets it; upstream reacts to the API. */
function scheduleNodePoolChanges(ctx: LiveContext, client: KubeClient, clock: StoppableClock, speed: number, log: (line: string) => void): void {
  const { scenario } = ctx;
  const specs = new Map(scenario.cluster.nodePools.map((p) => [p.name, p]));
  for (const change of scenario.changes) {
    if (change.kind !== 'nodePool') continue;
    clock.setTimer(change.at, async () => {
      const next = changedPoolSpec(specs.get(change.nodePool)!, change);
      specs.set(change.nodePool, next);
      try {
        const applied = await applyNodePools(client, [upstreamPool(next, speed)], scenario.cluster.zones);
        for (const w of applied.warnings) log(`warning: ${w}`);
        log(`NodePool ${next.name} changed and applied`);
      } catch (err) {
        log(`NodePool ${next.name} change failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }
}
