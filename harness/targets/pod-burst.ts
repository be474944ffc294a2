import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterWatch } from './cluster-watch.js';
import type { KubeClient } from './kube-client.js';
import { waitUntil } from './wait.js';
import { deployment, type DeploymentSpec } from './workloads.js';

function podsOf(watch: ClusterWatch, spec: Pick<DeploymentSpec, 'name' | 'namespace'>): readonly V1Pod[] {
  return watch.pods.list(spec.namespace).filter((p) => p.metadata?.labels?.app === spec.name);
}

function isReady(p: V1Pod): boolean {
  return p.metadata?.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** Applies the Deployment and waits until `replicas` of its pods are Ready, as the watch sees them. Returns the ms taken. */
export async function scaleUp(client: KubeClient, watch: ClusterWatch, spec: DeploymentSpec, timeoutMs: number): Promise<number> {
  await client.apply([deployment(spec)]);
  return waitUntil(`${spec.replicas} Ready pods of ${spec.namespace}/${spec.name}`, () => podsOf(watch, spec).filter(isReady).length >= spec.replicas, timeoutMs, () => {
    const pods = podsOf(watch, spec);
    return `${pods.filter(isReady).length} Ready of ${pods.length} pods`;
  });
}

/** Scales the Deployment to zero and waits until its pods are gone. Returns the ms taken. */
export async function scaleToZero(client: KubeClient, watch: ClusterWatch, spec: Pick<DeploymentSpec, 'name' | 'namespace'>, timeoutMs: number): Promise<number> {
  await client.scale('Deployment', spec.namespace, spec.name, 0);
  return waitUntil(`pods of ${spec.namespace}/${spec.name} to be gone`, () => podsOf(watch, spec).length === 0, timeoutMs, () => `${podsOf(watch, spec).length} left`);
}
