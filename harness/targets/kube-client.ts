import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
  type V1Node,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { RunError } from '../runner/errors.js';

/** burstlab's field manager for server-side apply, so its fields are told apart from controllers'. */
export const FIELD_MANAGER = 'burstlab';

/** A cluster client for any live target (kwok, kind, EKS): apply manifests, manage nodes, scale workloads. */
export class KubeClient {
  readonly core: CoreV1Api;
  readonly objects: KubernetesObjectApi;

  constructor(readonly kubeconfig: KubeConfig) {
    this.core = kubeconfig.makeApiClient(CoreV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kubeconfig);
  }

  static fromFile(path: string): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new KubeClient(kc);
  }

  /** Server-side applies every object, in order (namespaces before what lives in them). */
  async apply(manifests: string | readonly KubernetesObject[]): Promise<KubernetesObject[]> {
    const objects = typeof manifests === 'string' ? parseManifests(manifests) : manifests;
    const applied: KubernetesObject[] = [];
    for (const obj of objects) {
      applied.push(await this.call(`apply ${describe(obj)}`, () => this.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)));
    }
    return applied;
  }

  /** Sets a Deployment's (or any scalable workload's) replica count. */
  async scale(kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet', namespace: string, name: string, replicas: number): Promise<void> {
    const patch = { apiVersion: 'apps/v1', kind, metadata: { name, namespace }, spec: { replicas } };
    await this.call(`scale ${kind} ${namespace}/${name}`, () => this.objects.patch(patch, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch));
  }

  /** Merge-patches an object: the fields given replace the object's, the others stay. */
  async mergePatch(patch: KubernetesObject): Promise<void> {
    await this.call(`patch ${describe(patch)}`, () => this.objects.patch(patch, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch));
  }

  /** Reads an object by kind and name. */
  async read<T extends KubernetesObject>(apiVersion: string, kind: string, namespace: string, name: string): Promise<T> {
    const ref = { apiVersion, kind, metadata: { name, namespace } };
    return (await this.call(`read ${describe(ref)}`, () => this.objects.read(ref))) as T;
  }

  /** Creates nodes with a bounded number of requests in flight, so a thousand nodes do not trip rate limits. */
  async createNodes(nodes: readonly V1Node[], concurrency = 20): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < nodes.length) {
        const node = nodes[next++]!;
        await this.call(`create node ${node.metadata?.name}`, () => this.core.createNode({ body: node }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, nodes.length) }, worker));
  }

  /** Sets (or, with null, removes) labels on a node: how chaos stages are triggered on kwok. */
  async labelNode(name: string, labels: Record<string, string | null>): Promise<void> {
    const patch = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
    await this.call(`label node ${name}`, () => this.objects.patch(patch as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch));
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const detail = err instanceof ApiException ? `HTTP ${err.code}: ${apiMessage(err.body)}` : err instanceof Error ? err.message : String(err);
      throw new RunError(`${what} failed (${detail})`, 'check the object and that the cluster is up (`burstlab cluster status`)', { cause: err });
    }
  }
}

/** Splits a multi-document YAML text into objects, skipping empty documents. */
export function parseManifests(text: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new RunError(`manifest is not valid YAML: ${doc.errors[0]!.message}`, 'fix the manifest');
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || !('kind' in value) || !('apiVersion' in value)) {
      throw new RunError('a manifest document has no kind or apiVersion', 'every document needs apiVersion, kind and metadata.name');
    }
    out.push(value as KubernetesObject);
  }
  return out;
}

function describe(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata?.name ?? '(unnamed)'}`;
}

function apiMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return (body as { message?: string } | undefined)?.message ?? 'no message';
}
