import type { V1Node } from '@kubernetes/client-node';
import type { CapacityType } from '../../provisioner/runtime/events.js';
import { nodeTaints } from './live-constraints.js';
import { cpuMilli, memoryMiB, parseQuantity } from './live-quantity.js';
import type { Timed } from './live-pods.js';
import { apiWindow, eventTime, type ApiTime } from './live-time.js';

export interface NodeSeen {
  launched: boolean;
  registered: boolean;
  ready: boolean;
  /** Cordoned now; a node uncordoned and cordoned again is recorded again. */
  cordoned: boolean;
  terminated: boolean;
}

/** Annotations a node's creator sets so the log can say what the node costs and when it was asked for. */
export const PRICE_ANNOTATION = 'burstlab.io/price-per-hour';
export const INITIAL_ANNOTATION = 'burstlab.io/initial';
/** When the launch was requested (RFC 3339 with milliseconds): set by a provisioner that models boot time. */
export const LAUNCHED_AT_ANNOTATION = 'burstlab.io/launched-at';
/**
 * The price label Karpenter's kwok provider puts on its nodes (for eks-node-viewer), the offering's price per hour:
 * how an upstream Karpenter node, which burstlab does not create, says what it costs.
 */
export const NODE_VIEWER_PRICE_LABEL = 'eks-node-viewer/instance-price';

/**
 * The events one observation of a node adds. node.launched is the launch request: the creator's launched-at
 * annotation when it has one (millisecond precision), else the Node object's creation, which is also
 * node.registered (the node joined the API). It carries the Node's capacity, allocatable, labels and lasting
 * taints as the first observation shows them. node.ready is the Ready condition's transition. A node is
 * `initial` when its creator says so or it existed before recording started (`initial`).
 */
export function nodeEvents(node: V1Node, seen: NodeSeen, watchMs: number, epochMs: number, gone = false, initial = false, speed = 1): Timed[] {
  const out: Timed[] = [];
  const name = node.metadata?.name ?? '';
  const labels = node.metadata?.labels ?? {};
  const annotations = node.metadata?.annotations ?? {};
  const at = (stamp: ApiTime): number => eventTime(watchMs, apiWindow(stamp, epochMs, speed));
  const created = at(node.metadata?.creationTimestamp);

  if (!seen.launched) {
    seen.launched = true;
    const launchedAt = apiWindow(annotations[LAUNCHED_AT_ANNOTATION], epochMs, speed)?.from;
    const capacity = node.status?.capacity ?? node.status?.allocatable ?? {};
    const allocatable = node.status?.allocatable ?? capacity;
    const taints = nodeTaints(node.spec?.taints);
    out.push({
      t: launchedAt === undefined ? created : Math.round(Math.min(launchedAt, created)),
      body: {
        type: 'node.launched',
        node: name,
        instanceType: labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'] ?? 'unknown',
        zone: labels['topology.kubernetes.io/zone'] ?? 'unknown',
        capacityType: capacityType(labels),
        pricePerHour: Number(annotations[PRICE_ANNOTATION] ?? labels[NODE_VIEWER_PRICE_LABEL] ?? 0) || 0,
        cpuMilli: cpuMilli(capacity.cpu),
        memoryMiB: memoryMiB(capacity.memory),
        allocatableCpuMilli: cpuMilli(allocatable.cpu),
        allocatableMemoryMiB: memoryMiB(allocatable.memory),
        allocatablePods: Math.round(parseQuantity(allocatable.pods) ?? 0),
        allocatableGpu: Math.round(parseQuantity(allocatable['nvidia.com/gpu']) ?? 0),
        labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        ...(taints.length > 0 ? { taints } : {}),
        owner: labels['karpenter.sh/nodepool'] ?? labels['eks.amazonaws.com/nodegroup'] ?? 'unknown',
        initial: initial || annotations[INITIAL_ANNOTATION] === 'true',
      },
    });
  }
  if (!seen.registered) {
    seen.registered = true;
    out.push({ t: created, body: { type: 'node.registered', node: name } });
  }
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!seen.ready && ready?.status === 'True') {
    seen.ready = true;
    out.push({ t: at(ready.lastTransitionTime), body: { type: 'node.ready', node: name } });
  }
  const cordoned = node.spec?.unschedulable === true;
  if (cordoned && !seen.cordoned && !gone) {
    const taint = node.spec?.taints?.find((x) => x.key === 'node.kubernetes.io/unschedulable');
    out.push({ t: at(taint?.timeAdded), body: { type: 'node.cordoned', node: name, reason: 'cordoned' } });
  }
  seen.cordoned = cordoned;
  // Like pod.deleted: when the Node is gone from the API (its finalizers, Karpenter's included, have run).
  if (!seen.terminated && gone) {
    seen.terminated = true;
    out.push({ t: eventTime(watchMs, undefined), body: { type: 'node.terminated', node: name, reason: 'deleted' } });
  }
  return out;
}

function capacityType(labels: Record<string, string>): CapacityType {
  const v = labels['karpenter.sh/capacity-type'] ?? labels['eks.amazonaws.com/capacityType']?.toLowerCase().replace('_', '-');
  return v === 'spot' || v === 'reserved' ? v : 'on-demand';
}
