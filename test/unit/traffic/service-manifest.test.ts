import { describe, expect, it } from 'vitest';
import { readyEndpoints } from '../../../harness/traffic/endpoint-slices.js';
import { workloadService } from '../../../harness/traffic/service-manifest.js';

describe("a workload's Service", () => {
  it('selects the workload\'s pods in the live namespace, headless, so the EndpointSlice controller tracks them', () => {
    const svc = workloadService('web');
    expect(svc.metadata).toEqual({ name: 'web', namespace: 'burstlab', labels: { app: 'web' } });
    expect(svc.spec?.selector).toEqual({ app: 'web' });
    expect(svc.spec?.clusterIP).toBe('None');
  });
});

describe('ready endpoints from EndpointSlices', () => {
  const endpoint = (pod: string, ready?: boolean) => ({
    addresses: [`10.0.0.${pod.length}`],
    targetRef: { kind: 'Pod', namespace: 'burstlab', name: pod, uid: pod },
    ...(ready === undefined ? {} : { conditions: { ready } }),
  });
  const slice = (service: string | undefined, endpoints: ReturnType<typeof endpoint>[]) => ({
    addressType: 'IPv4',
    metadata: { name: `s-${endpoints.length}`, ...(service ? { labels: { 'kubernetes.io/service-name': service } } : {}) },
    endpoints,
  });

  it('counts endpoints ready or of unknown readiness, per Service', () => {
    const counts = readyEndpoints([slice('web', [endpoint('a', true), endpoint('b', false), endpoint('c')]), slice('api', [endpoint('d', true)])]);
    expect(Object.fromEntries(counts)).toEqual({ web: 2, api: 1 });
  });

  it('counts a pod listed in two slices once', () => {
    const counts = readyEndpoints([slice('web', [endpoint('a', true)]), slice('web', [endpoint('a', true), endpoint('b', true)])]);
    expect(counts.get('web')).toBe(2);
  });

  it('ignores slices that belong to no Service', () => {
    expect(readyEndpoints([slice(undefined, [endpoint('a', true)])]).size).toBe(0);
  });
});
