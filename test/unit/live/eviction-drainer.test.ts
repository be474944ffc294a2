import type { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { resources } from '../../../provisioner/api/resources.js';
import { Requirements } from '../../../provisioner/scheduling/requirements.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { LiveClusterActions } from '../../../harness/targets/live/eviction-drainer.js';

const spec = { workload: 'web', requests: resources({ cpu: 250, memory: 512, pods: 1 }), priority: 0, nodeRequirements: Requirements.none, tolerations: [], topologySpread: [], affinity: [], antiAffinity: [], doNotDisrupt: false };

/** An API that refuses the first `refusals` evictions as a PodDisruptionBudget does (HTTP 429), then accepts. */
function api(refusals: number): { core: CoreV1Api; calls: string[] } {
  const calls: string[] = [];
  const core = {
    createNamespacedPodEviction: ({ name, namespace }: { name: string; namespace: string }) => {
      calls.push(`${namespace}/${name}`);
      if (calls.length <= refusals) return Promise.reject(Object.assign(new Error('refused'), { code: 429, body: '{"message":"Cannot evict pod as it would violate the pod\'s disruption budget."}' }));
      return Promise.resolve({});
    },
  } as unknown as CoreV1Api;
  return { core, calls };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('evictions through the Eviction API', () => {
  it('asks again after a PodDisruptionBudget refused, and logs each refusal', async () => {
    const clock = new VirtualClock(0);
    const { core, calls } = api(2);
    const log: string[] = [];
    const actions = new LiveClusterActions({ core, clock, log: (l) => void log.push(l), retryMs: 5_000 });
    actions.evict(new StatePod('burstlab/web-1', spec, 0), 'Underutilized');
    await settle();
    expect(calls).toHaveLength(1);
    clock.runUntil(5_000);
    await settle();
    clock.runUntil(10_000);
    await settle();
    expect(calls).toEqual(['burstlab/web-1', 'burstlab/web-1', 'burstlab/web-1']);
    expect(log).toHaveLength(2);
    expect(log[0]).toContain('HTTP 429: Cannot evict pod as it would violate the pod\'s disruption budget.');
  });

  it('stops asking once the pod is on its way out', async () => {
    const clock = new VirtualClock(0);
    const { core, calls } = api(5);
    const actions = new LiveClusterActions({ core, clock, log: () => undefined, retryMs: 5_000 });
    const pod = new StatePod('burstlab/web-1', spec, 0);
    actions.evict(pod);
    await settle();
    pod.phase = 'terminating';
    clock.runUntil(20_000);
    await settle();
    expect(calls).toHaveLength(1);
  });
});
