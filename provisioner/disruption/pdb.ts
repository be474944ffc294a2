/** A PodDisruptionBudget over one workload's pods: `minAvailable` or `maxUnavailable`, a count or a percentage. */
export interface PodDisruptionBudget {
  name: string;
  kind: 'minAvailable' | 'maxUnavailable';
  value: number;
  percent: boolean;
}

/** What the disruption controller's PDB check reads: each workload's budget, healthy pods and expected count. */
export interface PdbView {
  budgetOf(workload: string): PodDisruptionBudget | undefined;
  /** Ready pods not being deleted, and the replica count the controller wants (the scale the PDB is relative to). */
  health(workload: string): { healthy: number; expected: number };
}

/**
 * The disruption controller's `disruptionsAllowed`: healthy pods minus the desired healthy count. Percentages are
 * rounded up against the expected count, as Kubernetes scales them (so `maxUnavailable: 50%` of 3 allows 2).
 */
export function disruptionsAllowed(pdb: PodDisruptionBudget, healthy: number, expected: number): number {
  return Math.max(0, healthy - desiredHealthy(pdb, expected));
}

export function desiredHealthy(pdb: PodDisruptionBudget, expected: number): number {
  const scaled = pdb.percent ? Math.ceil((expected * pdb.value) / 100) : pdb.value;
  return pdb.kind === 'minAvailable' ? scaled : Math.max(0, expected - scaled);
}

export function describePdb(pdb: PodDisruptionBudget): string {
  return `${pdb.name} (${pdb.kind}: ${pdb.value}${pdb.percent ? '%' : ''})`;
}
