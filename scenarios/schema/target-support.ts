import type { ValidationIssue } from '../../harness/runner/errors.js';
import type { AutoscalerSpec, BundledAutoscalerSpec } from './scenario-schema.js';
import type { Scenario } from './scenario.js';

/**
 * Where a run happens: burstlab's own simulation, a live kwok control plane on this machine, a kind cluster of real
 * kubelets on this machine, a user's cluster, or an EKS game day.
 */
export type RunTarget = 'sim' | 'kwok' | 'kind' | 'cluster' | 'eks';

/** Arm kinds that need a live control plane: they run a real controller, which the sim cannot host. */
const LIVE_ONLY: ReadonlySet<AutoscalerSpec['kind']> = new Set(['karpenter-upstream', 'external']);

export const LIVE_ONLY_HINT = "run it with --target kwok, or use kind: karpenter (burstlab's model of Karpenter) on the sim";

export const EXTERNAL_HINT = 'a kind: external arm measures the autoscaler a cluster already runs: burstlab run --target cluster --kubeconfig <file>';

/** The scenario's arms that cannot run on `target`, each with its path. */
export function targetIssues(s: Pick<Scenario, 'autoscalers'>, target: RunTarget): ValidationIssue[] {
  return s.autoscalers.flatMap((a, i): ValidationIssue[] => {
    const path = `autoscalers[${i}].kind`;
    if (a.kind === 'external' && target !== 'cluster' && target !== 'eks') {
      return [{ path, message: `external (arm '${a.name}') measures the autoscaler of a cluster burstlab does not own; it cannot run on target ${target}` }];
    }
    if (target === 'kind' && a.kind === 'karpenter-upstream') {
      return [{ path, message: `karpenter-upstream (arm '${a.name}') runs the real Karpenter with its kwok provider, which launches kwok nodes, not kind nodes; it cannot run on target kind` }];
    }
    if (target === 'eks' && a.kind === 'karpenter-upstream') {
      return [{ path, message: `karpenter-upstream (arm '${a.name}') runs the real Karpenter with its kwok provider, which launches kwok nodes; it cannot run on target eks` }];
    }
    if (target === 'sim' && LIVE_ONLY.has(a.kind)) {
      return [{ path, message: `${a.kind} (arm '${a.name}') runs the real Karpenter as a process and needs target kwok; it cannot run on target sim` }];
    }
    return [];
  });
}

/** True for the arms burstlab runs itself; the others (karpenter-upstream, external) never reach the sim's wiring. */
export function isBundled(a: AutoscalerSpec): a is BundledAutoscalerSpec {
  return !LIVE_ONLY.has(a.kind);
}
