import type { ParsedScenario } from './scenario-schema.js';
import type { ScenarioWarning } from './warnings.js';

/** A named window of the scenario, for per-phase metrics (for market-open: before the open, the spike, ...). */
export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
}

/** A validated scenario with its defaults applied and derived facts resolved: what every target runs. */
export interface Scenario extends Omit<ParsedScenario, 'phases'> {
  /** Where it was loaded from, for messages and reports ('' when built in code). */
  file: string;
  phases: Phase[];
  /** Priority value per PriorityClass name. */
  priorities: ReadonlyMap<string, number>;
  /** What is accepted but not modelled, or can never happen: see warnings.ts. */
  warnings: ScenarioWarning[];
}
