import { createWriteStream } from 'node:fs';
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { join } from 'node:path';
import { zonePrice, templateLabels } from '../../../provisioner/nodegroups/node-group.js';
import type { NodeGroup } from '../../../provisioner/nodegroups/node-group.js';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import type { StatePod } from '../../../provisioner/state/state-pod.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import type { LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { InstanceType } from '../../../provisioner/catalog/instance-type.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { Resources } from '../../../provisioner/api/resources.js';
import type { NodeInterruption } from '../../../provisioner/runtime/events.js';
import { FaultyCloud } from '../../chaos/kwok/faulty-cloud.js';
import type { ArmFaultHooks } from '../../chaos/kwok/live-chaos.js';
import type { AutoscalerSpec, BundledAutoscalerSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { armFor, type ArmCloud, type ArmWorld } from '../../sim/arms.js';
import { cloudProfileOf } from '../../sim/cloud-profile.js';
import { nodeGroupDefined, nodePoolDefined } from '../../sim/log-facts.js';
import { armNodeGroups, daemonsetOverhead } from '../../sim/specs.js';
import { scheduleWithdrawals } from '../../sim/withdrawals.js';
import { KubeClient } from '../kube-client.js';
import { ClusterStateFeed } from './cluster-state-feed.js';
import { LiveClusterActions } from './eviction-drainer.js';
import { startInformers } from './informers.js';
import { installKarpenterCrds, karpenterModuleDir } from './karpenter-crds.js';
import { KwokCloudProvider, type KwokCloudDeps } from './kwok-cloud-provider.js';
import { LivePodSpecs } from './live-pod-spec.js';
import { applyNodePools, DEFAULT_NODE_CLASS } from './nodepool-objects.js';
import { startExternalArm } from '../cluster/external-arm.js';
import { LIVE_NAMESPACE, WORKLOAD_LABEL, type LiveAutoscaler, type LiveContext, type StartLiveAutoscaler } from './seams.js';
import { StoppableClock } from './stoppable-clock.js';
import { startUpstreamKarpenter } from './upstream-karpenter.js';

/**
 * Starts a bundled arm (the Karpenter-style provisioner or the Cluster-Autoscaler-style baseline) as a live
 * controller on a kwok cluster, on exactly the code the sim runs (harness/sim/arms.ts's wiring): its ClusterState
 * is fed by informers, its CloudProvider launches kwok nodes (and NodeClaims), its ClusterActions cordon and evict
 * through the API. A Karpenter arm first installs Karpenter's CRDs from the pinned module and applies the
 * scenario's NodePools, and provisions from them as the API stored them. Node groups start at their initial size
 * (Ready nodes at t = 0, as in the sim). The controller's own decisions go to `ctx.recorder` on the scenario clock;
 * the live recorder sees pods and nodes through its own watches. Its log is `<logDir>/<arm>-controller.log`.
 * A karpenter-upstream arm is the real Karpenter instead (upstream-karpenter.ts); an external arm only watches the
 * autoscaler a user's cluster runs (harness/targets/cluster/external-arm.ts).
 */
export const startLiveAutoscaler: StartLiveAutoscaler = async (ctx: LiveContext, spec: AutoscalerSpec): Promise<LiveAutoscaler> => {
  if (spec.kind === 'karpenter-upstream') return startUpstreamKarpenter(ctx, spec);
  if (spec.kind === 'external') return startExternalArm(ctx, spec);
  return startBundledArm(ctx, spec, kwokCloud);
};

/**
 * The cloud a bundled arm launches into, with the hooks the live controller calls as its nodes register and turn
 * Ready. The optional ones are the fault back end's (harness/chaos/kwok/): a cloud without them takes no such fault.
 */
export interface LiveCloud extends ArmCloud {
  /** A node running before the scenario starts (a node group's initial size): resolves once it exists. */
  createReady(request: LaunchRequest): Promise<void>;
  registered(node: StateNode): void;
  ready(node: StateNode): void;
  /** Starts nothing new; what is in flight finishes (`idle`). */
  stop(): void;
  idle(): Promise<void>;
  /** A (re)started controller's fresh state: the cloud reports into it, and tells it of instances still booting. */
  adopt?(state: ClusterState): void;
  notify?(node: string, kind: NodeInterruption['kind']): Promise<void>;
  reclaimed?(node: string): Promise<void>;
  zoneDown?(zone: string, down: boolean): void;
}

/** What a live cloud is built from: the arm's client, clock and log, and what the scenario says of its nodes. */
export interface LiveCloudDeps {
  client: KubeClient;
  /** The cloud's own clock: it keeps booting and terminating instances while a crashed controller is down. */
  clock: StoppableClock;
  overhead: Resources;
  log: (line: string) => void;
  ctx: LiveContext;
  types: readonly InstanceType[];
  nodeClassOf: KwokCloudDeps['nodeClassOf'];
}

export type MakeLiveCloud = (deps: LiveCloudDeps) => LiveCloud;

/** kwok's cloud: kwok nodes and, for a Karpenter arm, NodeClaims (kwok-cloud-provider.ts). */
const kwokCloud: MakeLiveCloud = (d) =>
  new KwokCloudProvider({
    client: d.client, overhead: d.overhead, log: d.log,
    state: new ClusterState(),
    clock: d.clock,
    random: d.ctx.random.fork('cloud'),
    profile: cloudProfileOf(d.ctx.scenario.cloud),
    speed: d.ctx.speed,
    types: d.types,
    nodeClassOf: d.nodeClassOf,
  });

/** A bundled arm (karpenter or cluster-autoscaler) as a live controller launching into the cloud `makeCloud` builds. */
export async function startBundledArm(ctx: LiveContext, spec: BundledAutoscalerSpec, makeCloud: MakeLiveCloud): Promise<LiveAutoscaler> {
  const logFile = createWriteStream(join(ctx.logDir, `${spec.name}-controller.log`), { flags: 'a' });
  let logOpen = true;
  // Lines that arrive after the stop (a late API answer) are dropped: the file is closed.
  const log = (line: string): void => void (logOpen ? logFile.write(`${Math.round(ctx.clock.now())} ${line}\n`) : undefined);
  const stops: Array<() => Promise<void> | void> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const s of stops.reverse()) await s();
      logOpen = false;
      await new Promise<void>((resolve) => logFile.end(resolve));
    })());
  try {
    return await start(ctx, spec, makeCloud, log, stops, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

/** What outlives any one process of the controller: the cluster's API, the cloud and what was installed once. */
interface ArmBase {
  ctx: LiveContext;
  spec: BundledAutoscalerSpec;
  client: KubeClient;
  live: Scenario;
  catalog: Catalog;
  overhead: Resources;
  groups: readonly NodeGroup[];
  liveCloud: LiveCloud;
  /** The cloud as the arm sees it, through the faults' wrapper. */
  cloud: FaultyCloud;
  log(line: string): void;
}

async function start(
  ctx: LiveContext,
  spec: BundledAutoscalerSpec,
  makeCloud: MakeLiveCloud,
  log: (line: string) => void,
  stops: Array<() => Promise<void> | void>,
  stop: () => Promise<void>,
): Promise<LiveAutoscaler> {
  const client = KubeClient.fromFile(ctx.kubeconfigPath);
  const { scenario } = ctx;
  const { zones, region } = scenario.cluster;
  const catalog = new Catalog({ region, zones });
  let live: Scenario = scenario;
  if (spec.kind === 'karpenter') {
    const crds = await installKarpenterCrds(client, await karpenterModuleDir());
    log(`installed ${crds.join(', ')}`);
    const applied = await applyNodePools(client, scenario.cluster.nodePools, zones);
    for (const w of applied.warnings) log(`warning: ${w}`);
    live = { ...scenario, cluster: { ...scenario.cluster, nodePools: applied.pools } };
  }
  const overhead = daemonsetOverhead(scenario);
  const groups = armNodeGroups(scenario, spec, catalog);
  const nodeClasses = new Map(live.cluster.nodePools.map((p) => [p.name, p.nodeClassRef ?? DEFAULT_NODE_CLASS]));
  // The cloud is not the controller: its instances boot, and its terminations go on, while a crashed controller is down.
  const cloudClock = new StoppableClock(ctx.clock);
  const liveCloud = makeCloud({ client, overhead, log, ctx, clock: cloudClock, types: catalog.types, nodeClassOf: (pool) => nodeClasses.get(pool) ?? DEFAULT_NODE_CLASS });
  stops.push(async () => {
    cloudClock.stop();
    liveCloud.stop();
    await liveCloud.idle();
  });
  const base: ArmBase = { ctx, spec, client, live, catalog, overhead, groups, liveCloud, cloud: new FaultyCloud(liveCloud), log };
  let incarnation = 0;
  let process: ControllerProcess | undefined = await startProcess(base, incarnation);
  stops.push(() => process?.stop());
  // Withdrawals are the cloud's, not the controller's: played on the cloud's clock, told to whichever process runs.
  scheduleWithdrawals({ scenario: live, clock: cloudClock, catalog, recorder: ctx.recorder }, { offeringsChanged: () => process?.offeringsChanged() });
  const faults: ArmFaultHooks = {
    // Only the Karpenter arm listens to the cloud's notices; Cluster Autoscaler has no interruption handling.
    ...(spec.kind === 'karpenter' && liveCloud.notify ? { notice: (node, kind) => liveCloud.notify!(node, kind) } : {}),
    ...(liveCloud.reclaimed ? { reclaimed: (node) => liveCloud.reclaimed!(node) } : {}),
    refuse: (offerings, on) => base.cloud.refuse(offerings, on),
    ...(liveCloud.zoneDown ? { zoneDown: (zone, down) => liveCloud.zoneDown!(zone, down) } : {}),
    throttle: (on) => base.cloud.throttle(on),
    crash: async () => {
      const dying = process;
      process = undefined;
      log(`${spec.kind} arm ${spec.name}: crashed (autoscaler-crash fault)`);
      await dying?.stop();
    },
    restart: async () => {
      if (process) return;
      process = await startProcess(base, ++incarnation);
    },
  };
  return { stop, faults };
}

/** One life of the controller's process: its clock, state, informers and loops. */
interface ControllerProcess {
  stop(): Promise<void>;
  /** The cloud stopped offering something: the arm re-plans and finds its drifted nodes. */
  offeringsChanged(): void;
}

/**
 * Starts one process of the controller: a fresh ClusterState fed by its own informers from the cluster as it is
 * (and, for instances still booting, from the cloud), the arm wired on it as the sim wires it, acting from then on.
 * A restarted one (incarnation > 0) names what it launches apart from its predecessor's, as a new process would.
 */
async function startProcess(base: ArmBase, incarnation: number): Promise<ControllerProcess> {
  const { ctx, spec, client, live, catalog, overhead, groups, liveCloud, cloud, log } = base;
  const clock = new StoppableClock(ctx.clock);
  let alive = true;
  // A stopped controller says nothing more: a decision its last async pass was still making is not logged.
  const recorder: Recorder = { emit: (body) => void (alive ? ctx.recorder.emit(body) : undefined) };
  const state = new ClusterState();
  liveCloud.adopt?.(state);
  const stops: Array<() => Promise<void> | void> = [];
  const stop = async (): Promise<void> => {
    if (!alive) return;
    alive = false;
    clock.stop();
    for (const s of stops.reverse()) await s();
  };
  try {
    const actions = new LiveClusterActions({ core: client.core, clock, log });
    stops.push(() => actions.stop());
    const world: ArmWorld = {
      scenario: live, clock, state, catalog, overhead, recorder,
      random: ctx.random,
      onUnschedulable: [],
      workloadHealth: (workload) => workloadHealth(state, informers.pdbs.list(LIVE_NAMESPACE), workload),
      storePool: async (next) => {
        const applied = await applyNodePools(client, [next], live.cluster.zones);
        for (const w of applied.warnings) log(`warning: ${w}`);
        log(`NodePool ${next.name} changed and applied`);
        return applied.pools[0]!;
      },
    };
    const unschedulable = (pod: StatePod): void => {
      for (const listener of world.onUnschedulable) listener(pod);
    };
    const feed = new ClusterStateFeed(state, clock, new LivePodSpecs(live.workloads, (workload, what) => log(`workload ${workload}: not modelled: ${what.join('; ')}`)), overhead, {
      unschedulable,
      registered: (node) => {
        log(`node ${node.name} registered`);
        liveCloud.registered(node);
      },
      ready: (node) => {
        log(`node ${node.name} Ready`);
        liveCloud.ready(node);
      },
    });
    const informers = await startInformers(client.kubeconfig, {
      namespace: LIVE_NAMESPACE,
      watchClaims: spec.kind === 'karpenter',
      clock,
      onPod: (pod, gone) => feed.pod(pod, gone),
      onNode: (node, gone) => feed.node(node, gone),
      onClaim: (claim, gone) => feed.claim(claim, gone),
    });
    stops.push(async () => {
      await informers.stop();
      for (const e of informers.errors) log(`watch error (recovered): ${e}`);
    });

    if (incarnation === 0) await startNodeGroups(live, groups, state, liveCloud);
    const arm = armFor(spec, world, cloud, actions, groups, { clock, alive: () => alive, incarnation });
    if (incarnation === 0) {
      for (const pool of arm.pools) recorder.emit(nodePoolDefined(pool, catalog));
      for (const group of groups) recorder.emit(nodeGroupDefined(group));
    }
    arm.start();
    // Pods already unschedulable when the controller started were seen before anyone listened.
    for (const pod of state.pendingPods()) if (pod.provisionable) unschedulable(pod);
    log(`${spec.kind} arm ${spec.name} ${incarnation === 0 ? 'started' : `restarted (incarnation ${incarnation})`}: ${state.nodes.size} node(s), ${state.pods.size} pod(s) in ${LIVE_NAMESPACE}`);
    return { stop, offeringsChanged: () => arm.offeringsChanged() };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Each node group at its initial size (else its minimum), nodes Ready at t = 0 spread over its zones, as the sim's warm-up. */
async function startNodeGroups(scenario: Scenario, groups: readonly NodeGroup[], state: ClusterState, cloud: LiveCloud): Promise<void> {
  const creates: Array<Promise<void>> = [];
  for (const group of groups) {
    const spec = scenario.cluster.nodeGroups.find((g) => g.name === group.name)!;
    const zoneSizes = new Map<string, number>();
    for (let i = 0; i < (spec.initial ?? spec.min); i++) {
      const zone = [...group.zones].sort((a, b) => (zoneSizes.get(a) ?? 0) - (zoneSizes.get(b) ?? 0) || (a < b ? -1 : 1))[0]!;
      zoneSizes.set(zone, (zoneSizes.get(zone) ?? 0) + 1);
      const name = `${group.name}-init-${i + 1}`;
      if (state.nodes.has(name)) continue;
      creates.push(
        cloud.createReady({
          name, zone,
          type: group.type, capacityType: group.capacityType, pricePerHour: zonePrice(group, zone),
          owner: group.name, ownerKind: 'nodegroup', labels: templateLabels(group),
          taints: group.taints, path: 'asg',
        }),
      );
    }
  }
  await Promise.all(creates);
}

/**
 * What the PDB check reads: the PodDisruptionBudget's own status (the disruption controller's healthy and expected
 * pods, what the Eviction API decides by) when the workload has one in the cluster; else, from the state, its Ready
 * pods not being deleted and its pods not being deleted (what its ReplicaSet wants, once it has caught up).
 */
function workloadHealth(state: ClusterState, pdbs: readonly V1PodDisruptionBudget[], workload: string): { healthy: number; expected: number } {
  const pdb = pdbs.find((p) => p.spec?.selector?.matchLabels?.[WORKLOAD_LABEL] === workload);
  const status = pdb?.status;
  if (status?.currentHealthy !== undefined && status.expectedPods !== undefined) return { healthy: status.currentHealthy, expected: status.expectedPods };
  let healthy = 0;
  let expected = 0;
  for (const p of state.pods.values()) {
    if (p.spec.workload !== workload || p.phase === 'terminating' || p.phase === 'gone') continue;
    expected++;
    if (p.phase === 'ready') healthy++;
  }
  return { healthy, expected };
}
