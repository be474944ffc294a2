import { describe, expect, it } from 'vitest';
import type { AutoscalerResult } from '../../../harness/metrics/results.js';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { agreementModel, describeDifference } from '../../../reports/model/agreement.js';
import { makeReportFixture } from '../../support/report-fixture.js';

const base = makeReportFixture({ durationS: 3_600, peakPods: 30 }).results.autoscalers.find((a) => a.kind === 'karpenter')!;

function arm(name: string, kind: string, o: { launched?: number; cost?: number; p99?: number; podCount?: number } = {}): AutoscalerResult {
  return {
    ...base,
    name,
    kind,
    nodes: { ...base.nodes, launched: o.launched ?? 10 },
    cost: { ...base.cost, totalUSD: o.cost ?? 5 },
    podToReady: { ...base.podToReady, p99: o.p99 ?? 60, count: o.podCount ?? 100 },
  };
}

function launch(autoscaler: string, tS: number, instanceType: string, node: string): RunEvent {
  return { t: tS * 1000, autoscaler, type: 'node.launched', node, instanceType, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.1, initial: false } as RunEvent;
}

const goal = (a: ReturnType<typeof agreementModel>, metric: string): boolean | undefined => a!.rows.find((r) => r.metric === metric)!.passed;

describe('the agreement of the bundled Karpenter with the real one', () => {
  it('exists only when the run has both a karpenter and a karpenter-upstream arm', () => {
    expect(agreementModel([arm('ca', 'cluster-autoscaler'), arm('k', 'karpenter')], new Map())).toBeNull();
    expect(agreementModel([arm('k', 'karpenter'), arm('u', 'karpenter-upstream')], new Map())).not.toBeNull();
  });

  it('passes node count and cost within 10% of upstream and fails beyond', () => {
    const a = agreementModel([arm('k', 'karpenter', { launched: 11, cost: 5.5 }), arm('u', 'karpenter-upstream', { launched: 10, cost: 5 })], new Map());
    expect([goal(a, 'nodes launched'), goal(a, 'cost')]).toEqual([true, true]);
    const b = agreementModel([arm('k', 'karpenter', { launched: 12, cost: 4.4 }), arm('u', 'karpenter-upstream', { launched: 10, cost: 5 })], new Map());
    expect([goal(b, 'nodes launched'), goal(b, 'cost'), b!.passed]).toEqual([false, false, false]);
  });

  it('passes pod-to-ready p99 within 15% and fails it when an arm measured no pod', () => {
    expect(goal(agreementModel([arm('k', 'karpenter', { p99: 69 }), arm('u', 'karpenter-upstream', { p99: 60 })], new Map()), 'pod-to-ready p99')).toBe(true);
    expect(goal(agreementModel([arm('k', 'karpenter', { p99: 70 }), arm('u', 'karpenter-upstream', { p99: 60 })], new Map()), 'pod-to-ready p99')).toBe(false);
    const none = agreementModel([arm('k', 'karpenter'), arm('u', 'karpenter-upstream', { podCount: 0 })], new Map());
    expect(none!.rows.find((r) => r.metric === 'pod-to-ready p99')).toMatchObject({ upstream: null, difference: null, passed: false });
  });

  it('names the launch batches where the arms chose different instance types, with each arm\'s choice', () => {
    const events = new Map([
      ['k', [launch('k', 15, 'm5.2xlarge', 'k1'), launch('k', 16, 'm5.2xlarge', 'k2'), launch('k', 100, 'c5.large', 'k3')]],
      ['u', [launch('u', 16, 'm5.4xlarge', 'u1'), launch('u', 100, 'c5.large', 'u2')]],
    ]);
    const a = agreementModel([arm('k', 'karpenter'), arm('u', 'karpenter-upstream')], events)!;
    expect(a.differences.map(describeDifference)).toEqual(['batch 1 (bundled at 15 s, upstream at 16 s): bundled chose 2 m5.2xlarge; upstream chose 1 m5.4xlarge']);
  });
});
