import type { ClusterActions } from '../../provisioner/api/cluster-actions.js';
import { templateLabels, zonePrice } from '../../provisioner/nodegroups/node-group.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import { ClusterState } from '../../provisioner/state/cluster-state.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { Random } from '../../provisioner/runtime/random.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { NodeInterruption, RunEvent } from '../../provisioner/runtime/events.js';
import { MemoryRecorder, StreamRecorder } from '../recorder/recorder.js';
import { capacityRpsPerPod, serve } from '../traffic/capacity.js';
import { offeredRps, trafficNoise } from '../traffic/offered-load.js';
import { ValidationError } from '../runner/errors.js';
import { isBundled, LIVE_ONLY_HINT, targetIssues } from '../../scenarios/schema/target-support.js';
import { ArmProcess } from '../chaos/sim/arm-process.js';
import { ChaosCloud } from '../chaos/sim/chaos-cloud.js';
import { SimChaos } from '../chaos/sim/sim-chaos.js';
import { faultPlan } from '../chaos/plan.js';
import { armFor } from './arms.js';
import { cloudProfileOf } from './cloud-profile.js';
import { Deployment } from './deployment.js';
import { HpaCalculator } from './hpa.js';
import { nodeGroupDefined, nodePoolDefined } from './log-facts.js';
import { PodLifecycle } from './pod-lifecycle.js';
import { SimScheduler } from './scheduler.js';
import { SimCloudProvider } from './sim-cloud-provider.js';
import { SpotInterruptions } from './spot-interruptions.js';
import { armNodeGroups, daemonsetOverhead, podSpecOf } from './specs.js';
import { scheduleWithdrawals } from './withdrawals.js';
import type { World } from './world.js';

export interface ArmRun {
  /** The arm's events in order; empty when they went to SimulateOptions.onEvent instead. */
  events: RunEvent[];
  /** Timers the virtual clock fired: the simulator's unit of work. */
  timersFired: number;
}

export interface SimulateOptions {
  /**
   * Called with the share of simulated time done, a hundred times. The simulation awaits it, so a caller can yield
   * to the event loop there (signals, output) or stop the run by throwing.
   */
  onProgress?: (fraction: number) => void | Promise<void>;
  /**
   * Awaited every few hundred timers, between the progress steps: a step of a big scenario can run for seconds, and
   * a caller needs to see a Ctrl-C sooner (it stops the run by throwing). Slicing never changes what is simulated.
   */
  checkpoint?: () => Promise<void>;
  /** Notices the cloud sends at chosen times, for tests (a scenario's Spot interruption rate raises its own). */
  notices?: readonly ScheduledNotice[];
  /** Receives each event as it happens, and the run keeps none: a log streamed to disk. */
  onEvent?: (event: RunEvent) => void;
}

/** A cloud notice at a time: about the node `pick` chooses among the live ones (none: nothing is sent). */
export interface ScheduledNotice {
  at: number;
  kind: NodeInterruption['kind'];
  pick: (nodes: readonly StateNode[]) => StateNode | undefined;
  /** Until the cloud takes the instance; absent for a notice without a deadline. */
  deadlineMs?: number;
}

/** Timers fired between checkpoints: small enough to be well under 50 ms, large enough to cost nothing. */
const TIMERS_PER_SLICE = 500;

/**
 * Plays one autoscaler arm of a scenario on virtual time: a seeded world where the cluster starts warm (initial
 * node groups, initial replicas placed, any shortfall covered by the arm's own decisions at t = 0), then traffic
 * samples, the HPA, scheduled scaling, the scheduler, the cloud and the autoscaler run until the end.
 * Deterministic: the same scenario, seed and arm give the same events.
 */
