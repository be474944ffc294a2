import { describe, expect, it } from 'vitest';
import { computeResults, type MetricsContext } from '../../../harness/metrics/compute.js';
import { LowerBound } from '../../../harness/metrics/lower-bound.js';
import { podToReady } from '../../../harness/metrics/pod-latency.js';
import type { RunEvent } from '../../../provisioner/runtime/events.js';

const A = 'arm';
const HOUR = 3_600_000;
const ev = (e: Record<string, unknown>): RunEvent => ({ autoscaler: A, ...e }) as unknown as RunEvent;
const created = (pod: string, t: number): RunEvent => ev({ t, type: 'pod.created', pod, workload: 'web', cpuMilli: 500, memoryMiB: 512, gpu: 0, priority: 0 });

function context(slo: MetricsContext['slo'] = []): MetricsContext {
  return {
    scenario: { name: 't', description: '', durationS: 1800, seed: 1, target: 'sim' },
    phases: [{ name: 'all', startS: 0, endS: 1800 }],
    slo,
    lowerBounds: { [A]: new LowerBound([{ cpuMilli: 1930, memoryMiB: 7000, pricePerHour: 0.096 }]) },
    pricing: { onDemand: '', spot: '' },
    onDemandPrice: () => undefined,
    warnings: [],
  };
}

/** 100 pods Ready a minute after creation, then 27 that waited 1,170-1,196 s for a node and were scaled away. */
function manyFastAndSomeGivenUp(): RunEvent[] {
  const events: RunEvent[] = [ev({ t: 0, type: 'run.started', target: 'sim', scenario: 't', seed: 1, epoch: '', kind: 'karpenter' })];
  for (let i = 0; i < 100; i++) {
    events.push(created(`fast-${i}`, 1000 * i), ev({ t: 1000 * i + 50_000, type: 'pod.scheduled', pod: `fast-${i}`, node: 'n' }), ev({ t: 1000 * i + 60_000, type: 'pod.ready', pod: `fast-${i}` }));
  }
  for (let i = 0; i < 27; i++) {
    events.push(
      created(`slow-${i}`, 200_000 + 1000 * i),
      ev({ t: 200_000 + 1000 * i, type: 'pod.unschedulable', pod: `slow-${i}`, reason: 'Insufficient cpu' }),
      ev({ t: 1_370_000 + 2000 * i, type: 'pod.deleted', pod: `slow-${i}`, reason: 'scale-down' }),
    );
  }
  events.push(ev({ t: 1_800_000, type: 'run.finished' }));
  return events.sort((a, b) => a.t - b.t);
}

describe('pods given up before they were Ready', () => {
  it('keep pod-to-ready p99 at or above the waits of the many pods that waited long and were then deleted', () => {
    const a = computeResults(manyFastAndSomeGivenUp(), context()).autoscalers[0]!;
    expect(a.podToReady.count).toBe(127);
    expect(a.podToReady.p99).toBeGreaterThanOrEqual(1_170);
    expect(a.podToReady.p90).toBeGreaterThanOrEqual(1_170);
  });

  it('are counted apart as abandoned, so created = ready + neverReady + abandoned', () => {
    const a = computeResults(manyFastAndSomeGivenUp(), context()).autoscalers[0]!;
    expect(a.pods).toMatchObject({ created: 127, ready: 100, neverReady: 0, abandoned: 27 });
    expect(a.phases[0]!.pods).toEqual({ created: 127, ready: 100, neverReady: 0, abandoned: 27 });
  });

  it('record the wait of the pods given up apart from that of the pods that became Ready', () => {
    const a = computeResults(manyFastAndSomeGivenUp(), context()).autoscalers[0]!;
    expect(a.pods.readyWait).toMatchObject({ count: 100, p50: 60, p90: 60 });
    expect(a.pods.abandonedWait).toMatchObject({ count: 27, p50: 1_183, max: 1_196 });
  });

  it('fail an SLO on the number of abandoned pods', () => {
    const a = computeResults(manyFastAndSomeGivenUp(), context([{ metric: 'pods.abandoned', op: '<=', threshold: 0 }])).autoscalers[0]!;
    expect(a.slo.checks[0]).toMatchObject({ actual: 27, passed: false });
  });

  it('count a pod Ready and deleted later as ready, and one deleted by the run teardown as never ready', () => {
    const events = [
      ev({ t: 0, type: 'run.started', target: 'sim', scenario: 't', seed: 1, epoch: '', kind: 'karpenter' }),
      created('served', 0),
      ev({ t: 1000, type: 'pod.scheduled', pod: 'served', node: 'n' }),
      ev({ t: 5000, type: 'pod.ready', pod: 'served' }),
      ev({ t: 9000, type: 'pod.deleted', pod: 'served', reason: 'scale-down' }),
      created('waiting', 0),
      ev({ t: 0, type: 'pod.unschedulable', pod: 'waiting', reason: 'Insufficient cpu' }),
      ev({ t: 60_000, type: 'pod.deleted', pod: 'waiting', reason: 'run-end' }),
      ev({ t: 60_000, type: 'run.finished' }),
    ];
    const a = computeResults(events, context()).autoscalers[0]!;
    expect(a.pods).toMatchObject({ created: 2, ready: 1, neverReady: 1, abandoned: 0 });
    expect(a.slowestPods[0]).toMatchObject({ pod: 'waiting', podToReadyS: 60, dominantPhase: 'never ready (waiting for a node)' });
  });

  it('are compared between arms', () => {
    const r = computeResults(manyFastAndSomeGivenUp(), context());
    expect(r.comparison.metrics.find((m) => m.metric === 'pods.abandoned')?.values).toEqual({ [A]: 27 });
  });
});

