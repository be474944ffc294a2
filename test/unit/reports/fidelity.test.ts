import { describe, expect, it } from 'vitest';
import { buildFidelity, fidelityLine, fidelityMismatch, formatDifference } from '../../../reports/compare/fidelity.js';
import { liveFixture, simFixture } from '../../support/fidelity-runs.js';

const saved = (f: ReturnType<typeof simFixture>, dir: string) => ({ dir, ...f });

describe('sim vs live agreement', () => {
  it('passes an arm whose pod-to-ready p50 and p99 are within 15% and peak nodes within 10% of the sim', () => {
    const sim = simFixture();
    const live = liveFixture(sim, { karpenter: { p50: 0.14, p99: -0.14, peakNodes: 0 }, 'cluster-autoscaler': { p50: 0.05, p99: 0.1, peakNodes: 0.1 } });
    const f = buildFidelity(saved(sim, 'sim'), saved(live, 'kwok'));
    expect(f.arms.map((a) => [a.name, a.pass])).toEqual([['cluster-autoscaler', true], ['karpenter', true]]);
    expect(f.pass).toBe(true);
  });

  it('fails the arm and the whole check when one figure is outside its goal', () => {
    const sim = simFixture();
    const live = liveFixture(sim, { karpenter: { p99: 0.47 } });
    const f = buildFidelity(saved(sim, 'sim'), saved(live, 'kwok'));
    const karpenter = f.arms.find((a) => a.name === 'karpenter')!;
    expect(karpenter.figures.filter((x) => !x.pass).map((x) => x.metric)).toEqual(['podToReady.p99']);
    expect(karpenter.figures.find((x) => x.metric === 'podToReady.p99')!.difference).toBeCloseTo(0.47, 9);
    expect(f.pass).toBe(false);
  });

  it('judges peak nodes against 10%, not the 15% of pod-to-ready', () => {
    const sim = simFixture();
    const live = liveFixture(sim, { 'cluster-autoscaler': { peakNodes: 0.2 } });
    const ca = buildFidelity(saved(sim, 'sim'), saved(live, 'kwok')).arms.find((a) => a.name === 'cluster-autoscaler')!;
    expect(ca.figures.find((x) => x.metric === 'nodes.peak')).toMatchObject({ sim: 10, live: 12, pass: false });
  });

  it('reads the same whichever order the sim and live runs are given in', () => {
    const sim = simFixture();
    const live = liveFixture(sim, { karpenter: { p50: 0.3 } });
    const one = buildFidelity(saved(sim, 'sim'), saved(live, 'kwok'));
    const other = buildFidelity(saved(live, 'kwok'), saved(sim, 'sim'));
    expect(other).toEqual(one);
    expect(one.liveTarget).toBe('kwok');
  });

  it('does not pass when an arm is in only one of the runs', () => {
    const sim = simFixture();
    const live = liveFixture(sim, {});
    live.results.autoscalers = live.results.autoscalers.filter((a) => a.name === 'karpenter');
    const f = buildFidelity(saved(sim, 'sim'), saved(live, 'kwok'));
    expect(f.unmatched).toEqual(['cluster-autoscaler']);
    expect(f.pass).toBe(false);
  });

  it('puts every arm in one line, naming the figures an arm misses with both values', () => {
    const sim = simFixture();
    const live = liveFixture(sim, { karpenter: { p99: 0.47 } });
    const line = fidelityLine(buildFidelity(saved(sim, 'sim'), saved(live, 'kwok')));
    expect(line).toMatch(/^sim vs live \(kwok, seed 11\): cluster-autoscaler agrees \(p50 ±0%, p99 ±0%, peak nodes ±0%\); karpenter misses: pod-to-ready p99 86\.1 s → 126\.6 s \(\+47%, goal ±15%\) MISS$/);
  });

  it('formats a difference from a zero sim figure as infinite rather than dividing by zero', () => {
    expect(formatDifference(Infinity)).toBe('+∞');
    expect(formatDifference(-0.042)).toBe('−4.2%');
  });
});

describe('runs that cannot be set against each other as sim vs live', () => {
  it('names different seeds', () => {
    const sim = simFixture(11);
    const live = liveFixture(simFixture(12), {});
    expect(fidelityMismatch(saved(sim, 'sim'), saved(live, 'kwok'))).toEqual(['different seeds: 11 vs 12']);
  });

  it('names a scenario of the same name whose contents differ', () => {
    const sim = simFixture();
    const live = liveFixture(sim, {});
    live.meta.scenarioDigest = 'sha256:ffff' + live.meta.scenarioDigest!.slice(11);
    expect(fidelityMismatch(saved(sim, 'sim'), saved(live, 'kwok'))).toEqual([expect.stringMatching(/^different scenario contents: both are 'market-open'/)]);
  });

  it('names two runs on the same target', () => {
    const sim = simFixture();
    expect(fidelityMismatch(saved(sim, 'a'), saved(sim, 'b'))).toEqual(['sim vs live needs one sim run and one live run; these ran on sim and sim']);
  });
});
