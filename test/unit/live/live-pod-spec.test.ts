import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KWOK_TOLERATION } from '../../../harness/targets/kwok-nodes.js';
import { LivePodSpecs } from '../../../harness/targets/live/live-pod-spec.js';
import { scenario } from '../../support/scenarios.js';

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

  it('resolves a labelSelector to the scenario\'s workloads whose pod labels it matches', () => {
    const { workloads } = scenario({
      workloads: [
        { name: 'web', replicas: 1, resources: { cpu: '250m', memory: '512Mi' }, labels: { tier: 'front' } },
        { name: 'cache', replicas: 1, resources: { cpu: '250m', memory: '512Mi' }, labels: { tier: 'front' } },
        { name: 'batch', replicas: 1, resources: { cpu: '250m', memory: '512Mi' } },
      ],
    });
    const spec = new LivePodSpecs(workloads).of(
      pod('a', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'front' } } }] } } }),
    );
    expect(spec.affinity).toEqual([{ topologyKey: 'topology.kubernetes.io/zone', selects: ['web', 'cache'] }]);
  });

  it('keeps a pod out of the domains of another workload whose anti-affinity selects it', () => {
    const { workloads } = scenario({
      workloads: [
        { name: 'web', replicas: 1, resources: { cpu: '250m', memory: '512Mi' } },
        { name: 'noisy', replicas: 1, resources: { cpu: '250m', memory: '512Mi' }, podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] },
      ],
    });
    expect(new LivePodSpecs(workloads).of(pod('a')).antiAffinity).toEqual([{ topologyKey: 'kubernetes.io/hostname', selects: ['noisy'] }]);
  });

  it('reports a selector on other labels as not modelled when the pod\'s workload is not in the scenario', () => {
    const heard: string[] = [];
    new LivePodSpecs([], (_w, what) => heard.push(...what)).of(
      pod('a', { topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { tier: 'front' } } }] }),
    );
    expect(heard.join()).toMatch(/labelSelector on other labels/);
  });
});
