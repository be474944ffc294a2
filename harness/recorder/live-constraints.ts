import type { V1LabelSelector, V1Pod, V1Taint } from '@kubernetes/client-node';
import type { LoggedRequirement, LoggedTaint, LoggedToleration, LoggedTopologyKey, PodCreated } from '../../provisioner/runtime/events.js';

type PodConstraints = Pick<PodCreated, 'nodeSelector' | 'nodeAffinity' | 'tolerations' | 'topologySpread' | 'podAntiAffinity' | 'unrecorded'>;

const TOPOLOGY_KEYS: ReadonlySet<string> = new Set<LoggedTopologyKey>(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/**
 * A live pod's hard scheduling constraints as pod.created logs them (events.ts). The log counts spread and
 * anti-affinity over pods of the same workload, so a term is logged when its label selector selects the pod itself
 * (a Deployment's own selector); any other term, and what the log has no words for (matchFields, pod affinity,
 * namespace selectors), is named in `unrecorded` rather than dropped.
 */
export function podConstraints(pod: V1Pod): PodConstraints {
  const out: PodConstraints = {};
  const unrecorded: string[] = [];
  const spec = pod.spec;
  const ownLabels = pod.metadata?.labels ?? {};

  if (spec?.nodeSelector && Object.keys(spec.nodeSelector).length > 0) out.nodeSelector = { ...spec.nodeSelector };

  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const affinity: LoggedRequirement[][] = [];
  terms.forEach((term, i) => {
    if ((term.matchFields ?? []).length > 0) unrecorded.push(`nodeAffinity term ${i}: matchFields`);
    const reqs: LoggedRequirement[] = [];
    for (const e of term.matchExpressions ?? []) {
      if (!OPERATORS.has(e.operator)) unrecorded.push(`nodeAffinity term ${i}: operator ${e.operator}`);
      else reqs.push({ key: e.key, operator: e.operator as LoggedRequirement['operator'], ...(e.values?.length ? { values: [...e.values] } : {}) });
    }
    affinity.push(reqs);
  });
  if (affinity.length > 0) out.nodeAffinity = affinity;

  // The tolerations admission adds to every pod (not-ready, unreachable) are for taints the log leaves out.
  const tolerations: LoggedToleration[] = (spec?.tolerations ?? []).filter((t) => !t.key || !transientKey(t.key)).map((t) => ({
    ...(t.key ? { key: t.key } : {}),
    operator: t.operator === 'Exists' ? 'Exists' : 'Equal',
    ...(t.value ? { value: t.value } : {}),
    ...(t.effect && EFFECTS.has(t.effect) ? { effect: t.effect as LoggedTaint['effect'] } : {}),
  }));
  if (tolerations.length > 0) out.tolerations = tolerations;

  const spread: NonNullable<PodConstraints['topologySpread']> = [];
  for (const c of spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
    if (!TOPOLOGY_KEYS.has(c.topologyKey)) unrecorded.push(`topologySpread on ${c.topologyKey}: only zone and hostname are logged`);
    else if (!selectsItself(c.labelSelector, ownLabels) || (c.matchLabelKeys ?? []).length > 0) unrecorded.push(`topologySpread on ${c.topologyKey}: its selector is not the pod's own`);
    else spread.push({ topologyKey: c.topologyKey as LoggedTopologyKey, maxSkew: c.maxSkew });
  }
  if (spread.length > 0) out.topologySpread = spread;

  const anti: LoggedTopologyKey[] = [];
  for (const term of spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!TOPOLOGY_KEYS.has(term.topologyKey)) unrecorded.push(`podAntiAffinity on ${term.topologyKey}: only zone and hostname are logged`);
    else if (!selectsItself(term.labelSelector, ownLabels) || term.namespaceSelector || (term.namespaces ?? []).length > 0) unrecorded.push(`podAntiAffinity on ${term.topologyKey}: its selector is not the pod's own`);
    else anti.push(term.topologyKey as LoggedTopologyKey);
  }
  if (anti.length > 0) out.podAntiAffinity = anti;
  if ((spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0) unrecorded.push('podAffinity (required)');

  if (unrecorded.length > 0) out.unrecorded = unrecorded;
  return out;
}

/** A selector made of matchLabels only, all of them the pod's own labels. */
function selectsItself(selector: V1LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || (selector.matchExpressions ?? []).length > 0) return false;
  const match = Object.entries(selector.matchLabels ?? {});
  return match.length > 0 && match.every(([k, v]) => labels[k] === v);
}

/** Taint keys Kubernetes and Karpenter add and remove on their own (conditions, cordons, registration, disruption). */
function transientKey(key: string): boolean {
  return key.startsWith('node.kubernetes.io/') || key === 'karpenter.sh/unregistered' || key === 'karpenter.sh/disrupted' || key === 'karpenter.sh/disruption' || key === 'node.cloudprovider.kubernetes.io/uninitialized';
}

/** A live node's lasting taints as node.launched logs them. */
export function nodeTaints(taints: readonly V1Taint[] | undefined): LoggedTaint[] {
  const out: LoggedTaint[] = [];
  for (const t of taints ?? []) {
    if (transientKey(t.key) || !EFFECTS.has(t.effect)) continue;
    out.push({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect as LoggedTaint['effect'] });
  }
  return out;
}
