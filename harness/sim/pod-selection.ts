import type { PodAffinityTerm, TopologySpread } from '../../provisioner/api/pod.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import type { WorkloadSpec } from '../../scenarios/schema/scenario-schema.js';

type LabelSelector = NonNullable<WorkloadSpec['topologySpread'][number]['labelSelector']>;

/** The labels of a workload's pods: its own, and `app: <name>`, which its Deployment selects them by. */
export function podLabelsOf(w: WorkloadSpec): Record<string, string> {
  return { ...w.labels, app: w.name };
}

/** The workloads whose pods a selector matches; left out, the workload's own (the selector its Deployment uses). */
export function selectedWorkloads(selector: LabelSelector | undefined, self: WorkloadSpec, all: readonly WorkloadSpec[]): string[] {
  if (!selector) return [self.name];
  const reqs = Requirements.fromLabels(selector.matchLabels).intersect(Requirements.of(selector.matchExpressions));
  return all.filter((w) => reqs.matches(podLabelsOf(w))).map((w) => w.name);
}

/** Whether a selector matches exactly the workload's own pods: the only kind the event log records for `verify`. */
export function selectsOnlyItself(selects: readonly string[], self: WorkloadSpec): boolean {
  return selects.length === 1 && selects[0] === self.name;
}

/** A workload's spread constraints with the workloads each one counts. */
export function spreadOf(w: WorkloadSpec, all: readonly WorkloadSpec[]): TopologySpread[] {
  return w.topologySpread.map((c) => ({
    topologyKey: c.topologyKey,
    maxSkew: c.maxSkew,
    whenUnsatisfiable: c.whenUnsatisfiable,
    selects: selectedWorkloads(c.labelSelector, w, all),
  }));
}

export function affinityOf(w: WorkloadSpec, all: readonly WorkloadSpec[]): PodAffinityTerm[] {
  return w.podAffinity.map((t) => ({ topologyKey: t.topologyKey, selects: selectedWorkloads(t.labelSelector, w, all) }));
}

/**
 * A workload's anti-affinity terms, and the inverse of every other workload's term that selects its pods: kube-scheduler
 * keeps a pod out of a domain whose pods' anti-affinity would match it, as Karpenter's topology does (inverse groups).
 */
export function antiAffinityOf(w: WorkloadSpec, all: readonly WorkloadSpec[]): PodAffinityTerm[] {
  const own = w.podAntiAffinity.map((t) => ({ topologyKey: t.topologyKey, selects: selectedWorkloads(t.labelSelector, w, all) }));
  return [...own, ...inverseAntiAffinityOf(w.name, all)];
}

/** The inverse of every other workload's anti-affinity term that selects the named workload's pods. */
export function inverseAntiAffinityOf(workload: string, all: readonly WorkloadSpec[]): PodAffinityTerm[] {
  const inverse: PodAffinityTerm[] = [];
  for (const other of all) {
    if (other.name === workload) continue;
    for (const t of other.podAntiAffinity) {
      if (selectedWorkloads(t.labelSelector, other, all).includes(workload)) inverse.push({ topologyKey: t.topologyKey, selects: [other.name] });
    }
  }
  return inverse;
}
