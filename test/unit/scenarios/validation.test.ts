import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../../harness/runner/errors.js';
import { loadScenario, parseScenario, type LoadOptions } from '../../../scenarios/load.js';
import { planScale } from '../../../scenarios/schema/budget.js';
import { feasibilityWarnings } from '../../../scenarios/schema/feasibility.js';
import { partialParse } from '../../../scenarios/schema/partial.js';
import { scenario, scenarioData } from '../../support/scenarios.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';

function issuesOf(data: unknown, options: LoadOptions = {}): ValidationIssue[] {
  try {
    parseScenario(typeof data === 'string' ? data : (data as object), 'bad.yaml', options);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

function issueAt(issues: readonly ValidationIssue[], path: string): ValidationIssue {
  const found = issues.find((i) => i.path === path || i.path.startsWith(`${path} (line`));
  if (!found) throw new Error(`no issue at ${path}; got ${JSON.stringify(issues)}`);
  return found;
}

const giant = { name: 'giant', resources: { cpu: '500', memory: '4Ti' } };

describe('validation in one pass', () => {
  it('reports schema errors and cross-reference errors of the same file together', () => {
    const issues = issuesOf(
      scenarioData({
        workloads: [{ name: 'web', resources: { cpu: 'lots', memory: '1Gi' } }],
        traffic: [{ workload: 'ghost', profile: 'constant', rps: 10 }],
      }),
    );
    expect(issueAt(issues, 'workloads[0].resources.cpu').message).toMatch(/not a CPU quantity/);
    expect(issueAt(issues, 'traffic[0].workload').message).toMatch(/'ghost' is not one of the workloads/);
  });

  it('still checks the references of an entry whose only fault is a misspelt key', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', replcias: 2, resources: { cpu: '1', memory: '1Gi' }, priorityClass: 'nope' }] }));
    expect(issueAt(issues, 'workloads[0]').message).toMatch(/replcias/);
    expect(issueAt(issues, 'workloads[0].priorityClass').message).toMatch(/'nope' is not defined/);
  });

  it('does not call a reference dangling when its target is only malformed', () => {
    const issues = issuesOf(
      scenarioData({
        workloads: [{ name: 'web', resources: { cpu: 'lots', memory: '1Gi' } }],
        traffic: [{ workload: 'web', profile: 'constant', rps: 10 }],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['workloads[0].resources.cpu']);
  });

  it('gives cross-reference errors their line in the file', () => {
    const issues = issuesOf(
      'name: x\nduration: 1h\ncluster: { nodePools: [{ name: default }] }\nworkloads:\n  - { name: web, resources: { cpu: 1, memory: 1Gi } }\ntraffic:\n  - { workload: ghost, profile: constant, rps: 1 }\nautoscalers: [{ name: k, kind: karpenter }]\n',
    );
    expect(issues.map((i) => i.path)).toContain('traffic[0].workload (line 7)');
  });
});

describe('bounds on values', () => {
  it('rejects a duration of 0', () => {
    expect(issueAt(issuesOf(scenarioData({ duration: 0 })), 'duration').message).toBe('must be longer than 0');
  });

  it('rejects zero-length periods where a loop would spin: sample interval, HPA sync, scan interval', () => {
    const issues = issuesOf(
      scenarioData({
        sampleInterval: '0s',
        workloads: [{ name: 'web', resources: { cpu: '1', memory: '1Gi' }, hpa: { minReplicas: 1, maxReplicas: 2, targetRpsPerPod: 10, syncPeriod: 0 } }],
        traffic: [{ workload: 'web', profile: 'constant', rps: 10 }],
        autoscalers: [{ name: 'ca', kind: 'cluster-autoscaler', scanInterval: '0s' }],
      }),
    );
    for (const path of ['sampleInterval', 'workloads[0].hpa.syncPeriod', 'autoscalers[0].scanInterval']) expect(issueAt(issues, path).message).toBe('must be longer than 0');
  });

  it('rejects a duration of years, stating the bound', () => {
    expect(issueAt(issuesOf(scenarioData({ duration: '8760h' })), 'duration').message).toBe('must be at most 744h (31 days)');
  });

  it('rejects a pod larger than any machine, stating the bound', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', resources: { cpu: 1e9, memory: '1Gi' } }] }));
    expect(issueAt(issues, 'workloads[0].resources.cpu').message).toBe('must be at most 1024 cores per pod');
  });

  it('rejects a latency whose p90 is below its median', () => {
    const issues = issuesOf(scenarioData({ cloud: { launchToRegistered: { median: '30s', p90: '10s' } } }));
    expect(issueAt(issues, 'cloud.launchToRegistered.p90').message).toBe('p90 must be at least the median');
  });

  it('rejects a sample interval longer than the scenario', () => {
    expect(issueAt(issuesOf(scenarioData({ duration: '10m', sampleInterval: '1h' })), 'sampleInterval').message).toMatch(/longer than the scenario's duration/);
  });
});

describe('plan budget', () => {
  it('rejects a plan above the pod budget, stating the estimate and the budget', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', replicas: 1e12, resources: { cpu: '1', memory: '1Gi' } }] }));
    expect(issueAt(issues, 'workloads[0]').message).toMatch(
      /up to 2,000,000,000,000 pods \(1,000,000,000,000 of the workloads at their largest, 1,000,000,000,000 of the daemonsets on 1,000,000,000,000 nodes\); the budget is 400,000 \(--max-pods/,
    );
  });

  it('takes the pod budget from the options', () => {
    const data = scenarioData({ workloads: [{ name: 'web', replicas: 20, resources: { cpu: '1', memory: '1Gi' } }] });
    expect(() => parseScenario(data, 'ok.yaml')).not.toThrow();
    expect(issueAt(issuesOf(data, { budget: { maxPods: 10 } }), 'cluster.daemonsets').message).toMatch(/up to 70 pods .*the budget is 10 /);
  });

  it('rejects node group maxima above the node budget', () => {
    const issues = issuesOf(scenarioData({ cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 0, max: 1e9 }], nodePools: [{ name: 'default' }] } }));
    expect(issueAt(issues, 'cluster.nodeGroups[0].max').message).toMatch(/up to 1,000,000,000 nodes .*the budget is 100,000 \(--max-nodes/);
  });

  it('rejects a run with more control-loop steps than the budget', () => {
    const issues = issuesOf(scenarioData({ duration: '24h', sampleInterval: '10ms', traffic: [{ workload: 'web', profile: 'constant', rps: 1 }] }));
    expect(issueAt(issues, 'duration').message).toMatch(/17,288,640 control-loop steps .*the budget is 5,000,000/);
  });

  it('estimates workloads at their largest plus daemonset pods on every node the plan may reach', () => {
    const scale = planScale(
      partialParse(
        scenarioData({
          workloads: [
            { name: 'a', replicas: 3, resources: { cpu: '1', memory: '1Gi' }, hpa: { minReplicas: 1, maxReplicas: 40, targetRpsPerPod: 1 } },
            { name: 'b', replicas: 5, resources: { cpu: '1', memory: '1Gi' }, schedule: [{ at: '00:05', replicas: 9 }] },
          ],
          cluster: {
            daemonsets: [{ name: 'd1', resources: { cpu: '10m', memory: '10Mi' } }, { name: 'd2', resources: { cpu: '10m', memory: '10Mi' } }],
            nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 0, max: 30 }],
            nodePools: [{ name: 'default', limits: { cpu: 20 } }],
          },
        }),
      ),
    );
    expect(scale).toMatchObject({ nodes: 30, pods: 40 + 9 + 2 * 30 });
  });

  it('estimates market-open at 31,510 pods on 6,000 nodes, as scenarios/README.md states', async () => {
    const text = await readFile('scenarios/market-open.yaml', 'utf8');
    expect(planScale(partialParse(parse(text)))).toMatchObject({ pods: 31_510, nodes: 6_000 });
  });

  it('leaves room for market-open at ten times its scale by default', () => {
    const data = marketOpenTimesTen();
    expect(planScale(partialParse(data))).toMatchObject({ pods: 60_000 + 15_000 + 100 + 4 * 60_000, nodes: 60_000 });
    expect(() => parseScenario(data, 'x10.yaml')).not.toThrow();
  });
});