export async function simulateArm(scenario: Scenario, armSpec: AutoscalerSpec, sharedCatalog: Catalog, options: SimulateOptions = {}): Promise<ArmRun> {
  if (!isBundled(armSpec)) throw new ValidationError(scenario.file, targetIssues(scenario, 'sim'), LIVE_ONLY_HINT);
  // What the cloud offers can shrink mid-run (`changes[].withdraw`): each arm withdraws from its own copy.
  const catalog = sharedCatalog.fork();
  const clock = new VirtualClock(0);
  const random = new Random(scenario.seed);
  const memory = new MemoryRecorder(clock, armSpec.name);
  const recorder = options.onEvent ? new StreamRecorder(clock, armSpec.name, options.onEvent) : memory;
  const state = new ClusterState();
  const world: World = {
    scenario, clock, random, recorder, state, catalog,
    overhead: daemonsetOverhead(scenario),
    wakeScheduler: () => scheduler.wake(),
    onUnschedulable: [],
    onPodGone: [],
    workloadHealth: (workload) => {
      const d = deployments.get(workload);
      return { healthy: d?.readyCount() ?? 0, expected: d?.desired ?? 0 };
    },
  };
  const pods = new PodLifecycle(world);
  const scheduler = new SimScheduler(world, pods);
  const cloud = new SimCloudProvider(world, cloudProfileOf(scenario.cloud));
  const actions: ClusterActions = {
    cordon: (node, reason) => {
      if (node.cordoned) return;
      node.cordoned = true;
      recorder.emit({ type: 'node.cordoned', node: node.name, reason });
    },
    evict: (pod, cause) => pods.delete(pod, 'evicted', cause),
    deletePod: (pod, cause) => pods.delete(pod, 'node-terminated', cause),
  };

  cloud.onReclaimed.push((node) => {
    for (const pod of [...node.pods]) pods.delete(pod, 'node-terminated', 'Interrupted');
  });
  if (scenario.cloud.spotInterruptions) new SpotInterruptions(world, cloud, scenario.cloud.spotInterruptions);

  recorder.emit({ type: 'run.started', target: 'sim', scenario: scenario.name, seed: scenario.seed, epoch: scenario.start, kind: armSpec.kind });

  const groups = armNodeGroups(scenario, armSpec, catalog);
  const faults = scenario.faults ?? [];
  // Faults wrap the cloud and the arm's process; without any, the arm runs on the sim's cloud directly.
  const chaosCloud = faults.length > 0 ? new ChaosCloud(world, cloud) : undefined;
  const arm = new ArmProcess(clock, (life) => armFor(armSpec, world, chaosCloud ?? cloud, actions, groups, life));
  for (const pool of arm.pools) recorder.emit(nodePoolDefined(pool, catalog));
  for (const group of groups) recorder.emit(nodeGroupDefined(group));
  const deployments = new Map<string, Deployment>();
  const hpas = new Map<string, HpaCalculator>();
  for (const w of scenario.workloads) {
    const initial = w.hpa ? Math.min(w.hpa.maxReplicas, Math.max(w.hpa.minReplicas, w.replicas)) : w.replicas;
    deployments.set(w.name, new Deployment(world, pods, podSpecOf(w, scenario.priorities, scenario.workloads), initial));
    if (w.hpa) hpas.set(w.name, new HpaCalculator(w.hpa));
  }
  world.onPodGone.push((pod) => deployments.get(pod.spec.workload)?.forget(pod));

  warmUp();
  arm.start();
  scheduleWithdrawals(world, arm);
  if (chaosCloud) new SimChaos({ world, cloud, chaosCloud, pods, arm, armName: armSpec.name }).install(faultPlan(scenario, catalog));
  startTraffic();
  startSchedules();
  for (const notice of options.notices ?? []) {
    clock.setTimer(notice.at, () => {
      const node = notice.pick(state.aliveNodes());
      return node ? cloud.notify(node.name, notice.kind, notice.deadlineMs) : undefined;
    });
  }
  scheduler.wake();

  // runUntil stops early after a slice of timers (a checkpoint) or after a timer that left asynchronous work
  // unsettled (an autoscaler awaiting the cloud): that work settles before any further timer fires (VirtualClock).
  const steps = 100;
  for (let i = 1; i <= steps; i++) {
    const until = Math.round((scenario.duration * i) / steps);
    while (!clock.runUntil(until, options.checkpoint ? TIMERS_PER_SLICE : Infinity)) {
      if (clock.unsettled) await clock.settle();
      else await options.checkpoint?.();
    }
    await options.onProgress?.(i / steps);
  }
  recorder.emit({ type: 'run.finished' });
  return { events: memory.events, timersFired: clock.firedCount };

  function warmUp(): void {
    for (const group of groups) {
      const spec = scenario.cluster.nodeGroups.find((g) => g.name === group.name)!;
      const zoneSizes = new Map<string, number>();
      const count = spec.initial ?? spec.min;
      for (let i = 0; i < count; i++) {
        const zone = [...group.zones].sort((a, b) => (zoneSizes.get(a) ?? 0) - (zoneSizes.get(b) ?? 0) || (a < b ? -1 : 1))[0]!;
        zoneSizes.set(zone, (zoneSizes.get(zone) ?? 0) + 1);
        cloud.createReady({
          name: `${group.name}-init-${i + 1}`,
          type: group.type, zone, capacityType: group.capacityType, pricePerHour: zonePrice(group, zone),
          owner: group.name, ownerKind: 'nodegroup', labels: templateLabels(group),
          taints: group.taints, path: 'asg',
        });
      }
    }
    for (const d of deployments.values()) d.createInitial();
    scheduler.cycle({ warmUp: true });
    const left = state.pendingPods();
    if (left.length === 0) return;
    for (const request of arm.warmStart(left)) cloud.createReady(request);
    scheduler.cycle({ warmUp: true });
  }

  function startTraffic(): void {
    const currentRps = new Map<string, number>();
    const noise = new Map(scenario.traffic.map((t) => [t.workload, trafficNoise(random, t.workload)]));
    const sample = (): void => {
      const now = clock.now();
      for (const t of scenario.traffic) {
        const w = scenario.workloads.find((x) => x.name === t.workload)!;
        const rps = offeredRps(t, now, noise.get(t.workload)!);
        currentRps.set(t.workload, rps);
        const served = serve(rps, deployments.get(w.name)!.readyCount(), capacityRpsPerPod(w), w.baseLatency, scenario.requestTimeout);
        recorder.emit({
          type: 'traffic.sample',
          workload: t.workload,
          rps: Math.round(rps * 10) / 10,
          servedRps: Math.round(served.servedRps * 10) / 10,
          latencyMs: served.latencyMs,
          windowMs: scenario.sampleInterval,
        });
      }
      clock.setTimer(scenario.sampleInterval, sample);
    };
    sample();
    for (const [name, hpa] of hpas) {
      const w = scenario.workloads.find((x) => x.name === name)!;
      const deployment = deployments.get(name)!;
      const evaluate = (): void => {
        const next = hpa.recommend(clock.now(), currentRps.get(name) ?? 0, deployment.desired);
        deployment.scale(next, 'hpa');
        clock.setTimer(w.hpa!.syncPeriod, evaluate);
      };
      clock.setTimer(w.hpa!.syncPeriod, evaluate);
    }
  }

  function startSchedules(): void {
    for (const w of scenario.workloads) {
      for (const entry of w.schedule) {
        clock.setTimer(entry.at, () => {
          const hpa = hpas.get(w.name);
          const deployment = deployments.get(w.name)!;
          if (hpa) {
            hpa.setMinReplicas(entry.replicas);
            if (deployment.desired < entry.replicas) deployment.scale(entry.replicas, 'schedule');
          } else {
            deployment.scale(entry.replicas, 'schedule');
          }
        });
      }
    }
  }
}
