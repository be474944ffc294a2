import { describe, expect, it } from 'vitest';
import { liveObjects, liveRunWarnings } from '../../../harness/targets/live/execute-live.js';
import { scenario } from '../../support/scenarios.js';

const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'burstlab' } };

describe("a live run's objects and warnings", () => {
  it("applies the parts' objects after the scenario's own", () => {
    const { objects } = liveObjects(scenario(), 1, { objects: () => ({ objects: [HPA], warnings: [] }) });
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'DaemonSet', 'Deployment', 'HorizontalPodAutoscaler']);
  });

  it("keeps the parts' warnings beside the objects'", () => {
    const { warnings } = liveObjects(scenario(), 1, { objects: () => ({ objects: [], warnings: [{ path: 'workloads[0].baseLatency', message: 'x' }] }) });
    expect(warnings.map((w) => w.path)).toEqual(['workloads[0].startup', 'workloads[0].baseLatency']);
  });

  it('warns that API and watch latency are not compressed when the speed is above 1', () => {
    expect(liveRunWarnings(scenario(), 10).map((w) => w.path)).toEqual(['--speed']);
    expect(liveRunWarnings(scenario(), 10)[0]!.message).toContain('each costs 10 times its real duration in scenario time');
  });

  it('says nothing of the clock at speed 1', () => {
    expect(liveRunWarnings(scenario(), 1)).toEqual([]);
  });

  it('warns that NodePool changes and Spot interruptions are not played live', () => {
    const s = scenario({
      changes: [{ at: '5m', nodePool: 'default', set: { labels: { team: 'a' } } }],
      cloud: { profile: 'aws', spotInterruptions: { ratePerHour: 0.1 } },
    });
    expect(liveRunWarnings(s, 1).map((w) => w.path)).toEqual(['changes', 'cloud.spotInterruptions']);
  });
});