/** market-open.yaml with every replica count, node group max and NodePool limit ten times larger. */
function marketOpenTimesTen(): Record<string, unknown> {
  return scenarioData({
    name: 'market-open-x10',
    duration: '24h',
    cluster: {
      daemonsets: ['aws-node', 'kube-proxy', 'ebs-csi-node', 'node-exporter'].map((name) => ({ name, resources: { cpu: '25m', memory: '64Mi' } })),
      nodeGroups: [
        { name: 'general-m5-2xlarge', instanceType: 'm5.2xlarge', min: 30, max: 6000 },
        { name: 'compute-c5-4xlarge', instanceType: 'c5.4xlarge', min: 0, max: 3000 },
      ],
      nodePools: [{ name: 'default', limits: { cpu: 60_000, memory: '240000Gi' } }],
    },
    workloads: [
      { name: 'trading-api', replicas: 200, resources: { cpu: '500m', memory: '1Gi' }, hpa: { minReplicas: 200, maxReplicas: 60_000, targetRpsPerPod: 100 } },
      { name: 'market-data', replicas: 100, resources: { cpu: '1', memory: '2Gi' }, hpa: { minReplicas: 100, maxReplicas: 15_000, targetRpsPerPod: 200 } },
      { name: 'overprovisioning', replicas: 100, resources: { cpu: '1', memory: '2Gi' } },
    ],
    traffic: [
      { workload: 'trading-api', profile: 'constant', rps: 1000 },
      { workload: 'market-data', profile: 'constant', rps: 1000 },
    ],
  });
}

