import { describe, expect, it } from 'vitest';
import { LiveChaos, type ArmFaultHooks, type LiveFaultNode } from '../../../harness/chaos/kwok/live-chaos.js';
import { faultPlan } from '../../../harness/chaos/plan.js';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import type { EventBody, NodeInterruption } from '../../../provisioner/runtime/events.js';
import { testCatalog } from '../../support/builders.js';
import { scenario } from '../../support/scenarios.js';

/** What the doubles saw, in order, stamped with the scenario time. */
type Seen = Array<[number, string]>;

function spotNode(name: string, zone = 'us-east-1a', pods = [`burstlab/${name}-pod`]): LiveFaultNode {
  return { name, zone, capacityType: 'spot', instanceType: 'm5.large', owner: 'default', ownerKind: 'nodepool', labels: {}, pods, cordoned: false };
}

/** A fault plan played on a fake cluster and arm: every effect is logged as `[t, what]`, every event kept. */
function play(faults: unknown[], nodes: LiveFaultNode[], arm: Partial<Record<keyof ArmFaultHooks, boolean>> = {}, apiDown = false) {
  const clock = new VirtualClock();
  const seen: Seen = [];
  const events: Array<[number, EventBody]> = [];
  const failures: unknown[] = [];
  let alive = [...nodes];
  const log = (what: string): void => void seen.push([clock.now(), what]);
  const hooks: ArmFaultHooks = {
    ...(arm.notice === false ? {} : { notice: async (node: string, kind: NodeInterruption['kind']) => log(`notice ${kind} ${node}`) }),
    reclaimed: async (node) => log(`forget ${node}`),
    refuse: (offerings, on) => log(`${on ? 'refuse' : 'accept'} ${offerings.length}`),
    throttle: (on) => log(`throttle ${on}`),
    crash: async () => log('crash'),
    restart: async () => log('restart'),
  };
  const chaos = new LiveChaos({
    clock,
    recorder: { emit: (body) => void events.push([clock.now(), body]) },
    cluster: {
      nodes: () => alive,
      setNotReady: async (node, on) => (apiDown ? Promise.reject(new Error('API down')) : log(`${on ? 'not-ready' : 'ready'} ${node}`)),
      reclaim: async (gone) => {
        alive = alive.filter((n) => !gone.includes(n.name));
        log(`reclaim ${gone.join(',')}`);
      },
    },
    arm: hooks,
    catalog: testCatalog(),
    armName: 'karpenter',
    fail: (err) => void failures.push(err),
  });
  const s = scenario({ duration: '1h', faults });
  chaos.install(faultPlan(s, testCatalog()));
  return { clock, seen, events, failures, chaos, run: () => clock.runUntilSettled(s.duration) };
}

const of = (events: Array<[number, EventBody]>, type: string): Array<[number, EventBody]> => events.filter(([, e]) => e.type === type);

