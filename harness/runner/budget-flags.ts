import type { Budget } from '../../scenarios/schema/budget.js';
import { BUDGET } from '../../scenarios/schema/defaults.js';
import { UsageError } from './errors.js';

/** The plan-budget flags `run` and `validate` share; parseArgs options to spread into a command's own. */
export const BUDGET_OPTIONS = {
  'max-pods': { type: 'string' },
  'max-nodes': { type: 'string' },
} as const;

export const BUDGET_USAGE = `  --max-pods N    refuse a plan that may need more than N pods (default ${BUDGET.maxPods.toLocaleString('en-US')})
  --max-nodes N   refuse a plan that may need more than N nodes (default ${BUDGET.maxNodes.toLocaleString('en-US')})`;

/** The budget overrides the flags give; a value that is not a positive whole number is a usage error. */
export function budgetFromFlags(command: string, values: { 'max-pods'?: string | undefined; 'max-nodes'?: string | undefined }): Partial<Budget> {
  const out: Partial<Budget> = {};
  const read = (flag: 'max-pods' | 'max-nodes'): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`--${flag} '${raw}' is not a positive whole number`, `e.g. burstlab ${command} --${flag} 100000`);
    }
    return n;
  };
  const pods = read('max-pods');
  const nodes = read('max-nodes');
  if (pods !== undefined) out.maxPods = pods;
  if (nodes !== undefined) out.maxNodes = nodes;
  return out;
}
