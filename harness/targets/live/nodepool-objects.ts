import type { KubernetesObject } from '@kubernetes/client-node';
import { convertManifests } from '../../../scenarios/schema/karpenter-manifest.js';
import { nodePoolSchema, type NodePoolSpec } from '../../../scenarios/schema/scenario-schema.js';
import { RunError } from '../../runner/errors.js';
import type { KubeClient } from '../kube-client.js';
import { KARPENTER_API } from './karpenter-crds.js';

/** The node class a NodePool names when the scenario gives none: the AWS provider's usual `default` EC2NodeClass. */
export const DEFAULT_NODE_CLASS = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } as const;

export interface NodePoolObject {
  object: KubernetesObject;
  /** What the API's duration formats cannot say exactly and was rounded (numbers never silently change). */
  warnings: string[];
}

/**
 * A scenario NodePool as the karpenter.sh/v1 object a user would apply: every field burstlab's form carries goes to
 * its place in the manifest (karpenter-manifest.ts maps the other way). Durations the API cannot say (below a
 * second; budget windows below a minute) are rounded up, with a warning.
 */
export function nodePoolObject(spec: NodePoolSpec): NodePoolObject {
  const warnings: string[] = [];
  const goDuration = (ms: number, field: string): string => {
    const s = Math.ceil(ms / 1000);
    if (s * 1000 !== ms) warnings.push(`NodePool ${spec.name} ${field}: ${ms} ms rounded up to ${s}s (the API takes whole seconds)`);
    return `${s}s`;
  };
  const windowDuration = (ms: number, field: string): string => {
    const minutes = Math.ceil(ms / 60_000);
    if (minutes * 60_000 !== ms) warnings.push(`NodePool ${spec.name} ${field}: ${ms} ms rounded up to ${minutes}m (budget windows are hours and minutes)`);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return h > 0 && m > 0 ? `${h}h${m}m` : h > 0 ? `${h}h` : `${m}m`;
  };
  const nillable = (v: number | 'Never', field: string): string => (v === 'Never' ? 'Never' : goDuration(v, field));
  const d = spec.disruption;
  const limits: Record<string, string> = { ...spec.otherLimits };
  if (spec.limits.cpu !== undefined) limits.cpu = `${spec.limits.cpu}m`;
  if (spec.limits.memory !== undefined) limits.memory = `${spec.limits.memory}Mi`;
  const object = {
    apiVersion: `${KARPENTER_API.group}/${KARPENTER_API.version}`,
    kind: 'NodePool',
    metadata: { name: spec.name },
    spec: {
      template: {
        metadata: { labels: spec.labels, annotations: spec.annotations },
        spec: {
          nodeClassRef: spec.nodeClassRef ?? DEFAULT_NODE_CLASS,
          requirements: spec.requirements.map((r) => ({ key: r.key, operator: r.operator, ...(r.values ? { values: r.values } : {}), ...(r.minValues !== undefined ? { minValues: r.minValues } : {}) })),
          ...(spec.taints.length > 0 ? { taints: spec.taints } : {}),
          ...(spec.startupTaints.length > 0 ? { startupTaints: spec.startupTaints } : {}),
          expireAfter: nillable(d.expireAfter, 'expireAfter'),
          ...(spec.terminationGracePeriod !== undefined ? { terminationGracePeriod: goDuration(spec.terminationGracePeriod, 'terminationGracePeriod') } : {}),
        },
      },
      disruption: {
        consolidationPolicy: d.consolidationPolicy,
        consolidateAfter: nillable(d.consolidateAfter, 'consolidateAfter'),
        ...(d.budgets
          ? {
              budgets: d.budgets.map((b, i) => ({
                nodes: b.nodes,
                ...(b.reasons ? { reasons: b.reasons } : {}),
                ...(b.schedule !== undefined ? { schedule: b.schedule } : {}),
                ...(b.duration !== undefined ? { duration: windowDuration(b.duration, `budgets[${i}].duration`) } : {}),
              })),
            }
          : {}),
      },
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      // The CRD's weight is 1..100; burstlab's 0 is "no weight", which the API spells by leaving it out.
      ...(spec.weight > 0 ? { weight: spec.weight } : {}),
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
    },
  };
  return { object: object as KubernetesObject, warnings };
}

/**
 * Reads a NodePool back from the API and turns what it stored (the server's defaults included) into burstlab's
 * form, through the same conversion a pasted manifest takes: what the provisioner uses is what the API holds.
 */
export function nodePoolSpecOf(stored: KubernetesObject, zones: readonly string[]): NodePoolSpec {
  const name = stored.metadata?.name ?? '(unnamed)';
  const locate = (path: ReadonlyArray<PropertyKey>): string => `NodePool ${name} ${path.map(String).join('.')}`;
  const set = convertManifests([{ value: stripServerFields(stored), locate }], {}, zones);
  const problem = set.issues[0];
  if (problem || set.pools.length !== 1) {
    throw new RunError(`the API's NodePool ${name} does not convert back: ${problem ? `${problem.path}: ${problem.message}` : 'no NodePool in it'}`, 'this is a bug in burstlab: report it with the NodePool object');
  }
  const parsed = nodePoolSchema.safeParse(set.pools[0]!.pool);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new RunError(`the API's NodePool ${name} does not parse: ${i.path.join('.')}: ${i.message}`, 'this is a bug in burstlab: report it with the NodePool object');
  }
  return parsed.data;
}

/** Applies the NodePools and returns them as the API stored them, in the same order. */
export async function applyNodePools(client: KubeClient, specs: readonly NodePoolSpec[], zones: readonly string[]): Promise<{ pools: NodePoolSpec[]; warnings: string[] }> {
  const warnings: string[] = [];
  const pools: NodePoolSpec[] = [];
  for (const spec of specs) {
    const { object, warnings: w } = nodePoolObject(spec);
    for (const line of w) warnings.push(line);
    await client.apply([object]);
    pools.push(nodePoolSpecOf(await readNodePool(client, spec.name), zones));
  }
  return { pools, warnings };
}

export function readNodePool(client: KubeClient, name: string): Promise<KubernetesObject> {
  return client.objects.read({ apiVersion: `${KARPENTER_API.group}/${KARPENTER_API.version}`, kind: 'NodePool', metadata: { name } });
}

/** The API's bookkeeping is not configuration: the manifest schema is strict about what a NodePool may hold. */
function stripServerFields(o: KubernetesObject): unknown {
  const { status: _status, ...rest } = o as KubernetesObject & { status?: unknown };
  return { ...rest, metadata: { name: o.metadata?.name, ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}) } };
}
