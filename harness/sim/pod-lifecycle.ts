import type { PodSpec } from '../../provisioner/api/pod.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import { StatePod } from '../../provisioner/state/state-pod.js';
import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';
import { drawLatency } from '../clock/latency.js';
import type { Random } from '../../provisioner/runtime/random.js';
import type { DisruptionReason, PodDeleted } from '../../provisioner/runtime/events.js';
import { KubeletApi } from './kubelet-api.js';
import { podConstraintsOf } from './log-facts.js';
import type { World } from './world.js';

/** The taint of a node whose kubelet stopped reporting. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** How long a deleted pod's containers take to exit: its grace period, but no app here needs more than this. */
export const SHUTDOWN_CAP_MS = 5_000;

/**
 * The kubelet and the API server's part of a pod's life: creation, start-up after binding (image pull once per
 * node and workload, then container start), Ready once the node's kubelet has synced the status through its API
 * rate limit (kubelet-api.ts), and graceful deletion that frees the node after shutdown.
 */
export class PodLifecycle {
  private readonly random: Random;
  private readonly workloads: ReadonlyMap<string, WorkloadSpec>;
  /** Each node's kubelet API client (its rate limit), made on the node's first pod start. */
  private readonly kubelets = new WeakMap<StateNode, KubeletApi>();
  /** Each workload's constraints as pod.created logs them, built once. */
  private readonly constraints: ReadonlyMap<string, ReturnType<typeof podConstraintsOf>>;

  constructor(private readonly world: World) {
    this.random = world.random.fork('kubelet');
    this.workloads = new Map(world.scenario.workloads.map((w) => [w.name, w]));
    this.constraints = new Map(world.scenario.workloads.map((w) => [w.name, podConstraintsOf(w, world.scenario.workloads)]));
  }

  create(name: string, spec: PodSpec, initial: boolean): StatePod {
    const pod = new StatePod(name, spec, this.world.clock.now());
    this.world.state.addPod(pod);
    this.world.recorder.emit({
      type: 'pod.created',
      pod: name,
      workload: spec.workload,
      cpuMilli: spec.requests.cpu,
      memoryMiB: spec.requests.memory,
      gpu: spec.requests.gpu,
      priority: spec.priority,
      ...(initial ? { initial: true } : {}),
      ...this.constraints.get(spec.workload),
    });
    if (!initial) this.world.wakeScheduler();
    return pod;
  }

  bind(pod: StatePod, node: StateNode): void {
    this.world.state.bind(pod, node);
    this.world.recorder.emit({ type: 'pod.scheduled', pod: pod.name, node: node.name });
  }

  /** Starts the containers: Ready after the image is on the node and the container has started. */
  start(pod: StatePod, node: StateNode, instant = false): void {
    const { clock } = this.world;
    pod.startedAt = clock.now();
    if (instant) {
      node.images.set(pod.spec.workload, clock.now());
      this.markReady(pod);
      return;
    }
    const w = this.workloads.get(pod.spec.workload)!;
    let imageAt = node.images.get(pod.spec.workload);
    if (imageAt === undefined) {
      imageAt = clock.now() + drawLatency(w.startup.imagePull, this.random);
      node.images.set(pod.spec.workload, imageAt);
    }
    const readyAt = Math.max(clock.now(), imageAt) + drawLatency(w.startup.containerStart, this.random);
    // A node whose kubelet stopped (harness/chaos/sim/node-outage.ts) reports no pod Ready.
    const reportable = (): boolean => pod.phase === 'bound' && pod.node === node && !node.taints.some((t) => t.key === UNREACHABLE_TAINT);
    clock.setTimer(readyAt - clock.now(), () => {
      if (!reportable()) return;
      // Containers ready: Ready once the kubelet's status sync gets through its API rate limit.
      const wait = this.kubeletOf(node).statusSyncDelay(clock.now());
      if (wait === 0) this.markReady(pod);
      else clock.setTimer(wait, () => (reportable() ? this.markReady(pod) : undefined));
    });
  }

  private kubeletOf(node: StateNode): KubeletApi {
    let api = this.kubelets.get(node);
    if (!api) this.kubelets.set(node, (api = new KubeletApi()));
    return api;
  }

  /**
   * Deletes a pod. Its controller hears of it at once (and replaces it); the pod is gone, and its node's room freed,
   * at once if it never ran or its node is gone, else after graceful shutdown. `pod.deleted` marks that moment, as a
   * watch DELETE does.
   */
  delete(pod: StatePod, reason: PodDeleted['reason'], cause?: DisruptionReason): void {
    if (pod.phase === 'terminating' || pod.phase === 'gone') return;
    const { clock, state } = this.world;
    const wasBound = pod.node !== null;
    pod.phase = 'terminating';
    for (const listener of this.world.onPodGone) listener(pod, reason);
    const finish = (): void => {
      this.world.recorder.emit({ type: 'pod.deleted', pod: pod.name, reason, ...(cause ? { cause } : {}) });
      state.unbind(pod);
      state.removePod(pod);
      pod.phase = 'gone';
      this.world.wakeScheduler();
    };
    if (!wasBound || reason === 'run-end' || reason === 'node-terminated') {
      finish();
      return;
    }
    const grace = this.workloads.get(pod.spec.workload)?.terminationGracePeriod ?? 0;
    clock.setTimer(Math.min(grace, SHUTDOWN_CAP_MS), finish);
  }

  private markReady(pod: StatePod): void {
    pod.phase = 'ready';
    pod.readyAt = this.world.clock.now();
    this.world.recorder.emit({ type: 'pod.ready', pod: pod.name });
  }
}