describe('minutes in SLO violation', () => {
  it('is absent without a request SLO, rather than a count of windows no SLO defined', () => {
    const r = computeResults(manyFastAndSomeGivenUp(), context());
    expect(r.autoscalers[0]!.sloMinutesInViolation).toBeNull();
    expect(r.comparison.metrics.map((m) => m.metric)).not.toContain('sloMinutesInViolation');
  });

  it('is counted once a request SLO defines a violation', () => {
    const r = computeResults(manyFastAndSomeGivenUp(), context([{ metric: 'requests.successRate', op: '>=', threshold: 0.99 }]));
    expect(r.autoscalers[0]!.sloMinutesInViolation).toBe(0);
  });
});

describe('the idle share', () => {
  it('is measured against allocatable CPU, not raw capacity', () => {
    const events = [
      ev({ t: 0, type: 'run.started', target: 'sim', scenario: 't', seed: 1, epoch: '', kind: 'karpenter' }),
      ev({ t: 0, type: 'node.launched', node: 'n', instanceType: 'm5.large', zone: 'z', capacityType: 'on-demand', pricePerHour: 0.096, cpuMilli: 2000, memoryMiB: 8192, allocatableCpuMilli: 1930, allocatableMemoryMiB: 7000, owner: 'default', initial: false }),
      created('p', 0),
      ev({ t: 0, type: 'pod.scheduled', pod: 'p', node: 'n' }),
      ev({ t: 1000, type: 'pod.ready', pod: 'p' }),
      ev({ t: 3_600_000, type: 'run.finished' }),
    ];
    expect(computeResults(events, context()).autoscalers[0]!.cost.idleShare).toBeCloseTo(1 - 500 / 1930, 4);
  });
});

describe('the cost lower bound of a run', () => {
  it('counts pods only while they run on a node, never one that waited for a node that never came', () => {
    const events = [
      ev({ t: 0, type: 'run.started', target: 'sim', scenario: 't', seed: 1, epoch: '', kind: 'karpenter' }),
      ev({ t: 0, type: 'node.launched', node: 'n', instanceType: 'm5.large', zone: 'z', capacityType: 'on-demand', pricePerHour: 0.096, cpuMilli: 2000, memoryMiB: 8192, allocatableCpuMilli: 1930, allocatableMemoryMiB: 7000, owner: 'default', initial: false }),
      created('runs', 0),
      ev({ t: 0, type: 'pod.scheduled', pod: 'runs', node: 'n' }),
      ev({ t: 1000, type: 'pod.ready', pod: 'runs' }),
      ev({ t: 30 * HOUR, type: 'pod.deleted', pod: 'runs', reason: 'scale-down' }),
      created('never-fits', 0),
      ev({ t: 0, type: 'pod.unsatisfiable', pod: 'never-fits', reason: 'no instance type has enough cpu' }),
      ev({ t: 40 * HOUR, type: 'run.finished' }),
    ];
    const a = computeResults(events, context()).autoscalers[0]!;
    // 30 hours of 500m / 512Mi on the only shape (1930m, 7000Mi, $0.096/h): CPU is the binding resource.
    const perHour = 0.096 * Math.max(500 / 1930, 512 / 7000);
    expect(a.cost.lowerBoundUSD).toBe(Math.round(perHour * 30 * 100) / 100);
    expect(a.cost.totalUSD).toBeGreaterThanOrEqual(a.cost.lowerBoundUSD);
  });
});

describe('pod-to-ready from the log alone', () => {
  it('matches results.json, so the quantiles can be re-checked from events.jsonl', () => {
    const events = manyFastAndSomeGivenUp();
    expect(podToReady(events, A)).toEqual(computeResults(events, context()).autoscalers[0]!.podToReady);
  });
});
