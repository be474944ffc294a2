import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../scenarios/load.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

/** The warnings of a scenario whose only NodePool is `pool` (burstlab's own form), keyed by path. */
function warningsFor(pool: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, string> {
  const data = scenarioData(overrides);
  const s = scenario({ ...overrides, cluster: { ...(data.cluster as object), nodePools: [{ name: 'default', ...pool }] } });
  return Object.fromEntries(s.warnings.map((w) => [w.path, w.message]));
}

const WHEN_EMPTY = { disruption: { consolidationPolicy: 'WhenEmpty' } };

describe('scenario warnings for what is accepted but not modelled', () => {
  it('has nothing to say about the default WhenEmptyOrUnderutilized, since consolidation models it', () => {
    expect(warningsFor({})).toEqual({});
  });

  it('has nothing to say about the Balanced policy, since its score is modelled', () => {
    expect(warningsFor({ disruption: { consolidationPolicy: 'Balanced' } })).toEqual({});
  });

  it('has nothing to say about a NodePool that consolidates only empty nodes', () => {
    expect(warningsFor(WHEN_EMPTY)).toEqual({});
  });

  it('has nothing to say about expireAfter or terminationGracePeriod, since both are modelled', () => {
    expect(warningsFor({ ...WHEN_EMPTY, terminationGracePeriod: '1h', disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '10m' } })).toEqual({});
  });

  it.each([
    ['startupTaints', { ...WHEN_EMPTY, startupTaints: [{ key: 'cilium', effect: 'NoExecute' }] }, 'cluster.nodePools[0].startupTaints'],
    ['minValues', { ...WHEN_EMPTY, requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'], minValues: 2 }] }, 'cluster.nodePools[0].requirements[0].minValues'],
    ['a limit beyond cpu and memory', { ...WHEN_EMPTY, otherLimits: { 'nvidia.com/gpu': '8' } }, 'cluster.nodePools[0].otherLimits.nvidia.com/gpu'],
    ['replicas of a static NodePool', { ...WHEN_EMPTY, replicas: 3 }, 'cluster.nodePools[0].replicas'],
    ['a do-not-disrupt annotation other than "true"', { ...WHEN_EMPTY, annotations: { 'karpenter.sh/do-not-disrupt': 'yes' } }, 'cluster.nodePools[0].annotations.karpenter.sh/do-not-disrupt'],
  ])('names %s in a warning at its path', (_, pool, path) => {
    expect(Object.keys(warningsFor(pool))).toEqual([path]);
  });

  it('accepts budgets with schedules and reasons and the do-not-disrupt node annotation without a warning, since disruption models them', () => {
    const budgets = [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Underutilized'] }, { nodes: '20%' }];
    expect(warningsFor({ annotations: { 'karpenter.sh/do-not-disrupt': 'true' }, disruption: { budgets } })).toEqual({});
  });

  it('leaves no disruption field of a karpenter.sh/v1 NodePool unmodelled: every one set at once draws no warning', () => {
    const disruption = {
      consolidationPolicy: 'Balanced',
      consolidateAfter: '5m',
      expireAfter: '24h',
      budgets: [{ nodes: '0', schedule: '@daily', duration: '1h', reasons: ['Drifted', 'Empty', 'Underutilized'] }, { nodes: '10%' }],
    };
    expect(warningsFor({ terminationGracePeriod: '1h', annotations: { 'karpenter.sh/do-not-disrupt': 'true' }, disruption })).toEqual({});
  });

  it("warns that a withdrawal of a Cluster Autoscaler group's shape leaves that arm launching it", () => {
    const s = scenario({ changes: [{ at: '1m', withdraw: { offerings: [{ instanceType: 'm5.large', capacityType: 'on-demand' }, { instanceType: 'c5.xlarge', capacityType: 'spot' }] } }] });
    expect(s.warnings.map((w) => [w.path, w.message])).toEqual([
      ['changes[0].withdraw', "takes m5.large on-demand from node group 'ng-m5-large' (cluster.nodeGroups[0]): Cluster Autoscaler's failed scale-ups are not modelled, so its arm keeps launching the shape; only Karpenter arms stop"],
    ]);
  });

  it('warns that a pod affinity whose labelSelector matches no workload can never be met', () => {
    const web = { name: 'web', replicas: 1, resources: { cpu: '500m', memory: '512Mi' }, podAffinity: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'dta' } } }] };
    const s = scenario({ workloads: [web, { name: 'db', labels: { tier: 'data' }, resources: { cpu: '1', memory: '1Gi' } }], autoscalers: [{ name: 'karpenter', kind: 'karpenter' }] });
    expect(s.warnings.map((w) => [w.path, w.message])).toEqual([
      ['workloads[0].podAffinity[0].labelSelector', "matches no workload's pods (labels are a workload's `labels` plus app: <name>): the workload's pods can never be scheduled"],
    ]);
  });

  it("names each field of Karpenter's documented NodePool that the sim does not model, at its manifest line", async () => {
    const s = await loadScenario('scenarios/nodepools/docs-example.yaml');
    const at = (field: string): string | undefined => s.warnings.find((w) => w.path.endsWith(field))?.path;
    const manifest = 'default.yaml';
    const about = (field: string): string[] => s.warnings.filter((w) => w.path.endsWith(field)).map((w) => w.message);
    expect(about('spec.template.spec.expireAfter')).toEqual([expect.stringMatching(/lists choices/)]);
    expect(about('spec.disruption.consolidationPolicy')).toEqual([expect.stringMatching(/lists choices/)]);
    expect(about('spec.disruption.budgets')).toEqual([]);
    expect(at('spec.template.spec.terminationGracePeriod')).toBeUndefined();
    expect(at('spec.template.spec.startupTaints')).toBeDefined();
    expect(at('spec.template.spec.requirements[0].minValues')).toBe(`${manifest}:67 NodePool/default spec.template.spec.requirements[0].minValues`);
    expect(at('spec.limits.nodes')).toBe(`${manifest}:125 NodePool/default spec.limits.nodes`);
    expect(at('spec.replicas')).toBe(`${manifest}:117 NodePool/default spec.replicas`);
  });

  it('names manifests as the scenario references them, so results do not depend on the working directory', async () => {
    const relative = await loadScenario('scenarios/nodepools/docs-example.yaml');
    const absolute = await loadScenario(resolve('scenarios/nodepools/docs-example.yaml'));
    expect(absolute.warnings).toEqual(relative.warnings);
  });

  it("takes the first of the docs' 'A | B' choices, and says so", async () => {
    const s = await loadScenario('scenarios/nodepools/docs-example.yaml');
    expect(s.cluster.nodePools[0]!.disruption.consolidateAfter).toBe(60_000);
    expect(s.warnings).toContainEqual({
      path: 'default.yaml:103 NodePool/default spec.disruption.consolidateAfter',
      message: expect.stringMatching(/'1m \| Never' lists choices .* using the first, 1m/),
    });
  });
});
