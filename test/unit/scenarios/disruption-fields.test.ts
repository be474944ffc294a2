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

  it('reads a withdrawal of instance types and offerings', () => {
    const s = parseScenario(
      disruptionScenario({ workloads: [web], changes: [{ at: '10m', withdraw: { instanceTypes: ['c5.xlarge'], offerings: [{ instanceType: 'm5.large', capacityType: 'spot' }] } }] }),
      'ok.yaml',
    );
    expect(s.changes).toEqual([{ kind: 'withdraw', at: 600_000, withdraw: { instanceTypes: ['c5.xlarge'], offerings: [{ instanceType: 'm5.large', capacityType: 'spot' }] } }]);
  });

  it('rejects a withdrawal of an unknown instance type, with its path and a guess', () => {
    const issues = issuesOf(disruptionScenario({ workloads: [web], changes: [{ at: '10m', withdraw: { instanceTypes: ['c5.xlarg'], offerings: [{ instanceType: 'm5.lrage', zone: 'us-east-1a' }] } }] }));
    expect(issues.map((i) => [paths([i])[0], i.message])).toEqual([
      ['changes[0].withdraw.instanceTypes[0]', "'c5.xlarg' is not offered in us-east-1a (did you mean 'c5.xlarge'?)"],
      ['changes[0].withdraw.offerings[0].instanceType', "'m5.lrage' is not offered in us-east-1a (did you mean 'm5.large'?)"],
    ]);
  });

  it('rejects a withdrawn offering in a zone outside the cluster, and one that names neither zone nor capacity type', () => {
    const issues = issuesOf(
      disruptionScenario({ workloads: [web], changes: [{ at: '10m', withdraw: { offerings: [{ instanceType: 'm5.large', zone: 'us-east-1b' }] } }, { at: '10m', withdraw: { offerings: [{ instanceType: 'm5.large' }] } }] }),
    );
    expect(paths(issues)).toEqual(['changes[1].withdraw.offerings[0]', 'changes[0].withdraw.offerings[0].zone']);
  });

  it('rejects a change that is both a NodePool change and a withdrawal, and one that is neither', () => {
    const issues = issuesOf(
      disruptionScenario({ workloads: [web], changes: [{ at: '10m', nodePool: 'default', set: { labels: { a: 'b' } }, withdraw: { instanceTypes: ['c5.xlarge'] } }, { at: '10m' }, { at: '10m', withdarw: {} }] }),
    );
    expect(paths(issues)).toEqual(expect.arrayContaining(['changes[0].nodePool', 'changes[1].nodePool', 'changes[2]']));
    expect(issues.find((i) => i.path.startsWith('changes[0]'))!.message).toMatch(/give either nodePool and set, or withdraw/);
    expect(issues.find((i) => paths([i])[0] === 'changes[2]')!.message).toBe("unknown field 'withdarw'; did you mean 'withdraw'?");
  });

  it("leaves a karpenter arm's SpotToSpotConsolidation gate off unless it is turned on, as upstream", () => {
    const off = parseScenario(disruptionScenario({ workloads: [web] }), 'ok.yaml');
    const on = parseScenario(disruptionScenario({ workloads: [web], featureGates: { spotToSpotConsolidation: true } }), 'ok.yaml');
    expect(off.autoscalers[0]).toMatchObject({ featureGates: { spotToSpotConsolidation: false } });
    expect(on.autoscalers[0]).toMatchObject({ featureGates: { spotToSpotConsolidation: true } });
  });

  it('rejects a feature gate it does not know, with a guess', () => {
    const issues = issuesOf(disruptionScenario({ workloads: [web], featureGates: { spotToSpotConsolidaton: true } }));
    expect(issues.map((i) => [paths([i])[0], i.message])).toEqual([['autoscalers[0].featureGates', "unknown field 'spotToSpotConsolidaton'; did you mean 'spotToSpotConsolidation'?"]]);
  });

  it('reads a PDB percentage and a count', () => {
    const s = parseScenario(disruptionScenario({ workloads: [{ ...web, pdb: { maxUnavailable: '25%' } }, { ...web, name: 'api', pdb: { minAvailable: 2 } }] }), 'ok.yaml');
    expect(s.workloads.map((w) => w.pdb)).toEqual([
      { kind: 'maxUnavailable', value: 25, percent: true },
      { kind: 'minAvailable', value: 2, percent: false },
    ]);
  });
});
