import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { growthExponent, scaledMarketOpen } from '../../../bench/suites/scale.js';
import { parseScenario } from '../../../scenarios/load.js';

const MARKET_OPEN = readFileSync('scenarios/market-open.yaml', 'utf8');

describe('the scale bench suite', () => {
  it('scales market-open ten times into a scenario that validates with the default budget', () => {
    const s = parseScenario(parse(scaledMarketOpen(MARKET_OPEN, 10)), 'market-open-10x.yaml');
    expect(s.name).toBe('market-open-10x');
    expect(s.workloads.find((w) => w.name === 'trading-api')!.hpa!.maxReplicas).toBe(60_000);
  });

  it('multiplies traffic, node-group maxima and NodePool limits but not the warm floor', () => {
    const doc = parse(scaledMarketOpen(MARKET_OPEN, 3)) as {
      traffic: Array<{ peak: number }>;
      workloads: Array<{ replicas: number }>;
      cluster: { nodeGroups: Array<{ max: number; min: number }>; nodePools: Array<{ limits: { cpu: number; memory: string } }> };
    };
    expect(doc.traffic.map((t) => t.peak)).toEqual([1_500_000, 600_000]);
    expect(doc.cluster.nodeGroups.map((g) => [g.min, g.max])).toEqual([[3, 1800], [0, 900]]);
    expect(doc.cluster.nodePools[0]!.limits).toEqual({ cpu: 18_000, memory: '72000Gi' });
    expect(doc.workloads.map((w) => w.replicas)).toEqual([20, 10, 10]);
  });

  it('fits the exponent of a power law exactly', () => {
    const points = [1, 3, 10].map((x) => ({ work: 1000 * x, seconds: 0.5 * x ** 1.3 }));
    expect(growthExponent(points)).toBeCloseTo(1.3, 10);
  });
});