describe('did you mean', () => {
  it('suggests the closest known key for a misspelt one', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', replcias: 3, resources: { cpu: '1', memory: '1Gi' } }] }));
    expect(issueAt(issues, 'workloads[0]').message).toBe("unknown field 'replcias'; did you mean 'replicas'?");
  });

  it('suggests nothing when no known key is close', () => {
    const issues = issuesOf(scenarioData({ workloads: [{ name: 'web', colour: 'blue', resources: { cpu: '1', memory: '1Gi' } }] }));
    expect(issueAt(issues, 'workloads[0]').message).toBe("unknown field 'colour'");
  });

  it('names the allowed kinds of an autoscaler and the closest one for a misspelt kind', () => {
    const issues = issuesOf(scenarioData({ autoscalers: [{ kind: 'karpentr' }] }));
    expect(issueAt(issues, 'autoscalers[0].kind').message).toBe("'karpentr' is not one of 'karpenter', 'cluster-autoscaler', 'karpenter-upstream', 'external'; did you mean 'karpenter'?");
  });

  it('names the allowed values of an enum and suggests none when no value is close', () => {
    const issues = issuesOf(scenarioData({ traffic: [{ workload: 'web', profile: 'sawtooth', rps: 1 }] }));
    expect(issueAt(issues, 'traffic[0].profile').message).toMatch(/^'sawtooth' is not one of 'constant', .*'spike'/);
  });

  it('points a missing field of a traffic profile at the misspelt key beside it', () => {
    const issues = issuesOf(scenarioData({ traffic: [{ workload: 'web', profile: 'spike', base: 1, peek: 10, at: '1m' }] }));
    expect(issueAt(issues, 'traffic[0].peak').message).toBe("required field is missing (is 'peek' a misspelling of it?)");
  });
});

describe('what the file is', () => {
  it('says an empty file is empty', () => {
    expect(issuesOf('')).toEqual([{ path: '', message: expect.stringMatching(/^the file is empty/) }]);
  });

  it('says a file of only comments is empty', () => {
    expect(issuesOf('# nothing yet\n')[0]!.message).toMatch(/^the file is empty/);
  });

  it('says a file whose top level is a list is not a mapping', () => {
    expect(issuesOf('- name: web\n')[0]!.message).toMatch(/^the top level is a list, not a mapping/);
  });

  it('says a file whose top level is a scalar is not a mapping', () => {
    expect(issuesOf('just some text\n')[0]!.message).toMatch(/^the top level is a string \("just some text"\), not a mapping/);
  });

  it('says a required field is missing instead of "Invalid input"', () => {
    const data = scenarioData();
    delete data.duration;
    expect(issueAt(issuesOf(data), 'duration').message).toBe('required field is missing');
  });
});

