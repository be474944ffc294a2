import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KWOK_TOLERATION } from '../../../harness/targets/kwok-nodes.js';
import { LivePodSpecs } from '../../../harness/targets/live/live-pod-spec.js';

function pod(name: string, over: Partial<NonNullable<V1Pod['spec']>> = {}, annotations: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, namespace: 'burstlab', labels: { app: 'web' }, annotations },
    spec: { containers: [{ name: 'app', image: 'pause', resources: { requests: { cpu: '250m', memory: '512Mi' } } }], ...over },
  };
}

describe('pod specs read from live pods', () => {
  it('take requests, priority and constraints from the pod and leave kwok\'s plumbing out', () => {
    const spec = new LivePodSpecs().of(
      pod('a', {
        priority: 100,
        nodeSelector: { type: 'kwok', team: 'web' },
        tolerations: [{ ...KWOK_TOLERATION }, { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      }, { 'karpenter.sh/do-not-disrupt': 'true' }),
    );
    expect(spec).toMatchObject({
      workload: 'web',
      requests: { cpu: 250, memory: 512, pods: 1, gpu: 0 },
      priority: 100,
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
      topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }],
      doNotDisrupt: true,
    });
    expect([...spec.nodeRequirements.keys()]).toEqual(['team']);
  });

  it('share one spec among pods of the same template', () => {
    const specs = new LivePodSpecs();
    expect(specs.of(pod('a'))).toBe(specs.of(pod('b')));
    expect(specs.of(pod('c', { priority: 5 }))).not.toBe(specs.of(pod('a')));
  });
});
