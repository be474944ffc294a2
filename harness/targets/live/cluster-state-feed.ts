import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { Taint } from '../../../provisioner/api/taints.js';
import { resources, type Resources } from '../../../provisioner/api/resources.js';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { CapacityType } from '../../../provisioner/runtime/events.js';
import type { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { nodeTaints } from '../../recorder/live-constraints.js';
import { INITIAL_ANNOTATION, PRICE_ANNOTATION } from '../../recorder/live-nodes.js';
import { podKey } from '../../recorder/live-pods.js';
import { cpuMilli, memoryMiB, parseQuantity } from '../../recorder/live-quantity.js';
import { KWOK_TAINT } from '../kwok-nodes.js';
import type { NodeClaimObject } from './informers.js';
import type { LivePodSpecs } from './live-pod-spec.js';

/** What the node lifecycle controller puts on a node that is not Ready. */
const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

/** What the feed tells the controller about, beyond keeping the state. */
export interface FeedListeners {
  /** A pod the scheduler found no room for (PodScheduled=False, reason Unschedulable), on every such observation. */
  unschedulable(pod: StatePod): void;
  /** A node's Node object appeared (the kubelet registered). */
  registered(node: StateNode): void;
  /** A node turned Ready. */
  ready(node: StateNode): void;
}

/**
 * Keeps a ClusterState equal to what the informers show: the only writer besides the controller's own launches
 * (a node is in the state from its launch request on, as in the sim, so in-flight capacity counts) and cordons.
 *
 * Pods: pending (no node; `unschedulableAt` set from the PodScheduled=False/Unschedulable condition), bound to their
 * node, Ready per the Ready condition, terminating once deletion is asked for (still holding their room, as the
 * kubelet's shutdown does), gone when the API deletes them. DaemonSet pods are left out: the state counts the
 * daemonsets as every node's overhead. Nodes: launching (no Node yet), registered, Ready, and gone with their Node.
 */
export class ClusterStateFeed {
  /** Pods bound to a node the node informer has not delivered yet, by node name. */
  private readonly waiting = new Map<string, Set<StatePod>>();

  constructor(
    private readonly state: ClusterState,
    private readonly clock: Clock,
    private readonly specs: LivePodSpecs,
    private readonly overhead: Resources,
    private readonly listeners: FeedListeners,
  ) {}

  pod(obj: V1Pod, gone: boolean): void {
    if (obj.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) return;
    const name = podKey(obj);
    let pod = this.state.pods.get(name);
    if (gone) {
      if (!pod) return;
      this.unpark(pod);
      this.state.unbind(pod);
      this.state.removePod(pod);
      pod.phase = 'gone';
      return;
    }
    if (!pod) {
      pod = new StatePod(name, this.specs.of(obj), this.clock.now());
      this.state.addPod(pod);
    }
    if (obj.metadata?.deletionTimestamp) {
      if (pod.phase !== 'gone') pod.phase = 'terminating';
      return;
    }
    const nodeName = obj.spec?.nodeName;
    if (!nodeName) {
      pod.phase = 'pending';
      pod.nominatedNode = obj.status?.nominatedNodeName || null;
      const scheduled = obj.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        pod.unschedulableAt ??= this.clock.now();
        this.listeners.unschedulable(pod);
      }
      return;
    }
    if (pod.node?.name !== nodeName) {
      const node = this.state.nodes.get(nodeName);
      if (!node) {
        this.park(pod, nodeName);
        return;
      }
      this.state.unbind(pod);
      this.state.bind(pod, node);
    }
    const ready = obj.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (ready && pod.phase !== 'ready') {
      pod.phase = 'ready';
      pod.readyAt = this.clock.now();
    } else if (!ready && pod.phase === 'ready') {
      pod.phase = 'bound';
    }
  }

  node(obj: V1Node, gone: boolean): void {
    const name = obj.metadata?.name ?? '';
    let node = this.state.nodes.get(name);
    if (gone) {
      if (!node) return;
      node.phase = 'terminated';
      this.state.removeNode(node);
      return;
    }
    if (!node) {
      node = stateNodeOf(obj, this.overhead, this.clock.now());
      this.state.addNode(node);
    }
    if (obj.spec?.unschedulable) node.cordoned = true;
    if (node.phase === 'launching') {
      node.phase = 'registered';
      this.listeners.registered(node);
    }
    const ready = obj.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (ready && node.phase === 'registered') {
      node.phase = 'ready';
      node.readyAt = this.clock.now();
      this.listeners.ready(node);
    }
    // A node whose kubelet stopped reporting is tainted by the node lifecycle controller: nothing new lands there
    // until it is Ready again (the sim's NodeOutages does the same). The taint is the controller's, read from the Node.
    const notReady = node.taints.findIndex((t) => t.key === NOT_READY_TAINT.key);
    if (ready && notReady >= 0) node.taints.splice(notReady, 1);
    else if (!ready && node.phase === 'ready' && notReady < 0 && (obj.spec?.taints ?? []).some((t) => t.key === NOT_READY_TAINT.key)) node.taints.push(NOT_READY_TAINT);
    const parked = this.waiting.get(name);
    if (parked) {
      this.waiting.delete(name);
      for (const pod of parked) if (pod.phase !== 'gone') this.state.bind(pod, node);
    }
  }

  /** A NodeClaim deleted before its Node registered takes its launching node out of the state. */
  claim(obj: NodeClaimObject, gone: boolean): void {
    const node = this.state.nodes.get(obj.metadata?.name ?? '');
    if (gone && node?.phase === 'launching') {
      node.phase = 'terminated';
      this.state.removeNode(node);
    }
  }

  private park(pod: StatePod, nodeName: string): void {
    this.unpark(pod);
    let set = this.waiting.get(nodeName);
    if (!set) this.waiting.set(nodeName, (set = new Set()));
    set.add(pod);
  }

  private unpark(pod: StatePod): void {
    for (const set of this.waiting.values()) set.delete(pod);
  }
}

