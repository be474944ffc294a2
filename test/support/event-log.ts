/**
 * A hand-built event log for one arm, for tests of what reads disruption events (metrics, explain, reports):
 * `log().node('n1', 0).pod('web-1', 'web', 0, { on: 'n1', readyAt: 5 }).blocked('n1', 60, 'budget').end(600)`.
 * Times are seconds; every event follows provisioner/runtime/events.ts.
 */
import { computeResults, type SloThreshold } from '../../harness/metrics/compute.js';
import { LowerBound } from '../../harness/metrics/lower-bound.js';
import type { DisruptionBlocked, DisruptionDecided, DisruptionReason, NodeInterruption, RunEvent } from '../../provisioner/runtime/events.js';
import type { Fixture } from './report-fixture.js';

export interface LogNodeOptions {
  type?: string;
  price?: number;
  pool?: string;
  capacityType?: 'spot' | 'on-demand';
  initial?: boolean;
  /** When the node became Ready (seconds); null for one never Ready. At launch unless given. */
  readyAt?: number | null;
}

export interface LogPodOptions {
  on?: string;
  readyAt?: number;
  priority?: number;
}

export class EventLog {
  readonly events: RunEvent[] = [];

  constructor(readonly arm: string, kind: string, epoch: string) {
    this.events.push({ t: 0, autoscaler: arm, type: 'run.started', target: 'sim', scenario: 'hand-built', seed: 1, epoch, kind });
  }

  private add(tS: number, e: Record<string, unknown> & { type: RunEvent['type'] }): this {
    this.events.push({ ...e, t: Math.round(tS * 1000), autoscaler: this.arm } as RunEvent);
    return this;
  }

  node(name: string, tS: number, o: LogNodeOptions = {}): this {
    this.add(tS, {
      type: 'node.launched', node: name, instanceType: o.type ?? 'm5.large', zone: 'us-east-1a', capacityType: o.capacityType ?? 'on-demand',
      pricePerHour: o.price ?? 0.096, cpuMilli: 2000, memoryMiB: 7680, allocatableCpuMilli: 1930, owner: o.pool ?? 'default', initial: o.initial ?? tS === 0,
    });
    const readyAt = o.readyAt === undefined ? tS : o.readyAt;
    return readyAt === null ? this : this.add(readyAt, { type: 'node.ready', node: name });
  }

  terminated(node: string, tS: number, reason = 'consolidated'): this {
    return this.add(tS, { type: 'node.terminated', node, reason });
  }

  pod(name: string, workload: string, tS: number, o: LogPodOptions = {}): this {
    this.add(tS, { type: 'pod.created', pod: name, workload, cpuMilli: 500, memoryMiB: 512, gpu: 0, priority: o.priority ?? 0 });
    if (o.on !== undefined) this.add(tS, { type: 'pod.scheduled', pod: name, node: o.on });
    return o.readyAt === undefined ? this : this.ready(name, o.readyAt);
  }

  scheduled(pod: string, node: string, tS: number): this {
    return this.add(tS, { type: 'pod.scheduled', pod, node });
  }

  unschedulable(pod: string, tS: number, reason = 'Insufficient cpu'): this {
    return this.add(tS, { type: 'pod.unschedulable', pod, reason });
  }

  ready(pod: string, tS: number): this {
    return this.add(tS, { type: 'pod.ready', pod });
  }

  /** A pod evicted or lost with its node, for `cause`. */
  disrupted(pod: string, tS: number, cause: DisruptionReason, reason: 'evicted' | 'node-terminated' = 'evicted'): this {
    return this.add(tS, { type: 'pod.deleted', pod, reason, cause });
  }

  deleted(pod: string, tS: number, reason: 'scale-down' | 'run-end' = 'scale-down'): this {
    return this.add(tS, { type: 'pod.deleted', pod, reason });
  }

  decided(tS: number, d: Partial<Omit<DisruptionDecided, 't' | 'autoscaler' | 'type'>> & { nodes: string[] }): this {
    return this.add(tS, {
      type: 'disruption.decided', method: 'single-node-consolidation', reason: 'Underutilized', replacements: [], replacementTypes: [], savingsPerHour: 0, pods: 0, ...d,
    });
  }

  blocked(node: string, tS: number, blockedBy: DisruptionBlocked['blockedBy'], detail = '', reason: DisruptionReason = 'Underutilized', nodepool = 'default'): this {
    return this.add(tS, { type: 'disruption.blocked', node, nodepool, reason, blockedBy, detail });
  }

  /** The same block once per `everyS` seconds from `fromS` to `toS` inclusive, as a decision loop logs it each round. */
  blockedEvery(node: string, fromS: number, toS: number, everyS: number, blockedBy: DisruptionBlocked['blockedBy'], detail = ''): this {
    for (let t = fromS; t <= toS; t += everyS) this.blocked(node, t, blockedBy, detail);
    return this;
  }

  evictionBlocked(pod: string, node: string, tS: number, pdb: string): this {
    return this.add(tS, { type: 'eviction.blocked', pod, node, pdb });
  }

  interruption(node: string, tS: number, kind: NodeInterruption['kind'] = 'spot-interruption'): this {
    return this.add(tS, { type: 'node.interruption', node, kind, ...(kind === 'spot-interruption' ? { deadlineT: Math.round((tS + 120) * 1000) } : {}) });
  }

  end(tS: number): RunEvent[] {
    this.add(tS, { type: 'run.finished' });
    return [...this.events].sort((a, b) => a.t - b.t);
  }
}

/** A Karpenter arm's log starting at 10:00 UTC, so times read as clock times in explanations. */
export function log(arm = 'karpenter', kind = 'karpenter'): EventLog {
  return new EventLog(arm, kind, '2026-11-20T10:00:00Z');
}

/** A run of hand-built events as `burstlab run` would save it: results.json computed from them, a run.json. */
export function runOf(events: RunEvent[], slo: SloThreshold[] = []): Fixture {
  const arms = [...new Set(events.filter((e) => e.type === 'run.started').map((e) => e.autoscaler))];
  const durationS = Math.max(1, ...events.map((e) => e.t / 1000));
  const results = computeResults(events, {
    scenario: { name: 'hand-built', description: '', durationS, seed: 1, target: 'sim' },
    phases: [{ name: 'all', startS: 0, endS: durationS }],
    slo,
    lowerBounds: Object.fromEntries(arms.map((a) => [a, new LowerBound([{ cpuMilli: 1930, memoryMiB: 7000, pricePerHour: 0.096 }])])),
    pricing: { onDemand: 'list', spot: 'modelled' },
    onDemandPrice: () => undefined,
    warnings: [],
  });
  const meta: Fixture['meta'] = {
    schema: 'burstlab/run/v1', startedAt: '2026-11-20T10:00:00.000Z', finishedAt: '2026-11-20T10:00:01.000Z', burstlabVersion: '0.1.0',
    nodeVersion: process.version, target: 'sim', scenarioFile: 'hand-built.yaml', argv: ['run', 'hand-built.yaml'], components: {},
  };
  return { results, events, meta };
}
