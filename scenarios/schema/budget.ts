import type { ValidationIssue } from '../../harness/runner/errors.js';
import { BUDGET } from './defaults.js';
import type { ScenarioView } from './partial.js';

export interface Budget {
  maxPods: number;
  maxNodes: number;
  maxSteps: number;
}

/** Upper bounds on what a plan can grow to, estimated from the file before anything runs. */
export interface PlanScale {
  /** Workload pods at their largest plus one pod per daemonset on every node of `nodes`. */
  pods: number;
  /** Nodes of the arm that may launch the most. */
  nodes: number;
  /** Control-loop steps over the whole run, every arm: traffic samples, HPA syncs, cluster-autoscaler scans. */
  steps: number;
}

function present<T>(list: ReadonlyArray<T | undefined> | undefined): T[] {
  return (list ?? []).filter((x): x is T => x !== undefined);
}

/**
 * The estimate is an upper bound, so a plan within budget never outgrows it: each workload at the largest of its
 * replicas, HPA maximum and scheduled replicas; a cluster-autoscaler arm at every node group's max; a karpenter arm
 * at one node per pod, or fewer when its NodePools' CPU limits allow fewer (every node has at least one vCPU), plus
 * the fixed groups it keeps. Works on the well-formed parts of a file with errors elsewhere.
 */
export function planScale(s: ScenarioView): PlanScale {
  const workloads = present(s.workloads);
  const workloadPods = workloads.reduce((n, w) => n + Math.max(w.replicas, w.hpa?.maxReplicas ?? 0, ...w.schedule.map((e) => e.replicas)), 0);
  const groups = present(s.cluster?.nodeGroups);
  const groupNodes = groups.reduce((n, g) => n + g.max, 0);
  const fixedNodes = groups.filter((g) => !g.autoscaled).reduce((n, g) => n + g.max, 0);
  const arms = present(s.autoscalers);
  let nodes = 0;
  if (arms.some((a) => a.kind === 'cluster-autoscaler')) nodes = Math.max(nodes, groupNodes);
  if (arms.some((a) => a.kind === 'karpenter')) {
    const pools = present(s.cluster?.nodePools);
    const limitNodes = pools.every((p) => p.limits.cpu !== undefined) ? pools.reduce((n, p) => n + Math.floor(p.limits.cpu! / 1000), 0) : Infinity;
    nodes = Math.max(nodes, fixedNodes + Math.min(workloadPods, limitNodes));
  }
  const daemonsets = present(s.cluster?.daemonsets).length;
  return { pods: workloadPods + daemonsets * nodes, nodes, steps: stepsOf(s, workloads.flatMap((w) => (w.hpa ? [w.hpa.syncPeriod] : []))) };
}

function stepsOf(s: ScenarioView, hpaPeriods: readonly number[]): number {
  const duration = s.duration;
  if (duration === undefined) return 0;
  const every = (period: number): number => Math.ceil(duration / period);
  const samples = s.sampleInterval === undefined ? 0 : every(s.sampleInterval) * present(s.traffic).length;
  const hpa = hpaPeriods.reduce((n, p) => n + every(p), 0);
  return present(s.autoscalers).reduce((n, a) => n + samples + hpa + (a.kind === 'cluster-autoscaler' ? every(a.scanInterval) : 0), 0);
}

const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n));

/** A plan above budget is an error stating the estimate and the budget, before any memory is spent on it. */
export function budgetIssues(scale: PlanScale, budget: Budget): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (scale.pods > budget.maxPods) {
    issues.push({
      path: 'workloads',
      message: `the plan may need up to ${fmt(scale.pods)} pods (workloads at their largest, daemonsets on ${fmt(scale.nodes)} nodes); the budget is ${fmt(budget.maxPods)} (--max-pods, default ${fmt(BUDGET.maxPods)})`,
    });
  }
  if (scale.nodes > budget.maxNodes) {
    issues.push({
      path: 'cluster',
      message: `the plan may need up to ${fmt(scale.nodes)} nodes (node group maxima, NodePool limits); the budget is ${fmt(budget.maxNodes)} (--max-nodes, default ${fmt(BUDGET.maxNodes)})`,
    });
  }
  if (scale.steps > budget.maxSteps) {
    issues.push({
      path: 'duration',
      message: `the run takes ${fmt(scale.steps)} control-loop steps (traffic samples, HPA syncs and autoscaler scans over the duration, per arm); the budget is ${fmt(budget.maxSteps)}: shorten the duration or lengthen sampleInterval, hpa.syncPeriod or scanInterval`,
    });
  }
  return issues;
}
