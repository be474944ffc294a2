import { parseCron, windowCovers, type CronSchedule } from './cron.js';

/** The reasons a budget may name: the graceful, budgeted disruption methods. */
export type BudgetReason = 'Empty' | 'Underutilized' | 'Drifted';

/** A karpenter.sh/v1 NodePool disruption budget, parsed. */
export interface DisruptionBudget {
  /** `nodes`: a count, or a percentage of the pool's nodes (rounded up, as Kubernetes scales percentages). */
  nodes: { value: number; percent: boolean };
  /** The reasons it limits; absent: all of them. */
  reasons?: readonly BudgetReason[];
  /** Active only inside windows of `durationMs` opened by this UTC cron schedule; absent: always active. */
  schedule?: { text: string; cron: CronSchedule; durationMs: number };
}

/** Upstream's default when a NodePool lists no budgets: one budget of `nodes: 10%`. */
export const DEFAULT_BUDGETS: readonly DisruptionBudget[] = [{ nodes: { value: 10, percent: true } }];

export function budgetOf(nodes: string, reasons?: readonly BudgetReason[], schedule?: string, durationMs?: number): DisruptionBudget {
  const percent = nodes.endsWith('%');
  return {
    nodes: { value: Number(percent ? nodes.slice(0, -1) : nodes), percent },
    ...(reasons ? { reasons } : {}),
    ...(schedule !== undefined && durationMs !== undefined ? { schedule: { text: schedule, cron: parseCron(schedule), durationMs } } : {}),
  };
}

export interface Allowance {
  /** Nodes that may start being disrupted for this reason now (never negative). */
  allowed: number;
  /** The budget that sets it, in words ("nodes: 0 (0 9 * * 1-5 for 8h)"); null when no budget is active. */
  budget: string | null;
}

export function describeBudget(b: DisruptionBudget): string {
  const nodes = `nodes: ${b.nodes.value}${b.nodes.percent ? '%' : ''}`;
  const reasons = b.reasons ? ` for ${b.reasons.join(', ')}` : '';
  const window = b.schedule ? ` during '${b.schedule.text}' windows` : '';
  return `${nodes}${reasons}${window}`;
}

/**
 * How many of a pool's nodes may start being disrupted for `reason` at `utcMs`: the strictest budget that applies to
 * the reason and is active then, scaled against the pool's nodes (those being disrupted included), less the nodes
 * already being disrupted. With no active budget nothing limits it, as upstream.
 */
export function allowance(budgets: readonly DisruptionBudget[], reason: BudgetReason, totalNodes: number, disrupting: number, utcMs: number): Allowance {
  let allowed = Infinity;
  let which: DisruptionBudget | null = null;
  for (const b of budgets) {
    if (b.reasons && !b.reasons.includes(reason)) continue;
    if (b.schedule && !windowCovers(b.schedule.cron, b.schedule.durationMs, utcMs)) continue;
    const n = b.nodes.percent ? Math.ceil((totalNodes * b.nodes.value) / 100) : b.nodes.value;
    if (n < allowed) {
      allowed = n;
      which = b;
    }
  }
  return { allowed: Math.max(0, allowed - disrupting), budget: which ? describeBudget(which) : null };
}
