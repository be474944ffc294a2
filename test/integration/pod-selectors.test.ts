import { describe, expect, it } from 'vitest';
import { eventsOf, run } from '../support/scenarios.js';

/** The pods of `workload` an arm scheduled, and the zones of every node they were scheduled to (a move included). */
function placements(events: Awaited<ReturnType<typeof run>>['events'], armName: string, workload: string): { pods: number; zones: Set<string> } {
  const zoneOfNode = new Map(eventsOf(events, armName, 'node.launched').map((e) => [e.node, e.zone]));
  const pods = new Set(eventsOf(events, armName, 'pod.created').filter((e) => e.workload === workload).map((e) => e.pod));
  const scheduled = eventsOf(events, armName, 'pod.scheduled').filter((e) => pods.has(e.pod));
  return { pods: new Set(scheduled.map((e) => e.pod)).size, zones: new Set(scheduled.map((e) => zoneOfNode.get(e.node)!)) };
}

describe('pod affinity and labelSelectors in the sim', () => {
  it('schedules a workload with zone affinity to another workload in the zone that workload runs in, on both arms', async () => {
    const { events } = await run({
      duration: '10m',
      workloads: [
        { name: 'db', labels: { tier: 'data' }, replicas: 1, resources: { cpu: '500m', memory: '512Mi' }, nodeAffinity: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1b'] }] },
        {
          name: 'web',
          replicas: 1,
          resources: { cpu: '1500m', memory: '1Gi' },
          podAffinity: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'data' } } }],
          schedule: [{ at: '00:01', replicas: 12 }],
        },
      ],
    });
    for (const armName of ['cluster-autoscaler', 'karpenter']) {
      const { pods, zones } = placements(events, armName, 'web');
      expect(pods, armName).toBeGreaterThanOrEqual(12);
      expect(zones, armName).toEqual(new Set(['us-east-1b']));
    }
  }, 120_000);

  it('keeps a workload out of every node running pods its anti-affinity selects in another workload', async () => {
    const { events } = await run({
      duration: '10m',
      workloads: [
        { name: 'noisy', labels: { role: 'batch' }, replicas: 4, resources: { cpu: '200m', memory: '256Mi' } },
        {
          name: 'quiet',
          replicas: 4,
          resources: { cpu: '200m', memory: '256Mi' },
          podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['batch'] }] } }],
        },
      ],
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    const scheduled = eventsOf(events, 'karpenter', 'pod.scheduled');
    const created = new Map(eventsOf(events, 'karpenter', 'pod.created').map((e) => [e.pod, e.workload]));
    const nodesOf = (w: string): Set<string> => new Set(scheduled.filter((e) => created.get(e.pod) === w).map((e) => e.node));
    expect(nodesOf('quiet').size).toBeGreaterThan(0);
    expect([...nodesOf('quiet')].filter((n) => nodesOf('noisy').has(n))).toEqual([]);
  }, 120_000);
});
