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
  workloadPods: number;
  /** Nodes of the arm that may launch the most. */
  nodes: number;
  /** Where most of the pods and of the nodes come from, for the error's path. */
  podsFrom: string;
  nodesFrom: string;
  /** Control-loop steps over the whole run, every arm: traffic samples, HPA syncs, cluster-autoscaler scans. */
  steps: number;
}

function present<T>(list: ReadonlyArray<T | undefined> | undefined): T[] {
  return (list ?? []).filter((x): x is T => x !== undefined);
}

/**
 * The estimate is an upper bound, so a plan within budget never outgrows it: each workload at the largest of its
 * replicas, HPA maximum and scheduled replicas; a cluster-autoscaler arm at every node group's max; a karpenter arm
 * at one node per pod, or fewer when its NodePools' CPU limits allow fewer (every node has at least one vCPU, or the
 * least its instance-cpu requirements allow), plus the fixed groups it keeps. Works on the well-formed parts of a file with errors elsewhere.
 */
export function planScale(s: ScenarioView): PlanScale {
  const workloads = largestFirst(s.workloads, (w) => w.schedule.reduce((m, e) => Math.max(m, e.replicas), Math.max(w.replicas, w.hpa?.maxReplicas ?? 0)));
  const workloadPods = workloads.reduce((n, w) => n + w.size, 0);
  const groups = largestFirst(s.cluster?.nodeGroups, (g) => g.max);
  const groupNodes = groups.reduce((n, g) => n + g.size, 0);
  const fixedNodes = groups.filter((g) => !g.item.autoscaled).reduce((n, g) => n + g.size, 0);
  const arms = present(s.autoscalers);
  const caNodes = arms.some((a) => a.kind === 'cluster-autoscaler') ? groupNodes : 0;
  let karpenterNodes = 0;
  if (arms.some((a) => a.kind === 'karpenter' || a.kind === 'karpenter-upstream')) {
    const pools = present(s.cluster?.nodePools);
    const limitNodes = pools.every((p) => p.limits.cpu !== undefined)
      ? pools.reduce((n, p) => n + Math.floor(p.limits.cpu! / 1000 / minVcpus(p.requirements)), 0)
      : Infinity;
    karpenterNodes = fixedNodes + Math.min(workloadPods, limitNodes);
  }
  const nodes = Math.max(caNodes, karpenterNodes);
  const daemonsetPods = present(s.cluster?.daemonsets).length * nodes;
  return {
    pods: workloadPods + daemonsetPods,
    workloadPods,
    nodes,
    steps: stepsOf(s, workloads.flatMap((w) => (w.item.hpa ? [w.item.hpa.syncPeriod] : []))),
    podsFrom: daemonsetPods > workloadPods ? 'cluster.daemonsets' : workloads[0] ? `workloads[${workloads[0].index}]` : 'workloads',
    nodesFrom: caNodes >= karpenterNodes && groups[0] ? `cluster.nodeGroups[${groups[0].index}].max` : 'cluster.nodePools',
  };
}

/**
 * The fewest vCPUs a node of a NodePool can have: 1, or more when a `karpenter.k8s.aws/instance-cpu` requirement
 * (Gt or In) rules the small types out. Requirements on one key all hold, so the largest lower bound wins.
 */
function minVcpus(requirements: ReadonlyArray<{ key: string; operator: string; values?: string[] | undefined }>): number {
  let least = 1;
  for (const r of requirements) {
    if (r.key !== 'karpenter.k8s.aws/instance-cpu') continue;
    const values = (r.values ?? []).map(Number).filter((v) => Number.isFinite(v) && v >= 0);
    if (values.length === 0) continue;
    if (r.operator === 'Gt') least = Math.max(least, Math.floor(values[0]!) + 1);
    else if (r.operator === 'In') least = Math.max(least, values.reduce((a, b) => Math.min(a, b), Infinity));
  }
  return least;
}

/** The well-formed entries of a list with their index and size, largest first. */
function largestFirst<T>(list: ReadonlyArray<T | undefined> | undefined, size: (item: T) => number): Array<{ item: T; index: number; size: number }> {
  const out: Array<{ item: T; index: number; size: number }> = [];
  (list ?? []).forEach((item, index) => {
    if (item !== undefined) out.push({ item, index, size: size(item) });
  });
  return out.sort((a, b) => b.size - a.size || a.index - b.index);
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
      path: scale.podsFrom,
      message: `the plan may need up to ${fmt(scale.pods)} pods (${fmt(scale.workloadPods)} of the workloads at their largest, ${fmt(scale.pods - scale.workloadPods)} of the daemonsets on ${fmt(scale.nodes)} nodes); the budget is ${fmt(budget.maxPods)} (--max-pods, default ${fmt(BUDGET.maxPods)})`,
    });
  }
  if (scale.nodes > budget.maxNodes) {
    issues.push({
      path: scale.nodesFrom,
      message: `the plan may need up to ${fmt(scale.nodes)} nodes (node group maxima; a karpenter arm at one node per pod, or its NodePools' CPU limits over their smallest node's vCPUs if fewer); the budget is ${fmt(budget.maxNodes)} (--max-nodes, default ${fmt(BUDGET.maxNodes)})`,
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
