import type { NodePoolSpec } from './scenario-schema.js';
import type { ScenarioWarning } from './warnings.js';

/** The default budget, the one the emptiness model applies (provisioner/disruption/budget.ts). */
const DEFAULT_BUDGET = '10%';

/**
 * What a NodePool says that the sim does not do yet. A field warns only when it is set, or when its default would
 * make a real cluster behave differently from the sim (consolidation of under-used nodes).
 * `at` names a field of burstlab's NodePool form where the user wrote it (a manifest path and line, or the scenario's).
 */
export function nodePoolWarnings(pool: NodePoolSpec, at: (field: PropertyKey[]) => string): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  const warn = (field: PropertyKey[], message: string): void => void out.push({ path: at(field), message });
  const d = pool.disruption;
  if (d.consolidationPolicy !== 'WhenEmpty' && d.consolidateAfter !== 'Never') {
    warn(['disruption', 'consolidationPolicy'], `${d.consolidationPolicy}: only empty nodes are consolidated in burstlab; replacing or removing under-used nodes is not modelled`);
  }
  if (d.budgets !== undefined && !(d.budgets.length === 1 && d.budgets[0]!.nodes === DEFAULT_BUDGET && !d.budgets[0]!.schedule && !d.budgets[0]!.reasons)) {
    warn(['disruption', 'budgets'], `budgets are not modelled: disruption uses the default, nodes: ${DEFAULT_BUDGET}`);
  }
  if (pool.startupTaints.length > 0) {
    warn(['startupTaints'], 'not modelled: nodes take pods as soon as they are Ready, as if the startup taints were removed at once');
  }
  pool.requirements.forEach((r, i) => {
    if (r.minValues !== undefined) warn(['requirements', i, 'minValues'], `minValues ${r.minValues} is not enforced: a launch may consider fewer distinct values`);
  });
  for (const key of Object.keys(pool.otherLimits)) {
    warn(['otherLimits', key], `a limit on ${key} is not enforced; only cpu and memory limits are`);
  }
  if (pool.replicas !== undefined) {
    warn(['replicas'], 'static NodePools are not modelled: this pool launches nodes for pending pods like a dynamic one (upstream also rejects weight and cpu/memory limits alongside replicas)');
  }
  if (pool.annotations['karpenter.sh/do-not-disrupt'] !== undefined) {
    warn(['annotations', 'karpenter.sh/do-not-disrupt'], "not modelled: empty nodes are still consolidated");
  }
  return out;
}
