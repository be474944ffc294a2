import type { ValidationIssue } from '../../harness/runner/errors.js';
import type { AutoscalerSpec, BundledAutoscalerSpec } from './scenario-schema.js';
import type { Scenario } from './scenario.js';

/** Where a run happens: burstlab's own simulation, a live kwok control plane on this machine, or an EKS cluster. */
export type RunTarget = 'sim' | 'kwok' | 'eks';

/** Arm kinds that need a live control plane: they run a real controller, which the sim cannot host. */
const LIVE_ONLY: ReadonlySet<AutoscalerSpec['kind']> = new Set(['karpenter-upstream']);

export const LIVE_ONLY_HINT = "run it with --target kwok, or use kind: karpenter (burstlab's model of Karpenter) on the sim";

/** The scenario's arms that cannot run on `target`, each with its path. */
export function targetIssues(s: Pick<Scenario, 'autoscalers'>, target: RunTarget): ValidationIssue[] {
  if (target === 'eks') {
    return s.autoscalers.flatMap((a, i) =>
      a.kind === 'karpenter-upstream'
        ? [{ path: `autoscalers[${i}].kind`, message: `karpenter-upstream (arm '${a.name}') runs the real Karpenter with its kwok provider, which launches kwok nodes; it cannot run on target eks` }]
        : [],
    );
  }
  if (target !== 'sim') return [];
  return s.autoscalers.flatMap((a, i) =>
    LIVE_ONLY.has(a.kind)
      ? [{ path: `autoscalers[${i}].kind`, message: `${a.kind} (arm '${a.name}') runs the real Karpenter as a process and needs target kwok; it cannot run on target sim` }]
      : [],
  );
}

/** True for the arms burstlab runs itself; the others (karpenter-upstream) never reach the sim's wiring. */
export function isBundled(a: AutoscalerSpec): a is BundledAutoscalerSpec {
  return !LIVE_ONLY.has(a.kind);
}
