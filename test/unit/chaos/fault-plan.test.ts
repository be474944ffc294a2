import { describe, expect, it } from 'vitest';
import { faultPlan } from '../../../harness/chaos/plan.js';
import { faultTargetIssues } from '../../../harness/chaos/backend.js';
import { describePlan } from '../../../harness/runner/dry-run.js';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { scenario } from '../../support/scenarios.js';

const catalog = new Catalog({ region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
const wave = { type: 'spot-interruption', every: '3m', count: 3, percent: 20 };
const crash = { type: 'autoscaler-crash', at: '4m', duration: '2m' };

describe('the fault plan', () => {
  it('is the same for the same scenario and seed', () => {
    expect(faultPlan(scenario({ faults: [wave, crash] }), catalog)).toEqual(faultPlan(scenario({ faults: [wave, crash] }), catalog));
  });

  it('lists a repeated fault once per occurrence, in time order with the others', () => {
    expect(faultPlan(scenario({ faults: [wave, crash] }), catalog).map((p) => [p.id, p.atMs, p.untilMs])).toEqual([
      ['faults[0]#1', 180_000, undefined],
      ['faults[0]#2', 360_000, undefined],
      ['faults[1]', 240_000, 360_000],
      ['faults[0]#3', 540_000, undefined],
    ].sort((a, b) => (a[1] as number) - (b[1] as number)));
  });

  it('gives each injection a stream that adding another fault does not shift', () => {
    const alone = faultPlan(scenario({ faults: [wave] }), catalog);
    const withCrash = faultPlan(scenario({ faults: [wave, crash] }), catalog).filter((p) => p.index === 0);
    expect(withCrash.map((p) => p.seed)).toEqual(alone.map((p) => p.seed));
  });

  it('draws other streams on another seed', () => {
    expect(faultPlan(scenario({ seed: 2, faults: [wave] }), catalog).map((p) => p.seed)).not.toEqual(faultPlan(scenario({ faults: [wave] }), catalog).map((p) => p.seed));
  });

  it('refuses the cheapest Spot offerings per vCPU of a NodePool', () => {
    const [p] = faultPlan(scenario({ faults: [{ type: 'insufficient-capacity', at: '5m', duration: '10m', capacityType: 'spot', cheapest: 4, nodePool: 'default' }] }), catalog);
    const perVcpu = (key: string): number => {
      const [type, zone] = key.split('/');
      const t = catalog.get(type!)!;
      return t.offerings.find((o) => o.zone === zone && o.capacityType === 'spot')!.pricePerHour / t.vcpu;
    };
    expect(p!.offerings).toHaveLength(4);
    expect(p!.offerings.every((k) => k.endsWith('/spot'))).toBe(true);
    const cheapestOther = Math.min(...catalog.types.filter((t) => ['c', 'm', 'r'].includes(t.category)).flatMap((t) => t.offerings.filter((o) => o.capacityType === 'spot' && !p!.offerings.includes(`${t.name}/${o.zone}/spot`)).map((o) => o.pricePerHour / t.vcpu)));
    expect(Math.max(...p!.offerings.map(perVcpu))).toBeLessThanOrEqual(cheapestOther);
  });
});

describe('the plan in --dry-run', () => {
  it('lists each injection with its time, window and what it does', () => {
    const text = describePlan(scenario({ faults: [wave, crash] }), 1);
    expect(text).toContain('  at 4m..6m: faults[1] autoscaler-crash: the autoscaler stops for 2m, then restarts with its state rebuilt from the cluster\n');
    expect(text).toContain('  at 9m: faults[0]#3 spot-interruption: 20% of the spot nodes: rebalance recommendation at once');
  });

  it('says nothing of faults for a scenario without any', () => {
    expect(describePlan(scenario(), 1)).not.toMatch(/^faults/m);
  });
});

describe('fault back ends per target', () => {
  it('lets the sim inject every fault type', () => {
    const all = [wave, crash, { type: 'zone-outage', at: '5m', zone: 'us-east-1a', duration: '1m' }, { type: 'api-throttling', at: '5m', duration: '1m' }];
    expect(faultTargetIssues(scenario({ faults: all }), 'sim')).toEqual([]);
  });

  it('names the target and the fault it cannot inject', () => {
    const issues = faultTargetIssues(scenario({ faults: [wave, crash] }), 'eks');
    expect(issues).toEqual([{ path: 'faults[1]', message: expect.stringMatching(/^target eks cannot inject autoscaler-crash: FIS cannot keep the autoscaler down/) }]);
  });

  it('lets kwok inject every fault type on the bundled arms', () => {
    const all = [wave, crash, { type: 'zone-outage', at: '5m', zone: 'us-east-1a', duration: '1m' }, { type: 'api-throttling', at: '5m', duration: '1m' }, { type: 'node-failure', at: '5m', nodes: 1 }];
    expect(faultTargetIssues(scenario({ faults: all }), 'kwok')).toEqual([]);
  });

  it('refuses on kwok the faults that act on a karpenter-upstream arm\'s own cloud or process, naming the arm', () => {
    const upstream = { autoscalers: [{ name: 'karpenter', kind: 'karpenter' }, { name: 'real', kind: 'karpenter-upstream' }] };
    const throttling = { type: 'api-throttling', at: '5m', duration: '1m' };
    const issues = faultTargetIssues(scenario({ ...upstream, faults: [wave, crash, throttling] }), 'kwok');
    expect(issues).toEqual([
      { path: 'faults[1]', message: expect.stringMatching(/^target kwok cannot inject autoscaler-crash: .*karpenter-upstream arm real/) },
      { path: 'faults[2]', message: expect.stringMatching(/^target kwok cannot inject api-throttling: .*karpenter-upstream arm real/) },
    ]);
  });

  it('refuses on kwok NotReady faults with different eviction timeouts: the cluster has one', () => {
    const failure = (evictionTimeout: string): unknown => ({ type: 'node-failure', at: '5m', nodes: 1, evictionTimeout });
    const issues = faultTargetIssues(scenario({ faults: [failure('5m'), failure('1m')] }), 'kwok');
    expect(issues.map((i) => i.path)).toEqual(['faults[1]']);
    expect(issues[0]!.message).toMatch(/one taint-based eviction timeout.*faults\[0\]'s 5m/);
  });
});
