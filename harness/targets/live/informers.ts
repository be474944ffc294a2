import {
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  PolicyV1Api,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
  type V1Node,
  type V1Pod,
  type V1PodDisruptionBudget,
} from '@kubernetes/client-node';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import { KARPENTER_API } from './karpenter-crds.js';

/** A NodeClaim as the informer delivers it: only what the controller reads. */
export interface NodeClaimObject extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: { nodeName?: string; providerID?: string; conditions?: Array<{ type: string; status: string }> };
}

export interface Handlers<T> {
  /** An add or update (`gone` false) or a delete (`gone` true). */
  (obj: T, gone: boolean): void;
}

export interface ControllerInformers {
  pods: ObjectCache<V1Pod>;
  nodes: ObjectCache<V1Node>;
  /** The live namespace's PodDisruptionBudgets, with the disruption controller's status (healthy and expected pods). */
  pdbs: ObjectCache<V1PodDisruptionBudget>;
  /** Absent when the arm has no NodeClaims (Cluster Autoscaler). */
  claims?: ObjectCache<NodeClaimObject>;
  /** Errors the watches hit and recovered from. */
  errors: string[];
  stop(): Promise<void>;
}

export interface InformerOptions {
  namespace: string;
  watchClaims: boolean;
  clock: Clock;
  onPod: Handlers<V1Pod>;
  onNode: Handlers<V1Node>;
  onClaim?: Handlers<NodeClaimObject>;
}

/** After a watch error, how long (scenario time, so a sped-up run recovers as fast in its own terms) before resuming. */
const RESTART_MS = 500;

/**
 * The controller's own informers: pods and PodDisruptionBudgets of the live namespace, nodes, and (for a Karpenter
 * arm) NodeClaims. Resolves
 * once each has listed what exists and is watching, so nothing created afterwards is missed. A watch that fails is
 * restarted from its last resource version.
 */
export async function startInformers(kc: KubeConfig, o: InformerOptions): Promise<ControllerInformers> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const errors: string[] = [];
  let stopped = false;
  const wire = <T extends KubernetesObject>(informer: Informer<T>, handle: Handlers<T>, what: string): void => {
    informer.on('add', (obj) => handle(obj, false));
    informer.on('update', (obj) => handle(obj, false));
    informer.on('delete', (obj) => handle(obj, true));
    informer.on('error', (err: unknown) => {
      if (stopped) return;
      errors.push(`${what} watch: ${err instanceof Error ? err.message : String(err)}`);
      o.clock.setTimer(RESTART_MS, () => void (stopped ? undefined : informer.start().catch(() => undefined)));
    });
  };
  const pods = makeInformer<V1Pod>(kc, `/api/v1/namespaces/${o.namespace}/pods`, () => core.listNamespacedPod({ namespace: o.namespace }));
  const nodes = makeInformer<V1Node>(kc, '/api/v1/nodes', () => core.listNode());
  const policy = kc.makeApiClient(PolicyV1Api);
  const pdbs = makeInformer<V1PodDisruptionBudget>(kc, `/apis/policy/v1/namespaces/${o.namespace}/poddisruptionbudgets`, () => policy.listNamespacedPodDisruptionBudget({ namespace: o.namespace }));
  wire(pods, o.onPod, 'pod');
  wire(nodes, o.onNode, 'node');
  wire(pdbs, () => undefined, 'poddisruptionbudget');
  const started: Array<Informer<KubernetesObject>> = [nodes, pods, pdbs];
  let claims: (Informer<NodeClaimObject> & ObjectCache<NodeClaimObject>) | undefined;
  if (o.watchClaims) {
    const { group, version } = KARPENTER_API;
    claims = makeInformer<NodeClaimObject>(
      kc,
      `/apis/${group}/${version}/nodeclaims`,
      () => custom.listClusterCustomObject({ group, version, plural: 'nodeclaims' }) as Promise<KubernetesListObject<NodeClaimObject>>,
    );
    wire(claims, o.onClaim ?? (() => undefined), 'nodeclaim');
    started.push(claims);
  }
  // Nodes first: a pod bound to a node is then placed at once rather than parked until its node arrives.
  for (const informer of started) await informer.start();
  return {
    pods,
    nodes,
    pdbs,
    ...(claims ? { claims } : {}),
    errors,
    async stop() {
      stopped = true;
      await Promise.all(started.map((i) => i.stop()));
    },
  };
}
