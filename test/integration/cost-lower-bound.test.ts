/**
 * The cost lower bound is a bound: no run can cost less than it, whatever the scenario. Checked on every shipped
 * scenario, on seeded random mixes of workloads, node groups and NodePools, and on the case issue 8 reproduced
 * (pods no allowed type or remaining limit could hold used to count).
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../provisioner/runtime/random.js';
import type { Results } from '../../harness/metrics/results.js';
import { executeScenario } from '../../harness/runner/execute.js';
import { loadScenario } from '../../scenarios/load.js';
import { arm, run, scenarioData, simulatedShippedScenarios, type ScenarioData } from '../support/scenarios.js';

function expectCostAtLeastTheBound(results: Results): void {
  for (const a of results.autoscalers) {
    expect(a.cost.totalUSD, `${results.scenario.name} / ${a.name}`).toBeGreaterThanOrEqual(a.cost.lowerBoundUSD);
    if (a.cost.lowerBoundUSD > 0) expect(a.cost.ratioToLowerBound, `${results.scenario.name} / ${a.name}`).toBeGreaterThanOrEqual(1);
  }
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.int(xs.length)]!;

/** A scenario drawn from a seed: one to three workloads, one or two node groups, a NodePool with or without limits. */
function randomMix(seed: number): ScenarioData {
  const r = new Random(seed);
  const workloads = Array.from({ length: 1 + r.int(3) }, (_, i) => ({
    name: `w${i}`,
    replicas: 1 + r.int(4),
    resources: { cpu: pick(r, ['100m', '250m', '500m', '1', '2', '3']), memory: pick(r, ['128Mi', '512Mi', '1Gi', '4Gi', '6Gi']) },
    ...(r.next() < 0.3 ? { topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }] } : {}),
    ...(r.next() < 0.2 ? { nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' } } : {}),
    hpa: { minReplicas: 1, maxReplicas: 20 + r.int(60), targetRpsPerPod: 20 + r.int(80) },
  }));
  const groups = Array.from({ length: 1 + r.int(2) }, (_, i) => ({
    name: `ng${i}`,
    instanceType: pick(r, ['m5.large', 'm5.xlarge', 'c5.2xlarge', 'r5.large']),
    capacityType: pick(r, ['on-demand', 'spot']),
    min: r.int(3),
    max: 3 + r.int(30),
  }));
  const categories = pick(r, [['c'], ['m'], ['r'], ['c', 'm'], ['c', 'm', 'r']]);
  const capacityTypes = pick(r, [['spot'], ['on-demand'], ['spot', 'on-demand']]);
  return scenarioData({
    name: `mix-${seed}`,
    seed,
    duration: '30m',
    cluster: {
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
      nodeGroups: groups,
      nodePools: [
        {
          name: 'default',
          requirements: [
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: categories },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: capacityTypes },
          ],
          ...(r.next() < 0.5 ? { limits: { cpu: 8 + r.int(100) } } : {}),
        },
      ],
    },
    workloads,
    traffic: workloads.map((w) => ({ workload: w.name, profile: 'spike', base: 20 + r.int(80), peak: 300 + r.int(3000), at: `${2 + r.int(8)}m`, rise: '1m', hold: '6m', decay: '4m' })),
  });
}

describe('the cost lower bound', () => {
  const shipped = simulatedShippedScenarios();

  it.each(shipped)('is at most the cost of both arms of the shipped scenario %s', async (file) => {
    const { results } = await executeScenario(await loadScenario(file));
    expectCostAtLeastTheBound(results);
    for (const a of results.autoscalers) expect(a.cost.lowerBoundUSD, a.name).toBeGreaterThan(0);
  }, 120_000);

  it.each([11, 12, 13, 14, 15, 16, 17, 18])('is at most the cost of both arms of random scenario mix %i', async (seed) => {
    expectCostAtLeastTheBound((await run(randomMix(seed))).results);
  }, 60_000);

  it('leaves out pods no allowed type or remaining NodePool limit could hold, so it stays below the cost', async () => {
    const { results } = await run({
      duration: '30m',
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        nodeGroups: [{ name: 'ng-m5-large', instanceType: 'm5.large', min: 1, max: 3 }],
        nodePools: [{ name: 'default', requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m'] }], limits: { cpu: 4 } }],
      },
      workloads: [
        { name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 2, maxReplicas: 60, targetRpsPerPod: 50 } },
        { name: 'impossible', replicas: 3, resources: { cpu: '500', memory: '4Gi' } },
      ],
      traffic: [{ workload: 'web', profile: 'spike', base: 100, peak: 3000, at: '2m', rise: '1m', hold: '20m', decay: '2m' }],
    });
    for (const name of ['cluster-autoscaler', 'karpenter']) {
      const a = arm(results, name);
      expect(a.pods.neverReady + a.pods.abandoned, name).toBeGreaterThan(3);
      expect(a.unsatisfiable.map((u) => u.pod), name).toContain('impossible-1');
      expect(a.cost.totalUSD, name).toBeGreaterThanOrEqual(a.cost.lowerBoundUSD);
    }
  }, 60_000);

  it('prices an arm limited to on-demand node groups at on-demand prices, not at Spot it could not buy', async () => {
    const { results } = await run({
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 2, max: 10 }],
        nodePools: [
          {
            name: 'default',
            requirements: [
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
            ],
          },
        ],
      },
      workloads: [{ name: 'web', replicas: 6, resources: { cpu: '500m', memory: '512Mi' } }],
    });
    const ca = arm(results, 'cluster-autoscaler');
    const k = arm(results, 'karpenter');
    expect(ca.cost.byCapacityType['spot'] ?? 0).toBe(0);
    expect(k.cost.byCapacityType['spot']).toBeGreaterThan(0);
    // The same pods on the same type: the on-demand-only arm's bound is priced on-demand, so it is the higher one.
    expect(ca.cost.lowerBoundUSD).toBeGreaterThan(k.cost.lowerBoundUSD);
  }, 60_000);
});
