import { selectedWorkloads } from '../../harness/sim/pod-selection.js';
import type { Scenario } from './scenario.js';
import type { ScenarioWarning } from './warnings.js';

/**
 * A labelSelector that matches no workload's pods counts nothing (likely a typo), and a required pod affinity that
 * selects nothing can never be met. The Cluster Autoscaler arm's estimate packs template nodes with no other pods,
 * so a pod affinity to another workload never triggers its scale-up: said, not hidden.
 */
export function selectorWarnings(s: Scenario): ScenarioWarning[] {
  const out: ScenarioWarning[] = [];
  const hasCa = s.autoscalers.some((a) => a.kind === 'cluster-autoscaler');
  s.workloads.forEach((w, i) => {
    const fields = [
      ['topologySpread', w.topologySpread],
      ['podAffinity', w.podAffinity],
      ['podAntiAffinity', w.podAntiAffinity],
    ] as const;
    for (const [field, list] of fields) {
      list.forEach((c, j) => {
        if (!c.labelSelector) return;
        const selects = selectedWorkloads(c.labelSelector, w, s.workloads);
        const path = `workloads[${i}].${field}[${j}].labelSelector`;
        if (selects.length === 0) {
          const why = field === 'podAffinity' ? "the workload's pods can never be scheduled" : 'the constraint counts nothing';
          out.push({ path, message: `matches no workload's pods (labels are a workload's \`labels\` plus app: <name>): ${why}` });
        } else if (field === 'podAffinity' && hasCa && !selects.includes(w.name)) {
          out.push({ path, message: "selects other workloads' pods: the cluster-autoscaler arm's scale-up estimate does not count them, so it never scales up for these pods" });
        }
      });
    }
  });
  return out;
}
