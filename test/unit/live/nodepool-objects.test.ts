import { describe, expect, it } from 'vitest';
import { nodePoolObject, nodePoolSpecOf } from '../../../harness/targets/live/nodepool-objects.js';
import { parseScenario } from '../../../scenarios/load.js';
import { scenarioData } from '../../support/scenarios.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function poolOf(pool: Record<string, unknown>): ReturnType<typeof parseScenario>['cluster']['nodePools'][number] {
  const data = scenarioData();
  return parseScenario({ ...data, cluster: { ...(data.cluster as object), nodePools: [pool] } }).cluster.nodePools[0]!;
}

describe('NodePools as karpenter.sh/v1 objects', () => {
  it('come back from their object as the same NodePool', () => {
    const spec = poolOf({
      name: 'web',
      weight: 10,
      labels: { team: 'web' },
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      requirements: [
        { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'], minValues: 2 },
        { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
      ],
      limits: { cpu: 500, memory: '1000Gi' },
      terminationGracePeriod: '10m',
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '90s', expireAfter: 'Never', budgets: [{ nodes: '20%', schedule: '0 9 * * *', duration: '1h30m', reasons: ['Empty'] }] },
    });
    const { object, warnings } = nodePoolObject(spec);
    expect(warnings).toEqual([]);
    expect(nodePoolSpecOf(object, ZONES)).toEqual({ ...spec, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } });
  });

  it('say so when a duration is rounded to what the API can hold', () => {
    const spec = poolOf({ name: 'web', disruption: { consolidateAfter: '1500ms' } });
    const { object, warnings } = nodePoolObject(spec);
    expect(warnings).toEqual(['NodePool web consolidateAfter: 1500 ms rounded up to 2s (the API takes whole seconds)']);
    expect(nodePoolSpecOf(object, ZONES).disruption.consolidateAfter).toBe(2000);
  });

  it('take the API server\'s defaults for what the object leaves out', () => {
    const stored = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'web', uid: 'u', resourceVersion: '7', managedFields: [] },
      spec: {
        template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [], expireAfter: '720h' } },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', budgets: [{ nodes: '10%' }] },
      },
      status: { conditions: [] },
    };
    const spec = nodePoolSpecOf(stored, ZONES);
    expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 0, expireAfter: 720 * 3_600_000, budgets: [{ nodes: '10%' }] });
  });
});
