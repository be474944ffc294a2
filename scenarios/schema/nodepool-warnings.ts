import type { NodePoolSpec } from './scenario-schema.js';
import type { ScenarioWarning } from './warnings.js';

/**
 * What a NodePool says that the sim does not do yet. A field warns only when it is set, or when its default would
 * make a real cluster behave differently from the sim.
 * `at` names a field of burstlab's NodePool form where the user wrote it (a manifest path and line, or the scenario's).
 */
export function nodePoolWarnings(pool: NodePoolSpec, at: (field: PropertyKey[]) => string): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  const warn = (field: PropertyKey[], message: string): void => void out.push({ path: at(field), message });
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
  const doNotDisrupt = pool.annotations['karpenter.sh/do-not-disrupt'];
  if (doNotDisrupt !== undefined && doNotDisrupt !== 'true') {
    warn(['annotations', 'karpenter.sh/do-not-disrupt'], `only "true" has an effect upstream; '${doNotDisrupt}' leaves the nodes disruptable`);
  }
  return out;
}
