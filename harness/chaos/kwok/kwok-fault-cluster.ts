import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { CapacityType } from '../../../provisioner/runtime/events.js';
import type { ClusterWatch } from '../../targets/cluster-watch.js';
import type { KubeClient } from '../../targets/kube-client.js';
import { codeOf } from '../../targets/live/api-errors.js';
import type { LiveFaultCluster, LiveFaultNode } from './live-chaos.js';

/** kwok's node-not-ready stage (kind/kwok/stages/node-not-ready.yaml) fails a node carrying this label. */
export const NOT_READY_LABEL = 'node-not-ready.stage.kwok.x-k8s.io';
const NOT_READY_DELAY = 'node-not-ready.stage.kwok.x-k8s.io/delay';
const INIT_DELAY = 'node-initialize.stage.kwok.x-k8s.io/delay';

/**
 * A kwok cluster as faults act on it. A NotReady node is kwok's node-not-ready stage (its kubelet posts Ready=False
 * at once); from there everything is the real control plane's: the node lifecycle controller taints it
 * (node.kubernetes.io/not-ready, NoSchedule and NoExecute), marks its pods not Ready, and evicts them once their
 * toleration of the taint runs out (the API server's default toleration, set from the fault's evictionTimeout). Taking
 * the label away lets kwok's node-initialize stage report it Ready again at once. A reclaimed instance's pods die with
 * it (deleted without grace, as the pod GC does to pods of a vanished node, minus its quarantine) and its Node goes.
 */
export class KwokFaultCluster implements LiveFaultCluster {
  constructor(
    private readonly client: KubeClient,
    private readonly watch: Pick<ClusterWatch, 'nodes' | 'pods'>,
    private readonly namespace: string,
  ) {}

  nodes(): LiveFaultNode[] {
    const pods = new Map<string, string[]>();
    for (const p of this.watch.pods.list(this.namespace)) {
      const node = p.spec?.nodeName;
      if (!node || p.metadata?.deletionTimestamp !== undefined) continue;
      const list = pods.get(node) ?? [];
      list.push(`${p.metadata?.namespace}/${p.metadata?.name}`);
      pods.set(node, list);
    }
    return this.watch.nodes
      .list()
      .filter((n) => n.metadata?.deletionTimestamp === undefined)
      .map((n) => faultNode(n, (pods.get(n.metadata?.name ?? '') ?? []).sort()));
  }

  async setNotReady(node: string, on: boolean): Promise<void> {
    // The stages' own delays go: the kubelet stops (or reports again) when the fault says, not a boot time later.
    const labels: Record<string, string | null> = { [NOT_READY_LABEL]: on ? 'true' : null };
    const annotations: Record<string, string> = { [on ? NOT_READY_DELAY : INIT_DELAY]: '0s' };
    await this.client.mergePatch({ apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels, annotations } } as KubernetesObject);
  }

  async reclaim(nodes: readonly string[]): Promise<void> {
    // Cordoned, then gone, before their pods: the scheduler places nothing more on a dead node (a bind racing the
    // Node's deletion would land a replacement there), and every Node of a wave goes before any of its pods do.
    await Promise.all(nodes.map((name) => ignoreGone(this.client.mergePatch({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { unschedulable: true } } as KubernetesObject))));
    await Promise.all(nodes.map((name) => ignoreGone(this.client.core.deleteNode({ name }))));
    const dead = new Set(nodes);
    const pods = this.watch.pods.list(this.namespace).filter((p) => dead.has(p.spec?.nodeName ?? ''));
    await Promise.all(pods.map((p) => ignoreGone(this.client.core.deleteNamespacedPod({ name: p.metadata!.name!, namespace: this.namespace, gracePeriodSeconds: 0 }))));
  }
}

function faultNode(n: V1Node, pods: string[]): LiveFaultNode {
  const labels = n.metadata?.labels ?? {};
  const group = labels[LABEL.nodegroup];
  const ct = labels[LABEL.capacityType];
  return {
    name: n.metadata?.name ?? '',
    zone: labels[LABEL.zone] ?? '',
    capacityType: (ct === 'spot' || ct === 'reserved' ? ct : 'on-demand') satisfies CapacityType,
    instanceType: labels[LABEL.instanceType] ?? '',
    owner: group ?? labels[LABEL.nodepool] ?? '',
    ownerKind: group !== undefined ? 'nodegroup' : 'nodepool',
    labels,
    pods,
    cordoned: n.spec?.unschedulable === true,
  };
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (codeOf(err) !== 404) throw err;
  }
}