/**
 * A node the controller did not launch (one that existed before it started, or another creator's), as the state
 * holds it: shape from its labels, room from its status, owner from the NodePool or node group label.
 */
export function stateNodeOf(obj: V1Node, overhead: Resources, now: number): StateNode {
  const labels = obj.metadata?.labels ?? {};
  const annotations = obj.metadata?.annotations ?? {};
  const amount = (list: Record<string, string> | undefined): Resources =>
    resources({ cpu: cpuMilli(list?.cpu), memory: memoryMiB(list?.memory), pods: Math.round(parseQuantity(list?.pods) ?? 0), gpu: Math.round(parseQuantity(list?.['nvidia.com/gpu']) ?? 0) });
  const allocatable = amount(obj.status?.allocatable);
  const capacityType = labels[LABEL.capacityType];
  const nodegroup = labels[LABEL.nodegroup];
  return new StateNode({
    name: obj.metadata?.name ?? '',
    instanceType: labels[LABEL.instanceType] ?? 'unknown',
    zone: labels[LABEL.zone] ?? 'unknown',
    capacityType: (capacityType === 'spot' || capacityType === 'reserved' ? capacityType : 'on-demand') satisfies CapacityType,
    pricePerHour: Number(annotations[PRICE_ANNOTATION] ?? 0) || 0,
    capacity: obj.status?.capacity ? amount(obj.status.capacity) : allocatable,
    allocatable,
    labels: { ...labels },
    taints: nodeTaints(obj.spec?.taints).filter((t) => t.key !== KWOK_TAINT.key),
    owner: nodegroup ?? labels[LABEL.nodepool] ?? 'unknown',
    ownerKind: nodegroup !== undefined ? 'nodegroup' : 'nodepool',
    overhead,
    launchedAt: now,
    initial: annotations[INITIAL_ANNOTATION] === 'true',
  });
}
