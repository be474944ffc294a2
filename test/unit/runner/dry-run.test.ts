import { describe, expect, it } from 'vitest';
import { describePlan } from '../../../harness/runner/dry-run.js';
import { loadScenario } from '../../../scenarios/load.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

const base = scenarioData();
const cluster = base.cluster as Record<string, unknown>;

describe('describePlan', () => {
  it('prints NodePool limits in vCPU and GiB, not millicores and MiB', () => {
    const s = scenario({ cluster: { ...cluster, nodePools: [{ name: 'default', limits: { cpu: 6000, memory: '24000Gi' } }] } });
    expect(describePlan(s, 1)).toContain('  default: weight 0, 0 requirement(s), limits 6000 vCPU, 24000 GiB, ');
  });

  it('says when a NodePool has no limits', () => {
    expect(describePlan(scenario(), 1)).toMatch(/default: weight 0, 1 requirement\(s\), no limits, /);
  });

  it('prints when a NodePool consolidates and expires its nodes', () => {
    const s = scenario({ cluster: { ...cluster, nodePools: [{ name: 'default', disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '90s', expireAfter: 'Never' } }] } });
    expect(describePlan(s, 1)).toMatch(/default: .*, consolidation WhenEmpty after 1m30s, nodes expire never, budgets nodes 10%\n/);
  });

  it('prints budgets, PDBs, do-not-disrupt and NodePool changes', async () => {
    const plan = describePlan(await loadScenario('scenarios/nodepool-rollout.yaml'), 11);
    expect(plan).toContain("budgets nodes 20%; nodes 0 for Drifted in '0 1 * * *' for 30m");
    expect(plan).toMatch(/api: 24 replica\(s\) of 500m CPU \/ 1 GiB, PDB minAvailable 80%\n/);
    expect(plan).toMatch(/checkout: .*, do-not-disrupt for 20m after it starts\n/);
    expect(plan).toContain('changes:\n  at 59m: general gets new 3 requirement(s) (nodes that no longer match drift)\n');
  });

  it('prints what a withdrawal takes out of the catalog', () => {
    const s = scenario({ changes: [{ at: '10m', withdraw: { instanceTypes: ['c5.xlarge'], offerings: [{ instanceType: 'm5.large', capacityType: 'spot', zone: 'us-east-1a' }] } }] });
    expect(describePlan(s, 1)).toContain('changes:\n  at 10m: the cloud stops offering c5.xlarge, m5.large spot in us-east-1a (nodes on them drift: InstanceTypeNotFound)\n');
  });

  it("prints each arm's timing settings as durations", () => {
    const s = scenario({
      autoscalers: [
        { name: 'ca', kind: 'cluster-autoscaler', scanInterval: '15s', expander: 'price', scaleDownUnneededTime: '5m' },
        { name: 'k', kind: 'karpenter', batchIdleDuration: '2s', batchMaxDuration: '20s', maxInstanceTypesPerClaim: 30 },
      ],
    });
    const text = describePlan(s, 1);
    expect(text).toContain('  ca (cluster-autoscaler): scan every 15s, expander price, scale down after 5m unneeded\n');
    expect(text).toContain('  k (karpenter): batches pods for 2s idle / 20s max, up to 30 instance types per launch\n');
  });

  it('prints pod requests as Kubernetes quantities', () => {
    const s = scenario({ workloads: [{ name: 'api', replicas: 3, resources: { cpu: '500m', memory: '1Gi' } }] });
    expect(describePlan(s, 1)).toContain('  api: 3 replica(s) of 500m CPU / 1 GiB\n');
  });

  it('prints SLOs with their units, as the scenario file states them', () => {
    const s = scenario({ slo: [{ metric: 'podToReady.p99', max: '3m' }, { metric: 'requests.successRate', min: '99.5%' }] });
    expect(describePlan(s, 1)).toMatch(/SLOs:\n {2}podToReady\.p99 <= 3m\n {2}requests\.successRate >= 99\.5%\n$/);
  });

  it('prints the seed it would run with and the duration in scenario units', () => {
    expect(describePlan(scenario({ duration: '1h30m' }), 99).split('\n')[0]).toBe(`scenario test (test.yaml): 1h30m from ${scenario().start}, seed 99, target sim`);
  });

  it('prints the shipped market-open plan without a raw number of millicores or MiB', async () => {
    const text = describePlan(await loadScenario('scenarios/market-open.yaml'), 42);
    expect(text).not.toMatch(/\d+m \/|Mi\b|\{"cpu"/);
    expect(text).toContain('limits 6000 vCPU, 24000 GiB');
  });
});
