import type { V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import type { PodAffinityTerm, PodSpec, TopologyKey, TopologySpread } from '../../../provisioner/api/pod.js';
import { resources } from '../../../provisioner/api/resources.js';
import type { TaintEffect, Toleration } from '../../../provisioner/api/taints.js';
import { Requirements, type Operator, type Requirement } from '../../../provisioner/scheduling/requirements.js';
import type { WorkloadSpec } from '../../../scenarios/schema/scenario-schema.js';
import { podRequests } from '../../recorder/live-pods.js';
import { inverseAntiAffinityOf, selectedWorkloads as scenarioSelected } from '../../sim/pod-selection.js';
import { KWOK_TAINT } from '../kwok-nodes.js';
import { WORKLOAD_LABEL } from './seams.js';

const TOPOLOGY_KEYS: ReadonlySet<string> = new Set<TopologyKey>(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
const OPERATORS: ReadonlySet<string> = new Set<Operator>(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const SELECTOR_OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
const EFFECTS: ReadonlySet<string> = new Set<TaintEffect>(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

/**
 * kwok's plumbing on a pod (the `type: kwok` node selector and the toleration of kwok's taint) says where a fake
 * pod may run on a mixed cluster; it is not the workload's constraint, and a NodePool would never offer `type`.
 */
function isKwokPlumbing(key: string, value: string | undefined): boolean {
  return (key === 'type' && value === 'kwok') || key === KWOK_TAINT.key;
}

/**
 * Builds the provisioner's PodSpec from a live pod's own spec: requests as the scheduler counts them, priority,
 * node selector and required node affinity, tolerations, zone and hostname spread, pod affinity and anti-affinity,
 * and the do-not-disrupt annotation. Only what the pod carries counts, as for the real Karpenter: a scenario's timed
 * do-not-disrupt has no object form, and the live run warns that it does not apply. A term's labelSelector is
 * resolved to the scenario's workloads whose pod labels it matches, and other workloads' anti-affinity terms that
 * select this pod's workload keep it out of their domains (the inverse kube-scheduler and Karpenter apply). Pods with
 * the same spec share one PodSpec object, as the sim's pods of one workload do, so the solver decides once per spec.
 */
export class LivePodSpecs {
  private readonly byKey = new Map<string, PodSpec>();

  /**
   * `workloads` are the scenario's, whose pod labels selectors are resolved against; `unmodelled` hears, once per
   * spec, what of a pod the provisioner cannot model (for the controller's log).
   */
  constructor(
    private readonly workloads: readonly WorkloadSpec[] = [],
    private readonly unmodelled: (workload: string, what: readonly string[]) => void = () => undefined,
  ) {}

  of(pod: V1Pod): PodSpec {
    const workload = pod.metadata?.labels?.[WORKLOAD_LABEL] ?? pod.metadata?.name ?? '';
    const r = podRequests(pod);
    const unmodelled: string[] = [];
    const spec = pod.spec;
    const selector: Requirement[] = Object.entries(spec?.nodeSelector ?? {})
      .filter(([k, v]) => !isKwokPlumbing(k, v))
      .map(([key, value]) => ({ key, operator: 'In', values: [value] }));
    const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    if (terms.length > 1) unmodelled.push(`node affinity with ${terms.length} ORed terms: only the first is used`);
    const nodeAffinity: Requirement[] = [];
    for (const e of terms[0]?.matchExpressions ?? []) {
      if (OPERATORS.has(e.operator)) nodeAffinity.push({ key: e.key, operator: e.operator as Operator, ...(e.values?.length ? { values: [...e.values] } : {}) });
      else unmodelled.push(`node affinity operator ${e.operator}`);
    }
    const tolerations: Toleration[] = (spec?.tolerations ?? [])
      .filter((t) => !t.key || !isKwokPlumbing(t.key, t.value))
      .map((t) => ({
        ...(t.key ? { key: t.key } : {}),
        operator: t.operator === 'Exists' ? 'Exists' : 'Equal',
        ...(t.value ? { value: t.value } : {}),
        ...(t.effect && EFFECTS.has(t.effect) ? { effect: t.effect as TaintEffect } : {}),
      }));
    const topologySpread: TopologySpread[] = [];
    for (const c of spec?.topologySpreadConstraints ?? []) {
      if (!TOPOLOGY_KEYS.has(c.topologyKey)) unmodelled.push(`topology spread on ${c.topologyKey}`);
      else {
        const whenUnsatisfiable = c.whenUnsatisfiable === 'DoNotSchedule' ? 'DoNotSchedule' : 'ScheduleAnyway';
        topologySpread.push({ topologyKey: c.topologyKey as TopologyKey, maxSkew: c.maxSkew, whenUnsatisfiable, selects: this.selected(c.labelSelector, workload, unmodelled) });
      }
    }
    const affinity: PodAffinityTerm[] = [];
    for (const term of spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (TOPOLOGY_KEYS.has(term.topologyKey)) affinity.push({ topologyKey: term.topologyKey as TopologyKey, selects: this.selected(term.labelSelector, workload, unmodelled) });
      else unmodelled.push(`pod affinity on ${term.topologyKey}`);
    }
    const antiAffinity: PodAffinityTerm[] = [];
    for (const term of spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (TOPOLOGY_KEYS.has(term.topologyKey)) antiAffinity.push({ topologyKey: term.topologyKey as TopologyKey, selects: this.selected(term.labelSelector, workload, unmodelled) });
      else unmodelled.push(`pod anti-affinity on ${term.topologyKey}`);
    }
    for (const term of inverseAntiAffinityOf(workload, this.workloads)) antiAffinity.push(term);
    const fields = {
      workload,
      requests: resources({ cpu: r.cpuMilli, memory: r.memoryMiB, gpu: r.gpu, pods: 1 }),
      priority: spec?.priority ?? 0,
      selector,
      nodeAffinity,
      affinity,
      tolerations,
      topologySpread,
      antiAffinity,
      doNotDisrupt: pod.metadata?.annotations?.[DO_NOT_DISRUPT] === 'true',
    };
    const key = JSON.stringify(fields);
    let out = this.byKey.get(key);
    if (!out) {
      const { selector: s, nodeAffinity: a, ...rest } = fields;
      out = { ...rest, nodeRequirements: Requirements.of(s).intersect(Requirements.of(a)) };
      this.byKey.set(key, out);
      if (unmodelled.length > 0) this.unmodelled(workload, unmodelled);
    }
    return out;
  }

  /**
   * The workloads a live constraint's labelSelector counts: the scenario's workloads whose pods it matches. A
   * selector on the workload label alone needs no scenario (a pod of a workload the scenario lacks); any other one,
   * without the scenario's workloads to match, is read as the pod's own workload and reported as not modelled.
   */
  private selected(selector: V1LabelSelector | undefined, workload: string, unmodelled: string[]): string[] {
    if (!selector) return [workload];
    const labels = Object.entries(selector.matchLabels ?? {});
    const expressions = selector.matchExpressions ?? [];
    const self = this.workloads.find((w) => w.name === workload);
    if (self && expressions.every((e) => SELECTOR_OPERATORS.has(e.operator))) {
      const spec = {
        matchLabels: selector.matchLabels ?? {},
        matchExpressions: expressions.map((e) => ({ key: e.key, operator: e.operator as 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', ...(e.values ? { values: e.values } : {}) })),
      };
      return scenarioSelected(spec, self, this.workloads);
    }
    if (labels.length === 1 && labels[0]![0] === WORKLOAD_LABEL && expressions.length === 0) return [labels[0]![1]];
    unmodelled.push(`a labelSelector on other labels than ${WORKLOAD_LABEL} on a pod outside the scenario: counted as the pod's own workload`);
    return [workload];
  }
}
