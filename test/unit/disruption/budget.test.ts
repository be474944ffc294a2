import { describe, expect, it } from 'vitest';
import { allowance, budgetOf, DEFAULT_BUDGETS } from '../../../provisioner/disruption/budget.js';
import { disruptionsAllowed } from '../../../provisioner/disruption/pdb.js';

const MONDAY_10 = Date.parse('2026-01-05T10:00:00Z');
const MONDAY_20 = Date.parse('2026-01-05T20:00:00Z');

describe('disruption budgets', () => {
  it("default to upstream's 10% of the pool's nodes, rounded up, less the nodes already being disrupted", () => {
    expect(allowance(DEFAULT_BUDGETS, 'Underutilized', 25, 0, MONDAY_10).allowed).toBe(3);
    expect(allowance(DEFAULT_BUDGETS, 'Underutilized', 25, 2, MONDAY_10).allowed).toBe(1);
    expect(allowance(DEFAULT_BUDGETS, 'Empty', 25, 5, MONDAY_10).allowed).toBe(0);
  });

  it('let the strictest active budget win', () => {
    const budgets = [budgetOf('50%'), budgetOf('2')];
    expect(allowance(budgets, 'Empty', 20, 0, MONDAY_10)).toEqual({ allowed: 2, budget: 'nodes: 2' });
  });

  it('apply only inside their schedule window', () => {
    const budgets = [budgetOf('100%'), budgetOf('0', undefined, '0 9 * * mon-fri', 8 * 3_600_000)];
    expect(allowance(budgets, 'Underutilized', 10, 0, MONDAY_10)).toEqual({ allowed: 0, budget: "nodes: 0 during '0 9 * * mon-fri' windows" });
    expect(allowance(budgets, 'Underutilized', 10, 0, MONDAY_20).allowed).toBe(10);
  });

  it('apply only to the reasons they name', () => {
    const budgets = [budgetOf('0', ['Underutilized'])];
    expect(allowance(budgets, 'Underutilized', 10, 0, MONDAY_10).allowed).toBe(0);
    expect(allowance(budgets, 'Empty', 10, 0, MONDAY_10)).toEqual({ allowed: Infinity, budget: null });
  });
});

describe('PodDisruptionBudgets', () => {
  it('allow healthy pods beyond minAvailable to be disrupted', () => {
    expect(disruptionsAllowed({ name: 'web', kind: 'minAvailable', value: 2, percent: false }, 3, 3)).toBe(1);
    expect(disruptionsAllowed({ name: 'web', kind: 'minAvailable', value: 2, percent: false }, 2, 3)).toBe(0);
  });

  it('scale percentages up against the expected count, as Kubernetes does', () => {
    expect(disruptionsAllowed({ name: 'web', kind: 'maxUnavailable', value: 50, percent: true }, 3, 3)).toBe(2);
    expect(disruptionsAllowed({ name: 'web', kind: 'minAvailable', value: 50, percent: true }, 3, 3)).toBe(1);
  });
});
