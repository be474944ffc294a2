import { describe, expect, it } from 'vitest';
import { computeResults, type MetricsContext } from '../../../harness/metrics/compute.js';
import { DEFINITIONS } from '../../../harness/metrics/definitions.js';
import { disruptionImpact } from '../../../harness/metrics/disruption.js';
import { LowerBound } from '../../../harness/metrics/lower-bound.js';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { verifyEvents } from '../../../harness/verify/verify.js';
import { log } from '../../support/event-log.js';

const END_S = 600;

function context(arms: string[]): MetricsContext {
  return {
    scenario: { name: 't', description: '', durationS: END_S, seed: 1, target: 'sim' },
    phases: [{ name: 'all', startS: 0, endS: END_S }],
    slo: [],
    lowerBounds: Object.fromEntries(arms.map((a) => [a, new LowerBound([{ cpuMilli: 1930, memoryMiB: 7000, pricePerHour: 0.096 }])])),
    pricing: { onDemand: '', spot: '' },
    onDemandPrice: () => undefined,
    warnings: [],
  };
}

const impact = (events: RunEvent[]): ReturnType<typeof disruptionImpact> => disruptionImpact(events, END_S * 1000);

/** Two web pods on n1; n1 is consolidated at 100 s: both evicted, their replacements Ready on n2 later. */
function consolidatedNode(): ReturnType<typeof log> {
  return log()
    .node('n1', 0, { price: 0.192 })
    .node('n2', 0)
    .pod('web-1', 'web', 0, { on: 'n1', readyAt: 0 })
    .pod('web-2', 'web', 0, { on: 'n1', readyAt: 0 })
    .decided(90, { nodes: ['n1'], savingsPerHour: 0.192, pods: 2 })
    .disrupted('web-1', 100, 'Underutilized')
    .disrupted('web-2', 100, 'Underutilized')
    .terminated('n1', 101);
}

describe('disruption impact', () => {
  it('counts a disrupted pod replaced 40 s later as 40 pod-seconds unavailable', () => {
    const events = log().node('n1', 0).pod('web-1', 'web', 0, { on: 'n1', readyAt: 0 }).disrupted('web-1', 100, 'Underutilized').pod('web-2', 'web', 100, { on: 'n1', readyAt: 140 }).end(END_S);
    const d = impact(events);
    expect(d.podsDisrupted).toEqual({ total: 1, byCause: { Underutilized: 1 } });
    expect(d.podSecondsUnavailable).toEqual({ total: 40, byCause: { Underutilized: 40 } });
  });

  it('counts a disrupted pod never replaced until the run ends', () => {
    const events = log().node('n1', 0).pod('web-1', 'web', 0, { on: 'n1', readyAt: 0 }).disrupted('web-1', 100, 'Expired').end(END_S);
    expect(impact(events).podSecondsUnavailable).toEqual({ total: END_S - 100, byCause: { Expired: END_S - 100 } });
  });

  it('pairs replacements first in, first out within a workload', () => {
    const events = consolidatedNode().pod('web-3', 'web', 100, { on: 'n2', readyAt: 110 }).pod('web-4', 'web', 100, { on: 'n2', readyAt: 130 }).end(END_S);
    expect(impact(events).podSecondsUnavailable.total).toBe(10 + 30);
  });

  it('does not let a pod of another workload replace a disrupted one', () => {
    const events = consolidatedNode().pod('api-1', 'api', 100, { on: 'n2', readyAt: 105 }).pod('web-3', 'web', 100, { on: 'n2', readyAt: 150 }).end(END_S);
    expect(impact(events).podSecondsUnavailable.total).toBe(50 + (END_S - 100));
  });

  it('counts a replacement created before the old pod was gone, and Ready at once, as no time unavailable', () => {
    const events = log().node('n1', 0).pod('web-1', 'web', 0, { on: 'n1', readyAt: 0 }).pod('web-2', 'web', 95, { on: 'n1' }).disrupted('web-1', 100, 'Drifted').ready('web-2', 100).end(END_S);
    expect(impact(events).podSecondsUnavailable).toEqual({ total: 0, byCause: { Drifted: 0 } });
  });

  it('leaves pods deleted without a cause and placeholders out', () => {
    const events = log()
      .node('n1', 0)
      .pod('web-1', 'web', 0, { on: 'n1', readyAt: 0 })
      .pod('pause-1', 'pause', 0, { on: 'n1', readyAt: 0, priority: -10 })
      .deleted('web-1', 100)
      .disrupted('pause-1', 100, 'Underutilized')
      .end(END_S);
    expect(impact(events).podsDisrupted.total).toBe(0);
    expect(impact(events).podSecondsUnavailable.total).toBe(0);
  });

  it('counts decisions by method and reason, removed and replaced nodes and the savings', () => {
    const events = log()
      .node('n1', 0)
      .node('n2', 0)
      .node('n3', 0)
      .decided(60, { method: 'emptiness', reason: 'Empty', nodes: ['n1', 'n2'], savingsPerHour: 0.192 })
      .decided(120, { nodes: ['n3'], replacements: ['default-abc'], replacementTypes: ['t3.small'], savingsPerHour: 0.0752 })
      .end(END_S);
    const d = impact(events);
    expect(d.decisions).toEqual({ total: 2, byMethod: { emptiness: 1, 'single-node-consolidation': 1 }, byReason: { Empty: 1, Underutilized: 1 } });
    expect(d.nodesRemoved).toBe(2);
    expect(d.nodesReplaced).toBe(1);
    expect(d.savingsPerHourUSD).toBe(0.2672);
  });

  it('counts blocked rounds by what blocked them, the nodes they name and the evictions a PDB refused', () => {
    const events = log()
      .node('n1', 0)
      .node('n2', 0)
      .blockedEvery('n1', 30, 120, 30, 'budget')
      .blocked('n2', 60, 'pdb', 'web-pdb allows 0 disruptions')
      .evictionBlocked('web-1', 'n2', 200, 'web-pdb')
      .interruption('n2', 300)
      .end(END_S);
    expect(impact(events).blocked).toEqual({ total: 5, byReason: { budget: 4, pdb: 1 }, nodes: 2, evictionsByPdb: 1 });
    expect(impact(events).interruptions).toEqual({ total: 1, byKind: { 'spot-interruption': 1 } });
  });

  it('is in results.json per arm, defined in words and compared between arms, lower being better', () => {
    const events = consolidatedNode().pod('web-3', 'web', 100, { on: 'n2', readyAt: 120 }).end(END_S);
    const r = computeResults(events, context(['karpenter']));
    expect(r.autoscalers[0]!.disruption.podSecondsUnavailable.total).toBe(20 + (END_S - 100));
    expect(r.definitions.disruptionImpact).toBe(DEFINITIONS.disruptionImpact);
    expect(r.comparison.metrics.find((m) => m.metric === 'disruption.podSecondsUnavailable.total')).toMatchObject({ better: 'lower', values: { karpenter: 520 } });
  });

  it('is recomputed from the log by verify, which catches an edited value', () => {
    const events = consolidatedNode().end(END_S);
    const r = computeResults(events, context(['karpenter']));
    expect(verifyEvents(events, r).violations).toEqual([]);
    r.autoscalers[0]!.disruption.podSecondsUnavailable.total = 1;
    expect(verifyEvents(events, r).violations.map((v) => v.detail).join('\n')).toContain('disruption.podSecondsUnavailable.total');
  });
});
