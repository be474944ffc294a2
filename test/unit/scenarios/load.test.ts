import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../harness/runner/errors.js';
import { parseScenario } from '../../../scenarios/load.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

function issuesOf(data: unknown): Array<{ path: string; message: string }> {
  try {
    parseScenario(typeof data === 'string' ? data : (data as object), 'bad.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('scenario validation', () => {
  it('fills every default in from one place', () => {
    const s = scenario();
    expect(s.sampleInterval).toBe(15_000);
    expect(s.autoscalers[0]).toMatchObject({ kind: 'cluster-autoscaler', scanInterval: 10_000, expander: 'least-waste', scaleDownUnneededTime: 600_000 });
    expect(s.autoscalers[1]).toMatchObject({ kind: 'karpenter', batchIdleDuration: 1_000, batchMaxDuration: 10_000 });
    expect(s.cluster.nodePools[0]!.disruption).toMatchObject({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 30_000 });
  });

  it('reports every problem at once, each with its path', () => {
    const data = scenarioData({
      workloads: [
        { name: 'web', resources: { cpu: 'lots', memory: '512Mi' } },
        { name: 'api', resources: { cpu: '1', memory: '1Gi' }, replicas: -1 },
      ],
      duration: 'forever',
    });
    const paths = issuesOf(data).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['workloads[0].resources.cpu', 'workloads[1].replicas', 'duration']));
  });

  it('rejects unknown fields instead of ignoring them', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', resources: { cpu: '1', memory: '1Gi' }, replicaz: 3 }] }));
    expect(issues[0]!.path).toBe('workloads[0]');
    expect(issues[0]!.message).toMatch(/replicaz/);
  });

  it('checks references across the file: traffic targets, priority classes, instance types', () => {
    const data = scenarioData({
      workloads: [{ name: 'web', resources: { cpu: '1', memory: '1Gi' }, priorityClass: 'nope' }],
      traffic: [{ workload: 'ghost', profile: 'constant', rps: 10 }],
      cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.huge', min: 0, max: 1 }], nodePools: [{ name: 'default' }] },
    });
    const paths = issuesOf(data).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['workloads[0].priorityClass', 'traffic[0].workload', 'cluster.nodeGroups[0].instanceType']));
  });

  it('rejects a NodePool no instance type can satisfy', () => {
    const data = scenarioData({
      cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 0, max: 1 }], nodePools: [{ name: 'x', requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['zz9'] }] }] },
    });
    expect(issuesOf(data).map((i) => i.path)).toContain('cluster.nodePools[0].requirements');
  });

  it('rejects a node group whose zones have no offering of its capacity type', () => {
    const data = scenarioData({ cluster: { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1e'], nodeGroups: [{ name: 'ng', instanceType: 'm5.large', zones: ['us-east-1e'], min: 0, max: 1 }], nodePools: [{ name: 'default' }] } });
    expect(issuesOf(data).map((i) => i.path)).toContain('cluster.nodeGroups[0].zones');
  });

  it('accepts a NodePool with custom labels', () => {
    const s = scenario({ cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 0, max: 1 }], nodePools: [{ name: 'team', labels: { team: 'a' } }] } });
    expect(s.cluster.nodePools[0]!.labels).toEqual({ team: 'a' });
  });

  it('points YAML problems at their line', () => {
    const issues = issuesOf('name: x\nduration: 1h\nworkloads:\n  - name: web\n    resources: { cpu: nope, memory: 1Gi }\n');
    expect(issues.some((i) => i.path.startsWith('workloads[0].resources.cpu (line 5)'))).toBe(true);
  });

  it('reports malformed YAML with its position', () => {
    expect(issuesOf('name: [unclosed\n')[0]!.path).toMatch(/^line \d+:\d+$/);
  });

  it('converts SLO thresholds to the units of results.json', () => {
    const s = scenario({ slo: [{ metric: 'podToReady.p99', max: '2m' }, { metric: 'requests.successRate', min: '99.5%' }] });
    expect(s.slo).toEqual([
      { metric: 'podToReady.p99', op: '<=', threshold: 120 },
      { metric: 'requests.successRate', op: '>=', threshold: 0.995 },
    ]);
  });

  it('derives market-open phases from the profile', () => {
    const s = scenario({
      duration: '24h',
      workloads: [{ name: 'api', resources: { cpu: '1', memory: '1Gi' }, hpa: { minReplicas: 1, maxReplicas: 10, targetRpsPerPod: 100 } }],
      traffic: [{ workload: 'api', profile: 'market-open', open: '09:15', close: '15:30', offHours: 1, preOpen: 10, peak: 100, plateau: 50, closeSurge: 80 }],
    });
    expect(s.phases.map((p) => p.name)).toEqual(['before the open', 'the spike', 'the plateau', 'the close', 'after hours']);
    expect(s.phases[1]).toMatchObject({ startMs: (9 * 60 + 15) * 60_000, endMs: (9 * 60 + 45) * 60_000 });
  });
});