describe('the kwok fault back end', () => {
  it('logs every injection of the plan as chaos.planned at the start', () => {
    const { events } = play([{ type: 'api-throttling', at: '5m', duration: '2m' }], []);
    expect(of(events, 'chaos.planned')).toEqual([[0, expect.objectContaining({ id: 'faults[0]', fault: 'api-throttling', atT: 300_000, untilT: 420_000 })]]);
  });

  it('warns the arm of a Spot interruption, then reclaims the instance at the deadline', async () => {
    const t = play([{ type: 'spot-interruption', at: '10m', nodes: 1, durationBeforeInterruption: '3m' }], [spotNode('a')]);
    await t.run();
    expect(t.seen).toEqual([
      [600_000, 'notice rebalance-recommendation a'],
      [660_000, 'notice spot-interruption a'],
      [780_000, 'reclaim a'],
      [780_000, 'forget a'],
    ]);
    expect(of(t.events, 'node.interruption').map(([at, e]) => [at, (e as NodeInterruption).kind, (e as NodeInterruption).deadlineT])).toEqual([
      [600_000, 'rebalance-recommendation', undefined],
      [660_000, 'spot-interruption', 780_000],
    ]);
  });

  it('records the nodes hit and their pods as the displaced pods', async () => {
    const t = play([{ type: 'spot-interruption', at: '10m', nodes: 1 }], [spotNode('a', 'us-east-1a', ['burstlab/p1', 'burstlab/p2'])]);
    await t.run();
    expect(of(t.events, 'chaos.injected')).toEqual([[600_000, expect.objectContaining({ id: 'faults[0]', targets: ['a'], pods: ['burstlab/p1', 'burstlab/p2'] })]]);
    expect(of(t.events, 'chaos.recovered')).toEqual([[720_000, expect.objectContaining({ id: 'faults[0]' })]]);
  });

  it('still reclaims the instance of an arm that hears no notices', async () => {
    const t = play([{ type: 'spot-interruption', at: '10m', nodes: 1 }], [spotNode('a')], { notice: false });
    await t.run();
    expect(t.seen).toEqual([
      [720_000, 'reclaim a'],
      [720_000, 'forget a'],
    ]);
  });

  it('hits only Spot nodes with a Spot interruption, as many as asked, the same ones for the same seed', async () => {
    const nodes = ['a', 'b', 'c', 'd'].map((n) => spotNode(n));
    const onDemand = { ...spotNode('e'), capacityType: 'on-demand' as const };
    const first = play([{ type: 'spot-interruption', at: '1m', percent: 50 }], [...nodes, onDemand]);
    const second = play([{ type: 'spot-interruption', at: '1m', percent: 50 }], [...nodes, onDemand]);
    await first.run();
    await second.run();
    const targets = (t: typeof first): unknown => (of(t.events, 'chaos.injected')[0]![1] as { targets: string[] }).targets;
    expect(targets(first)).toHaveLength(2);
    expect(targets(first)).not.toContain('e');
    expect(targets(second)).toEqual(targets(first));
  });

  it('picks no node an autoscaler has cordoned for removal', async () => {
    const t = play([{ type: 'node-failure', at: '2m', nodes: 1, duration: '1m' }], [{ ...spotNode('a'), cordoned: true }, spotNode('b')]);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'not-ready b'],
      [180_000, 'ready b'],
    ]);
  });

  it('terminates a failed node at once after the state-change notice', async () => {
    const t = play([{ type: 'node-failure', at: '2m', nodes: 1, mode: 'terminate' }], [spotNode('a')]);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'notice state-change a'],
      [120_000, 'reclaim a'],
      [120_000, 'forget a'],
    ]);
  });

  it('turns a failed node NotReady for the fault duration, then Ready again', async () => {
    const t = play([{ type: 'node-failure', at: '2m', nodes: 1, duration: '4m' }], [spotNode('a')]);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'not-ready a'],
      [360_000, 'ready a'],
    ]);
  });

  it('takes every node of a zone down and refuses launches there until the outage ends', async () => {
    const t = play([{ type: 'zone-outage', at: '2m', zone: 'us-east-1b', duration: '10m' }], [spotNode('a'), spotNode('b', 'us-east-1b'), spotNode('c', 'us-east-1b')]);
    await t.run();
    const zoneOfferings = testCatalog().types.flatMap((ty) => ty.offerings.filter((o) => o.zone === 'us-east-1b')).length;
    expect(t.seen).toEqual([
      [120_000, `refuse ${zoneOfferings}`],
      [120_000, 'not-ready b'],
      [120_000, 'not-ready c'],
      [720_000, 'ready b'],
      [720_000, 'ready c'],
      [720_000, `accept ${zoneOfferings}`],
    ]);
  });

  it('refuses the planned offerings for an insufficient-capacity window', async () => {
    const t = play([{ type: 'insufficient-capacity', at: '2m', duration: '3m', offerings: [{ instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' }] }], []);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'refuse 1'],
      [300_000, 'accept 1'],
    ]);
  });

  it('throttles launch calls for the window', async () => {
    const t = play([{ type: 'api-throttling', at: '2m', duration: '3m' }], []);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'throttle true'],
      [300_000, 'throttle false'],
    ]);
  });

  it('crashes the autoscaler and restarts it when the window ends', async () => {
    const t = play([{ type: 'autoscaler-crash', at: '2m', duration: '3m' }], []);
    await t.run();
    expect(t.seen).toEqual([
      [120_000, 'crash'],
      [300_000, 'restart'],
    ]);
    expect(of(t.events, 'chaos.injected')[0]![1]).toMatchObject({ targets: ['karpenter'] });
  });

  it('fails the arm when an injection cannot be made', async () => {
    const t = play([{ type: 'node-failure', at: '2m', nodes: 1, duration: '4m' }], [spotNode('a')], {}, true);
    await t.run();
    expect(t.failures).toEqual([new Error('API down')]);
  });

  it('injects nothing more once stopped', async () => {
    const t = play([{ type: 'api-throttling', at: '2m', duration: '3m' }], []);
    t.chaos.stop();
    await t.run();
    expect(t.seen).toEqual([]);
  });
});
