import type { V1EndpointSlice } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { waitUntil } from '../../../harness/targets/wait.js';
import { EndpointServer } from '../../../harness/traffic/endpoint-server.js';
import { readyEndpoints } from '../../../harness/traffic/endpoint-slices.js';

/** An EndpointSlice of Service `service` with the given endpoints' ready conditions (undefined: unset). */
function slice(service: string, ready: Array<boolean | undefined>, firstPod = 0): V1EndpointSlice {
  return {
    addressType: 'IPv4',
    metadata: { name: `${service}-${firstPod}`, labels: { 'kubernetes.io/service-name': service } },
    endpoints: ready.map((r, i) => ({
      addresses: [`10.0.0.${firstPod + i}`],
      targetRef: { kind: 'Pod', namespace: 'burstlab', name: `${service}-pod-${firstPod + i}`, uid: `uid-${firstPod + i}` },
      ...(r === undefined ? {} : { conditions: { ready: r } }),
    })),
  };
}

describe('the loopback Service stand-in', () => {
  const servers: EndpointServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  async function start(capacityRpsPerPod: number): Promise<{ server: EndpointServer; clock: VirtualClock }> {
    const clock = new VirtualClock();
    const server = new EndpointServer({ clock, timeoutMs: 1_000, workloads: [{ name: 'web', capacityRpsPerPod, baseLatencyMs: 40 }] });
    servers.push(server);
    await server.start();
    return { server, clock };
  }

  /** Sends `n` requests and waits until the server holds them all. */
  async function send(server: EndpointServer, n: number): Promise<Array<Promise<number>>> {
    const responses = Array.from({ length: n }, () => fetch(server.urlOf('web')).then(async (r) => (await r.text(), r.status)));
    await waitUntil('the requests to arrive', () => server.holding('web') === n, 5_000);
    return responses;
  }

  it('listens on loopback only, with a path per workload', async () => {
    const { server } = await start(10);
    expect(server.urlOf('web')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/w\/web$/);
    expect((await fetch(`${server.baseUrl}/w/other`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/w/%E0%A4%A`)).status).toBe(404);
  });

  it('takes its capacity from the ready endpoints of the workload\'s EndpointSlices', async () => {
    const { server } = await start(10);
    const counts = readyEndpoints([slice('web', [true, false, undefined]), slice('web', [true], 3), slice('api', [true, true])]);
    server.setReadyPods('web', counts.get('web')!);
    expect(server.readyPods('web')).toBe(3);
  });

  it('answers a request after the congestion latency of the moment, in order, queueing those beyond capacity', async () => {
    const { server, clock } = await start(10);
    server.setReadyPods('web', 1);
    const responses = await send(server, 3);
    // Utilisation 0.1, 0.2, 0.3 of 10 rps: 40 / (1 - u) ms, the second and third after 100 and 200 ms in the queue.
    const answeredBy = async (ms: number): Promise<number> => {
      clock.runUntil(ms);
      await new Promise((r) => setImmediate(r));
      return 3 - server.holding('web');
    };
    expect(await answeredBy(44)).toBe(0);
    expect(await answeredBy(45)).toBe(1);
    expect(await answeredBy(149)).toBe(1);
    expect(await answeredBy(150)).toBe(2);
    expect(await answeredBy(257)).toBe(2);
    expect(await answeredBy(258)).toBe(3);
    expect(await Promise.all(responses)).toEqual([200, 200, 200]);
  });

  it('fails a request that cannot start before the timeout with 504 at the timeout', async () => {
    const { server, clock } = await start(1);
    server.setReadyPods('web', 1);
    const responses = await send(server, 2);
    clock.runUntil(1_000);
    expect(await Promise.all(responses)).toEqual([200, 504]);
  });

  it('fails every request with 503 at the timeout while no endpoint is ready', async () => {
    const { server, clock } = await start(10);
    const responses = await send(server, 2);
    clock.runUntil(1_000);
    expect(await Promise.all(responses)).toEqual([503, 503]);
  });

  it('releases its port and every held connection on stop', async () => {
    const { server } = await start(10);
    const responses = await send(server, 2);
    await server.stop();
    expect((await Promise.allSettled(responses)).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(fetch(server.urlOf('web'))).rejects.toThrow();
  });
});
