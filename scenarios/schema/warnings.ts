/**
 * Something a scenario says that burstlab accepts but will not behave as a reader may expect: a field parsed but
 * not modelled, an arm on which a workload can never be placed. Never an error and never silent: printed by
 * `validate`, `run --dry-run`, the run itself and the report header, each with its path.
 */
export interface ScenarioWarning {
  /** e.g. `cluster.nodePools[0].disruption.expireAfter` */
  path: string;
  message: string;
}

/** `warning: <path>: <message>`, one a line, as every command prints them. */
export function formatWarnings(warnings: readonly ScenarioWarning[]): string {
  return warnings.map((w) => `warning: ${w.path}: ${w.message}\n`).join('');
}
