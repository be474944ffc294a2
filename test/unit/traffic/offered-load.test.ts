import { describe, expect, it } from 'vitest';
import { offeredLoad } from '../../../harness/traffic/offered-load.js';
import { peakTotalRps, rateScaleFor } from '../../../harness/traffic/rate-scale.js';
import { Random } from '../../../provisioner/runtime/random.js';
import { eventsOf, run, scenarioData } from '../../support/scenarios.js';
import { scenario } from '../../support/scenarios.js';

const traffic = [{ workload: 'web', profile: 'ramp', from: 100, to: 900, start: '2m', end: '8m', noise: 0.1 }];

describe('the offered load a live run plays', () => {
  it('is the load the sim offers, window by window, noise included', async () => {
    const overrides = { duration: '10m', traffic };
    const s = scenario(overrides);
    const [planned] = offeredLoad(s, new Random(s.seed));
    const { events } = await run(overrides);
    const simulated = eventsOf(events, 'karpenter', 'traffic.sample').filter((e) => e.t < s.duration).map((e) => e.rps);
    expect(planned!.rps.map((r) => Math.round(r * 10) / 10)).toEqual(simulated);
  });

  it('starts at the window the given time falls in, with the same draws as from the start', () => {
    const s = scenario({ duration: '10m', traffic });
    const [whole] = offeredLoad(s, new Random(s.seed));
    const [later] = offeredLoad(s, new Random(s.seed), 61_000);
    expect(later!.startMs).toBe(60_000);
    expect(later!.rps).toEqual(whole!.rps.slice(4));
  });
});

describe('the rate scale', () => {
  const twoWorkloads = scenarioData({
    duration: '10m',
    workloads: [
      { name: 'web', replicas: 1, resources: { cpu: '500m', memory: '512Mi' } },
      { name: 'api', replicas: 1, resources: { cpu: '500m', memory: '512Mi' } },
    ],
    traffic: [
      { workload: 'web', profile: 'step', from: 100, to: 500, at: '5m', noise: 0 },
      { workload: 'api', profile: 'constant', rps: 100, noise: 0 },
    ],
  });

  it('is 1 when the summed peak fits', () => {
    const s = scenario(twoWorkloads);
    expect(peakTotalRps(offeredLoad(s, new Random(1)))).toBe(600);
    expect(rateScaleFor(offeredLoad(s, new Random(1)), 600)).toBe(1);
  });

  it('brings the summed peak down to the most this machine sends', () => {
    const s = scenario(twoWorkloads);
    expect(rateScaleFor(offeredLoad(s, new Random(1)), 300)).toBe(0.5);
  });
});
