import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { simulate } from '../../support/interruptions.js';
import { eventsOf, scenario, scenarioData } from '../../support/scenarios.js';

const KARPENTER = [{ name: 'karpenter', kind: 'karpenter' }];

/** A karpenter-only scenario whose one NodePool has the given settings. */
function withPool(pool: Record<string, unknown>, overrides: Record<string, unknown> = {}): ReturnType<typeof scenario> {
  const data = scenarioData();
  return scenario({
    autoscalers: KARPENTER,
    cluster: { ...(data.cluster as object), nodePools: [{ name: 'default', disruption: { consolidationPolicy: 'WhenEmpty' }, ...pool }] },
    ...overrides,
  });
}

function nodesAt0(events: readonly RunEvent[]): string[] {
  return eventsOf(events, 'karpenter', 'node.launched').filter((e) => e.t === 0).map((e) => e.node);
}

describe('expiration', () => {
  it('replaces and removes a node at expireAfter', async () => {
    const events = await simulate(withPool({ disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '10m' } }, { duration: '18m' }), 'karpenter');
    const [first] = nodesAt0(events);
    const decided = eventsOf(events, 'karpenter', 'disruption.decided').find((e) => e.nodes.includes(first!))!;
    expect(decided).toMatchObject({ t: 600_000, method: 'expiration', reason: 'Expired', savingsPerHour: 0, pods: 2 });
    expect(decided.replacements).toHaveLength(1);
    const replacement = eventsOf(events, 'karpenter', 'node.launched').find((e) => e.node === decided.replacements[0])!;
    expect(replacement.t).toBe(600_000);
    const terminated = eventsOf(events, 'karpenter', 'node.terminated').find((e) => e.node === first)!;
    expect(terminated).toMatchObject({ reason: 'Expired' });
    expect(terminated.t).toBeGreaterThan(600_000);
    const evicted = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Expired');
    expect(evicted.map((e) => e.reason)).toEqual(['evicted', 'evicted']);
    const movedTo = eventsOf(events, 'karpenter', 'pod.scheduled').filter((e) => e.t > 600_000).map((e) => e.node);
    expect(movedTo).toEqual([replacement.node, replacement.node]);
  });

  it('leaves nodes alone while they are younger than expireAfter', async () => {
    const events = await simulate(withPool({ disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '1h' } }, { duration: '18m' }), 'karpenter');
    expect(eventsOf(events, 'karpenter', 'disruption.decided')).toEqual([]);
  });
});

describe('termination grace', () => {
  const pinned = { workloads: [{ name: 'web', replicas: 2, doNotDisrupt: true, resources: { cpu: '500m', memory: '512Mi' } }] };

  it('deletes pods that block the drain once the node has drained for terminationGracePeriod', async () => {
    const s = withPool({ terminationGracePeriod: '5m', disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '10m' } }, { duration: '19m', ...pinned });
    const events = await simulate(s, 'karpenter');
    const [first] = nodesAt0(events);
    const deleted = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Expired');
    expect(deleted.map((e) => [e.t, e.reason])).toEqual([
      [900_000, 'node-terminated'],
      [900_000, 'node-terminated'],
    ]);
    const terminated = eventsOf(events, 'karpenter', 'node.terminated').find((e) => e.node === first)!;
    expect(terminated.t).toBeGreaterThanOrEqual(900_000);
  });

  it("waits out a pod's do-not-disrupt duration in an expired node's drain, then evicts it before the grace period", async () => {
    const young = { workloads: [{ name: 'web', replicas: 2, doNotDisrupt: '12m', resources: { cpu: '500m', memory: '512Mi' } }] };
    const s = withPool({ terminationGracePeriod: '15m', disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '10m' } }, { duration: '19m', ...young });
    const events = await simulate(s, 'karpenter');
    const [first] = nodesAt0(events);
    expect(eventsOf(events, 'karpenter', 'disruption.decided').find((e) => e.nodes.includes(first!))).toMatchObject({ t: 600_000, reason: 'Expired' });
    const moved = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Expired');
    expect(moved.map((e) => e.reason)).toEqual(['evicted', 'evicted']);
    for (const e of moved) expect(e.t).toBeGreaterThanOrEqual(720_000);
    for (const e of moved) expect(e.t).toBeLessThan(15 * 60_000);
  });

  it('waits for ever on a blocked drain without terminationGracePeriod', async () => {
    const s = withPool({ disruption: { consolidationPolicy: 'WhenEmpty', expireAfter: '10m' } }, { duration: '40m', ...pinned });
    const events = await simulate(s, 'karpenter');
    const [first] = nodesAt0(events);
    expect(eventsOf(events, 'karpenter', 'node.cordoned').map((e) => e.node)).toContain(first);
    expect(eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause !== undefined)).toEqual([]);
    expect(eventsOf(events, 'karpenter', 'node.terminated').map((e) => e.node)).not.toContain(first);
  });
});
