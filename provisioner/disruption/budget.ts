/**
 * A disruption budget's allowance: Karpenter's default `nodes: 10%`, scaled from the pool's node count and rounded
 * up (as Kubernetes scales percentages for budgets), minus the nodes already being disrupted.
 */
export function allowedDisruptions(totalNodes: number, disrupting: number, percent = 10): number {
  return Math.max(0, Math.ceil((totalNodes * percent) / 100) - disrupting);
}
