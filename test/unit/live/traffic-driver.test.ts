import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { playOfferedLoad } from '../../../harness/targets/live/traffic-driver.js';
import { scenario } from '../../support/scenarios.js';

/** Two workloads with traffic, only `api` scaled by an HPA; samples every 30 s. */
function twoWorkloads() {
  return scenario({
    sampleInterval: '30s',
    workloads: [
      { name: 'api', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 2, maxReplicas: 10, targetRpsPerPod: 50 } },
      { name: 'batch', replicas: 2, resources: { cpu: '500m', memory: '512Mi' } },
    ],
    traffic: [
      { workload: 'api', profile: 'constant', rps: 100 },
      { workload: 'batch', profile: 'constant', rps: 40 },
    ],
  });
}

describe('the offered load fed to the live metrics path', () => {
  it('reaches the HPA-scaled workload every sample interval and never a workload no HPA reads', async () => {
    const clock = new VirtualClock(0);
    const fed: Array<[string, number]> = [];
    const stop = playOfferedLoad(twoWorkloads(), clock, { setOfferedLoad: async (w) => void fed.push([w, clock.now()]), notReading: async () => [], stop: async () => undefined }, (err) => {
      throw err;
    });
    await clock.runUntilSettled(90_000);
    stop();
    expect(fed).toEqual([['api', 0], ['api', 30_000], ['api', 60_000], ['api', 90_000]]);
  });
});
