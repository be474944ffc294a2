import type { PodSpec } from '../../provisioner/api/pod.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import { StatePod } from '../../provisioner/state/state-pod.js';
import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';
import { drawLatency } from '../clock/latency.js';
import type { Random } from '../../provisioner/runtime/random.js';
import type { DisruptionReason, PodDeleted } from '../../provisioner/runtime/events.js';
import { podConstraintsOf } from './log-facts.js';
import type { World } from './world.js';

/** The taint of a node whose kubelet stopped reporting. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** How long a deleted pod's containers take to exit: its grace period, but no app here needs more than this. */
export const SHUTDOWN_CAP_MS = 5_000;

/**
 * The kubelet and the API server's part of a pod's life: creation, start-up after binding (image pull once per
 * node and workload, then container start), Ready, and graceful deletion that frees the node after shutdown.
 */
export class PodLifecycle {
  private readonly random: Random;
  private readonly workloads: ReadonlyMap<string, WorkloadSpec>;
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
    clock.setTimer(readyAt - clock.now(), () => {
      // A node whose kubelet stopped (harness/chaos/sim/node-outage.ts) reports no pod Ready.
      if (pod.phase === 'bound' && pod.node === node && !node.taints.some((t) => t.key === UNREACHABLE_TAINT)) this.markReady(pod);
    });
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
