import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kindObjects, WORKLOAD_PORT } from '../../../../harness/targets/kind/kind-objects.js';
import { kindScenarioIssues, parseKindNodes } from '../../../../harness/runner/commands/run-kind.js';
import { loadScenario } from '../../../../scenarios/load.js';

const noParts = { objects: () => ({ objects: [], warnings: [] }) };
const IMAGE = 'burstlab.local/workload:abc';

async function webDeployment(speed = 1): Promise<V1Deployment> {
  const s = await loadScenario('scenarios/kind-small.yaml');
  return kindObjects(s, speed, noParts, IMAGE).objects.find((o) => o.kind === 'Deployment') as V1Deployment;
}

describe('the objects of a kind run', () => {
  it("runs each pod as a real container of the local workload image, never pulled, ready on the workload's probe", async () => {
    const c = (await webDeployment()).spec!.template.spec!.containers[0]!;
    expect(c).toMatchObject({ image: IMAGE, imagePullPolicy: 'Never', readinessProbe: { httpGet: { path: '/readyz', port: WORKLOAD_PORT } } });
    expect(c.resources?.requests).toEqual({ cpu: '600m', memory: '256Mi' });
  });

  it("starts the server after the scenario's median container start, divided by the speed", async () => {
    const d = await webDeployment(2);
    expect(d.spec!.template.spec!.containers[0]!.env).toEqual([{ name: 'STARTUP_DELAY', value: '500ms' }]);
  });

  it("takes kwok's selector, toleration and stage delays off the pods", async () => {
    const pod = (await webDeployment()).spec!.template;
    expect(pod.spec!.nodeSelector).toBeUndefined();
    expect(pod.spec!.tolerations).toBeUndefined();
    expect(Object.keys(pod.metadata?.annotations ?? {}).filter((k) => k.includes('kwok'))).toEqual([]);
  });
});

describe('what run --target kind refuses', () => {
  it('refuses traffic and HPAs, which it does not play yet, each by its path', async () => {
    const s = await loadScenario('scenarios/quickstart-live.yaml');
    expect(kindScenarioIssues(s).map((i) => i.path)).toEqual(['traffic[0]', 'workloads[0].hpa']);
  });

  it('takes a whole number of at least 1 for --kind-nodes, 6 by default', () => {
    expect(parseKindNodes(undefined)).toBe(6);
    expect(parseKindNodes('3')).toBe(3);
    expect(() => parseKindNodes('0')).toThrow(/--kind-nodes '0'/);
  });
});
