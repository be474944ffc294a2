import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../../harness/runner/errors.js';
import { parseScenario } from '../../../scenarios/load.js';
import { disruptionScenario as bare, type DisruptionRunOptions } from '../../support/disruption.js';
import { scenarioData } from '../../support/scenarios.js';

const disruptionScenario = (o: DisruptionRunOptions): Record<string, unknown> => scenarioData(bare(o));

function issuesOf(data: object): ValidationIssue[] {
  try {
    parseScenario(data, 'bad.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

const paths = (issues: readonly ValidationIssue[]): string[] => issues.map((i) => i.path.replace(/ \(line.*$/, ''));
const web = { name: 'web', resources: { cpu: '500m', memory: '256Mi' } };

describe('disruption fields of a scenario', () => {
  it('reports every malformed budget, PDB and NodePool change in one pass, each at its path, and no dangling pool name while a pool is malformed', () => {
    const issues = issuesOf({
      ...disruptionScenario({
        pool: { disruption: { budgets: [{ nodes: '0', schedule: '0 25 * * *', duration: '1h' }, { nodes: '1', schedule: '@daily' }] } },
        workloads: [{ ...web, pdb: { minAvailable: 1, maxUnavailable: 1 } }],
        changes: [{ at: '10m', nodePool: 'ghost', set: { labels: { a: 'b' } } }, { at: '2h', nodePool: 'default', set: {} }],
      }),
    });
    expect(paths(issues)).toEqual(
      expect.arrayContaining([
        'cluster.nodePools[0].disruption.budgets[0].schedule',
        'cluster.nodePools[0].disruption.budgets[1].duration',
        'workloads[0].pdb',
        'changes[1].set',
      ]),
    );
    expect(issues.find((i) => i.path.startsWith('cluster.nodePools[0].disruption.budgets[0].schedule'))!.message).toMatch(/hour: 25 is outside 0-23/);
    expect(paths(issues)).not.toContain('changes[0].nodePool');
  });

  it('names the NodePools there are when a change names another', () => {
    const issues = issuesOf(disruptionScenario({ workloads: [web], changes: [{ at: '10m', nodePool: 'ghost', set: { labels: { a: 'b' } } }] }));
    expect(issues.map((i) => i.message)).toEqual(["'ghost' is not one of cluster.nodePools (default)"]);
  });

  it('rejects a NodePool change after the end of the run', () => {
    const issues = issuesOf(disruptionScenario({ workloads: [web], changes: [{ at: '2h', nodePool: 'default', set: { labels: { a: 'b' } } }] }));
    expect(paths(issues)).toEqual(['changes[0].at']);
  });

  it('reads a PDB percentage and a count', () => {
    const s = parseScenario(disruptionScenario({ workloads: [{ ...web, pdb: { maxUnavailable: '25%' } }, { ...web, name: 'api', pdb: { minAvailable: 2 } }] }), 'ok.yaml');
    expect(s.workloads.map((w) => w.pdb)).toEqual([
      { kind: 'maxUnavailable', value: 25, percent: true },
      { kind: 'minAvailable', value: 2, percent: false },
    ]);
  });
});