/** The feasibility warnings alone: a NodePool also warns about what is not modelled (nodepool-warnings.ts). */
function placement(s: Scenario): Scenario['warnings'] {
  return s.warnings.filter((w) => w.path.startsWith('workloads'));
}

describe('per-arm feasibility', () => {
  it('warns, on every arm, about a workload larger than every type the arm may launch, naming the largest allocatable', () => {
    const s = scenario({ workloads: [giant] });
    expect(placement(s).map((w) => w.path)).toEqual(['workloads[0]', 'workloads[0]']);
    expect(placement(s)[0]!.message).toMatch(/^can never be placed on arm 'cluster-autoscaler': larger than every instance type .*largest allocatable .*\(m5\.large\)/);
    expect(placement(s)[1]!.message).toMatch(/^can never be placed on arm 'karpenter': larger than every instance type .*largest allocatable/);
  });

  it('counts the daemonsets against the room on a node', () => {
    const s = scenario({
      cluster: { daemonsets: [{ name: 'hog', resources: { cpu: '1', memory: '128Mi' } }], nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 1, max: 5 }], nodePools: [{ name: 'default' }] },
      workloads: [{ name: 'web', resources: { cpu: '1', memory: '512Mi' } }],
      autoscalers: [{ name: 'cluster-autoscaler', kind: 'cluster-autoscaler' }],
    });
    expect(placement(s)[0]!.message).toMatch(/it needs 2 cpu .*with the daemonsets' 1 cpu/);
  });

  it('warns when every NodePool refuses the pod for a taint it does not tolerate', () => {
    const s = scenario({
      cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 1, max: 5 }], nodePools: [{ name: 'gpu', taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] }] },
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(placement(s)).toEqual([{ path: 'workloads[0]', message: "can never be placed on arm 'karpenter': no NodePool or fixed node group admits it (nodepool gpu: taint nvidia.com/gpu is not tolerated)" }]);
  });

  it('warns when the node selector matches no node group', () => {
    const s = scenario({
      workloads: [{ name: 'web', resources: { cpu: '500m', memory: '512Mi' }, nodeSelector: { team: 'payments' } }],
      autoscalers: [{ name: 'cluster-autoscaler', kind: 'cluster-autoscaler' }],
    });
    expect(placement(s)[0]!.message).toMatch(/node group ng-m5-large: the pod's node selector\/affinity does not match its labels/);
  });

  it('lets a karpenter arm place a pod on a fixed node group it keeps', () => {
    const s = scenario({
      cluster: {
        nodeGroups: [{ name: 'system', instanceType: 'm5.large', min: 1, max: 1, autoscaled: false, labels: { role: 'system' } }],
        nodePools: [{ name: 'default', taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }],
      },
      workloads: [{ name: 'web', resources: { cpu: '500m', memory: '512Mi' }, nodeSelector: { role: 'system' } }],
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(placement(s)).toEqual([]);
  });

  it('leaves out instance types larger than the NodePool limits', () => {
    const s = scenario({
      cluster: { nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 1, max: 5 }], nodePools: [{ name: 'default', limits: { cpu: 4 } }] },
      workloads: [{ name: 'web', resources: { cpu: '6', memory: '1Gi' } }],
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(placement(s)[0]!.message).toMatch(/largest allocatable it may launch is 3\.\d+ cpu/);
  });

  it('does not warn about a workload that fits', () => {
    expect(placement(scenario())).toEqual([]);
  });

  it('finds no unplaceable workload in the shipped scenarios', async () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(feasibilityWarnings(await loadScenario(`scenarios/${file}`)), file).toEqual([]);
  });
});
