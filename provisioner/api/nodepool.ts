import type { DisruptionBudget } from '../disruption/budget.js';
import { Requirements, type Requirement } from '../scheduling/requirements.js';
import { LABEL } from './labels.js';
import type { Taint } from './taints.js';

/** A karpenter.sh/v1 NodePool, reduced to what provisioning and disruption read. */
export interface NodePool {
  name: string;
  weight: number;
  requirements: Requirements;
  labels: Record<string, string>;
  taints: Taint[];
  limits: { cpu?: number | undefined; memory?: number | undefined };
  consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized' | 'Balanced';
  /** ms, or null for Never. */
  consolidateAfterMs: number | null;
  expireAfterMs: number | null;
  /** How long a node of this pool may drain before blocking pods are deleted; null waits for ever. */
  terminationGracePeriodMs: number | null;
  /** spec.disruption.budgets; absent: upstream's default, `nodes: 10%`. */
  budgets?: readonly DisruptionBudget[];
  /** The template's `karpenter.sh/do-not-disrupt: "true"` annotation: its nodes are never disrupted gracefully. */
  doNotDisrupt?: boolean;
}

/**
 * Karpenter fills in requirements a NodePool leaves out: on-demand capacity and amd64 unless the pool says
 * otherwise, Linux always. Spot is used only where a pool allows it, as upstream.
 */
export function withDefaultRequirements(list: readonly Requirement[], labels: Readonly<Record<string, string>> = {}): Requirements {
  const keys = new Set(list.map((r) => r.key));
  const defaults: Requirement[] = [];
  if (!keys.has(LABEL.capacityType)) defaults.push({ key: LABEL.capacityType, operator: 'In', values: ['on-demand'] });
  if (!keys.has(LABEL.arch)) defaults.push({ key: LABEL.arch, operator: 'In', values: ['amd64'] });
  if (!keys.has(LABEL.os)) defaults.push({ key: LABEL.os, operator: 'In', values: ['linux'] });
  return Requirements.of([...list, ...defaults]).intersect(Requirements.fromLabels(labels));
}
