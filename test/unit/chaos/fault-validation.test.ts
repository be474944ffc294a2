import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../../harness/runner/errors.js';
import { parseScenario } from '../../../scenarios/load.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

function issuesOf(faults: unknown[], extra: Record<string, unknown> = {}): ValidationIssue[] {
  try {
    parseScenario(scenarioData({ faults, ...extra }), 'bad.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

const messageAt = (issues: readonly ValidationIssue[], path: string): string => {
  const found = issues.find((i) => i.path === path || i.path.startsWith(`${path} (line`));
  if (!found) throw new Error(`no issue at ${path}; got ${JSON.stringify(issues)}`);
  return found.message;
};

describe('fault validation', () => {
  it('accepts every fault type with its defaults applied', () => {
    const s = scenario({
      faults: [
        { type: 'spot-interruption', at: '5m', percent: 20 },
        { type: 'node-failure', at: '6m', nodes: 1, select: { nodeGroup: 'ng-m5-large' } },
        { type: 'zone-outage', at: '7m', zone: 'us-east-1a', duration: '5m' },
        { type: 'insufficient-capacity', at: '8m', duration: '10m', capacityType: 'spot', cheapest: 5, nodePool: 'default' },
        { type: 'autoscaler-crash', phase: 'whole run', duration: '2m' },
        { type: 'api-throttling', every: '4m', count: 3, duration: '1m' },
      ],
    });
    expect(s.faults!.map((f) => f.type)).toEqual(['spot-interruption', 'node-failure', 'zone-outage', 'insufficient-capacity', 'autoscaler-crash', 'api-throttling']);
    expect(s.faults![0]).toMatchObject({ durationBeforeInterruption: 120_000 });
    expect(s.faults![1]).toMatchObject({ mode: 'not-ready', evictionTimeout: 300_000 });
  });

  it('rejects a zone the cluster lacks, suggesting the nearest', () => {
    expect(messageAt(issuesOf([{ type: 'zone-outage', at: '5m', zone: 'us-east-1d', duration: '5m' }]), 'faults[0].zone')).toMatch(/'us-east-1d' is not one of cluster.zones/);
    expect(messageAt(issuesOf([{ type: 'node-failure', at: '5m', nodes: 1, select: { zone: 'us-east-1x' } }]), 'faults[0].select.zone')).toMatch(/did you mean 'us-east-1a'/);
  });

  it('rejects a percentage over 100', () => {
    expect(messageAt(issuesOf([{ type: 'spot-interruption', at: '5m', percent: 120 }]), 'faults[0].percent')).toMatch(/at most 100/);
  });

  it('rejects an unknown node group or NodePool by name', () => {
    const issues = issuesOf([
      { type: 'node-failure', at: '5m', nodes: 1, select: { nodeGroup: 'ng-m5-largee' } },
      { type: 'spot-interruption', at: '5m', nodes: 1, select: { nodePool: 'defualt' } },
    ]);
    expect(messageAt(issues, 'faults[0].select.nodeGroup')).toMatch(/did you mean 'ng-m5-large'/);
    expect(messageAt(issues, 'faults[1].select.nodePool')).toMatch(/did you mean 'default'/);
  });

  it('rejects Spot interruptions of an on-demand node group', () => {
    expect(messageAt(issuesOf([{ type: 'spot-interruption', at: '5m', nodes: 1, select: { nodeGroup: 'ng-m5-large' } }]), 'faults[0].select.nodeGroup')).toMatch(/only Spot instances are interrupted/);
  });

  it('rejects a warning outside the range FIS accepts', () => {
    expect(messageAt(issuesOf([{ type: 'spot-interruption', at: '5m', nodes: 1, durationBeforeInterruption: '1m' }]), 'faults[0].durationBeforeInterruption')).toMatch(/2m..15m/);
  });

  it('rejects injections that fall after the end and phases the scenario lacks', () => {
    const issues = issuesOf([
      { type: 'api-throttling', at: '30m', duration: '1m' },
      { type: 'api-throttling', every: '8m', count: 3, duration: '1m' },
      { type: 'autoscaler-crash', phase: 'the spike', duration: '1m' },
    ]);
    expect(messageAt(issues, 'faults[0].at')).toMatch(/after the end/);
    expect(messageAt(issues, 'faults[1].count')).toMatch(/last of 3 injections/);
    expect(messageAt(issues, 'faults[2].phase')).toMatch(/'the spike' is not one of the phases \(whole run\)/);
  });

  it('rejects offerings the catalog does not have and unknown fields, all in one pass', () => {
    const issues = issuesOf([
      { type: 'insufficient-capacity', at: '5m', duration: '5m', offerings: [{ instanceType: 'm5.larg' }] },
      { type: 'node-failure', at: '5m', nodes: 1, evictionTimout: '1m' },
      { type: 'zone-outages', at: '5m' },
    ]);
    expect(messageAt(issues, 'faults[0].offerings[0].instanceType')).toMatch(/did you mean 'm5.large'/);
    expect(messageAt(issues, 'faults[1]')).toMatch(/unknown field 'evictionTimout'; did you mean 'evictionTimeout'/);
    expect(messageAt(issues, 'faults[2].type')).toMatch(/did you mean 'zone-outage'/);
  });

  it('says how many nodes are missing when neither nodes nor percent is given', () => {
    expect(messageAt(issuesOf([{ type: 'node-failure', at: '5m' }]), 'faults[0].nodes')).toMatch(/nodes or percent/);
  });

  it('points at the line of a bad fault in a file', () => {
    const text = `name: x
duration: 20m
cluster: { zones: [us-east-1a] }
workloads: [{ name: web, replicas: 1, resources: { cpu: 1, memory: 1Gi } }]
autoscalers: [{ name: k, kind: karpenter }]
cluster: { zones: [us-east-1a], nodePools: [{ name: default }] }
faults:
  - type: zone-outage
    at: 5m
    zone: us-east-1b
    duration: 5m
`.replace('cluster: { zones: [us-east-1a] }\n', '');
    expect(() => parseScenario(text, 'f.yaml')).toThrow(ValidationError);
    try {
      parseScenario(text, 'f.yaml');
    } catch (err) {
      expect((err as ValidationError).issues).toContainEqual({ path: 'faults[0].zone (line 9)', message: expect.stringMatching(/not one of cluster.zones/) });
    }
  });
});
