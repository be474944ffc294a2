import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../scenarios/load.js';
import { simulate } from '../../support/interruptions.js';
import { KUBELET_API_BURST, KUBELET_API_QPS, KubeletApi, STATUS_SYNC_REQUESTS, TokenBucket } from '../../../harness/sim/kubelet-api.js';

describe('TokenBucket', () => {
  it('serves a burst at once and then one request per 1/rate seconds', () => {
    const bucket = new TokenBucket(10, 3);
    expect([0, 0, 0, 0, 0].map(() => bucket.reserve(0, 1))).toEqual([0, 0, 0, 100, 200]);
  });

  it('refills with time, never past its burst', () => {
    const bucket = new TokenBucket(10, 3);
    for (let i = 0; i < 3; i++) bucket.reserve(0, 1);
    expect(bucket.reserve(10_000, 3)).toBe(0);
    expect(bucket.reserve(10_000, 1)).toBe(100);
  });
});

describe('a kubelet reporting its pods Ready', () => {
  it('reports the first burst/2 pods whose containers are ready together at once, then 25 a second', () => {
    const kubelet = new KubeletApi();
    const waits = Array.from({ length: 1_000 }, () => kubelet.statusSyncDelay(40_000));
    const atOnce = KUBELET_API_BURST / STATUS_SYNC_REQUESTS;
    expect(waits.filter((w) => w === 0)).toHaveLength(atOnce);
    expect(waits[atOnce]).toBe(Math.ceil((STATUS_SYNC_REQUESTS * 1000) / KUBELET_API_QPS));
    expect(waits.at(-1)).toBe(Math.ceil(((1_000 * STATUS_SYNC_REQUESTS - KUBELET_API_BURST) * 1000) / KUBELET_API_QPS));
  });

  it('does not hold back pods that get ready slower than it can report them', () => {
    const kubelet = new KubeletApi();
    expect(Array.from({ length: 200 }, (_, i) => kubelet.statusSyncDelay(i * 100)).every((w) => w === 0)).toBe(true);
  });
});

describe('the sim\'s pod start-up on a node taking a burst', () => {
  it('reports 1,000 pods that start together on one fresh node Ready over about 38 s, 25 a second after the first 50', async () => {
    const s = await loadScenario('scenarios/kwok-burst.yaml');
    const events = await simulate(s, 'karpenter');
    const burstNode = events.find((e) => e.type === 'claim.created');
    const onNode = new Set(events.flatMap((e) => (e.type === 'pod.scheduled' && burstNode?.type === 'claim.created' && e.node === burstNode.claim ? [e.pod] : [])));
    const ready = events.flatMap((e) => (e.type === 'pod.ready' && onNode.has(e.pod) ? [e.t] : []));
    expect(ready.length).toBeGreaterThan(900);
    const first = ready[0]!;
    expect(ready.filter((t) => t === first)).toHaveLength(KUBELET_API_BURST / STATUS_SYNC_REQUESTS);
    const spreadS = (ready.at(-1)! - first) / 1000;
    expect(spreadS).toBeCloseTo(((ready.length - KUBELET_API_BURST / STATUS_SYNC_REQUESTS) * STATUS_SYNC_REQUESTS) / KUBELET_API_QPS, 0);
  });
});
