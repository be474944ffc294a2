import { beforeAll, describe, expect, it } from 'vitest';
import { executeScenario } from '../../harness/runner/execute.js';
import type { Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { loadScenario } from '../../scenarios/load.js';
import { arm, eventsOf } from '../support/scenarios.js';

let results: Results;
let events: RunEvent[];

beforeAll(async () => {
  ({ results, events } = await executeScenario(await loadScenario('scenarios/market-open-chaos.yaml')));
}, 300_000);

const wave = (name: string) => arm(results, name).faults!.find((f) => f.fault === 'spot-interruption')!;

describe('market-open-chaos on the sim', () => {
  it("recovers the Karpenter arm's displaced pods faster than Cluster Autoscaler's after the Spot wave", () => {
    expect(wave('karpenter').pods.displaced).toBeGreaterThan(0);
    expect(wave('cluster-autoscaler').pods.displaced).toBeGreaterThan(0);
    expect(wave('karpenter').recovery.p50).toBeLessThan(wave('cluster-autoscaler').recovery.p50);
  });

  it('shows why in the events: Karpenter replaces and drains at the warning, Cluster Autoscaler loses pods at the reclaim', () => {
    for (const name of ['karpenter', 'cluster-autoscaler']) {
      const [injected] = eventsOf(events, name, 'chaos.injected').filter((e) => e.fault === 'spot-interruption');
      const warnings = eventsOf(events, name, 'node.interruption').filter((e) => e.kind === 'spot-interruption' && injected!.targets.includes(e.node));
      const deadline = warnings[0]!.deadlineT!;
      const decided = eventsOf(events, name, 'disruption.decided').filter((e) => e.method === 'interruption' && e.nodes.some((n) => injected!.targets.includes(n)));
      const displacedGone = eventsOf(events, name, 'pod.deleted').filter((e) => injected!.pods!.includes(e.pod));
      if (name === 'karpenter') {
        // Replacements are asked for at the warning, and the pods leave before the instance does.
        expect(decided.length).toBeGreaterThan(0);
        expect(decided.every((e) => e.t === injected!.t)).toBe(true);
        const replacements = new Set(decided.flatMap((e) => e.replacements));
        expect(eventsOf(events, name, 'node.launched').filter((e) => replacements.has(e.node)).every((e) => e.t < deadline)).toBe(true);
        expect(displacedGone.every((e) => e.t < deadline)).toBe(true);
      } else {
        // No interruption handling: nothing is decided, and the pods die with their instances at the deadline.
        expect(decided).toEqual([]);
        expect(displacedGone.filter((e) => e.reason === 'node-terminated').every((e) => e.t === deadline)).toBe(true);
        expect(displacedGone.some((e) => e.reason === 'node-terminated')).toBe(true);
      }
    }
  });

  it('gives every injected fault of every arm its impact, and judges the wave against its own SLO', () => {
    for (const a of results.autoscalers) {
      expect(a.faults!.map((f) => f.fault)).toEqual(['spot-interruption', 'insufficient-capacity', 'zone-outage']);
      expect(wave(a.name).slo!.checks.map((c) => c.metric)).toEqual(['recovery.p99']);
    }
  });
});
