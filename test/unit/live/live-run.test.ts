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

  it('plays NodePool changes live and warns that Spot interruptions are not raised', () => {
    const s = scenario({
      changes: [{ at: '5m', nodePool: 'default', set: { labels: { team: 'a' } } }],
      cloud: { profile: 'aws', spotInterruptions: { ratePerHour: 0.1 } },
    });
    expect(liveRunWarnings(s, 1).map((w) => w.path)).toEqual(['cloud.spotInterruptions']);
  });

  it('warns that a withdrawal is not played on the real Karpenter, which reads its instance types once', () => {
    const withdraw = { changes: [{ at: '5m', withdraw: { instanceTypes: ['m5.large'] } }] };
    expect(liveRunWarnings(scenario(withdraw), 1)).toEqual([]);
    const upstream = scenario({ ...withdraw, autoscalers: [{ name: 'real', kind: 'karpenter-upstream' }] });
    expect(liveRunWarnings(upstream, 1).map((w) => `${w.path}: ${w.message}`)).toEqual([expect.stringMatching(/^changes\[0\]: the real Karpenter \(arm 'real'\)/)]);
  });
});
