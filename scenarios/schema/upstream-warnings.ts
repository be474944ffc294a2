import { DEFAULTS as D } from './defaults.js';
import { parseDuration } from './units.js';
import type { Scenario } from './scenario.js';
import type { ScenarioWarning } from './warnings.js';

/**
 * What a karpenter-upstream arm's scenario says that the real Karpenter cannot be told: its settings are upstream's
 * environment variables and its catalogue is read once at start, so these are parsed but not honoured on that arm.
 */
export function upstreamArmWarnings(s: Scenario): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  s.autoscalers.forEach((a, i) => {
    if (a.kind !== 'karpenter-upstream') return;
    const at = `autoscalers[${i}]`;
    if (a.maxInstanceTypesPerClaim !== undefined && a.maxInstanceTypesPerClaim !== D.karpenter.maxInstanceTypesPerClaim) {
      out.push({ path: `${at}.maxInstanceTypesPerClaim`, message: `upstream Karpenter launches with up to ${D.karpenter.maxInstanceTypesPerClaim} instance types per claim and has no setting for it: ${a.maxInstanceTypesPerClaim} is not applied to arm '${a.name}'` });
    }
    if (a.insufficientCapacityTtl !== undefined && a.insufficientCapacityTtl !== parseDuration(D.karpenter.insufficientCapacityTtl)) {
      out.push({ path: `${at}.insufficientCapacityTtl`, message: `upstream Karpenter caches unavailable offerings for ${D.karpenter.insufficientCapacityTtl} and has no setting for it: not applied to arm '${a.name}'` });
    }
    s.changes.forEach((c, j) => {
      if (c.kind === 'withdraw') {
        out.push({ path: `changes[${j}].withdraw`, message: `upstream Karpenter's kwok provider reads its instance types once at start: arm '${a.name}' keeps offering what this withdraws` });
      }
    });
    if (s.cloud.spotInterruptions) {
      out.push({ path: 'cloud.spotInterruptions', message: `the kwok provider has no interruption queue: arm '${a.name}' sees no Spot reclaims` });
    }
    if (s.cluster.daemonsets.length > 0) {
      out.push({ path: 'cluster.daemonsets', message: `upstream Karpenter plans daemonset overhead from the DaemonSets in the cluster, not from this list: arm '${a.name}' may size nodes differently` });
    }
  });
  return out;
}
