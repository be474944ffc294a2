import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../scenarios/load.js';
import { planScale } from '../../../scenarios/schema/budget.js';
import { BUDGET } from '../../../scenarios/schema/defaults.js';
import { partialParse } from '../../../scenarios/schema/partial.js';
import { scenarioData } from '../../support/scenarios.js';

const ENVELOPE = 'scenarios/market-open-5k.yaml';

describe('scenarios/market-open-5k.yaml', () => {
  it('validates with the default plan budget', async () => {
    await expect(loadScenario(ENVELOPE)).resolves.toMatchObject({ name: 'market-open-5k' });
  });

  it('is estimated at 5,000 nodes and within the pod budget', async () => {
    const scale = planScale(partialParse(parse(await readFile(ENVELOPE, 'utf8'))));
    expect(scale).toMatchObject({ nodes: 5_000, workloadPods: 130_000 + 32_000 + 250, pods: 162_250 + 4 * 5_000 });
    expect(scale.pods).toBeLessThanOrEqual(BUDGET.maxPods);
  });

  it('peaks at 150,000 pods when every HPA meets its target at the traffic peak', async () => {
    const scenario = await loadScenario(ENVELOPE);
    const doc = parse(await readFile(ENVELOPE, 'utf8')) as { traffic: Array<{ workload: string; peak: number }> };
    const atPeak = doc.traffic.reduce((n, t) => n + t.peak / scenario.workloads.find((w) => w.name === t.workload)!.hpa!.targetRpsPerPod, 0);
    expect(atPeak).toBe(150_000);
  });
});

describe('the plan estimate of a karpenter arm', () => {
  it('counts a NodePool by the fewest vCPUs its instance-cpu requirement allows', () => {
    const data = scenarioData({
      workloads: [{ name: 'web', replicas: 100, resources: { cpu: '500m', memory: '512Mi' } }],
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        nodeGroups: [],
        nodePools: [{ name: 'big', requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['15'] }], limits: { cpu: 64 } }],
      },
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(planScale(partialParse(data)).nodes).toBe(4);
  });

  it('counts a NodePool without an instance-cpu requirement at one vCPU per node', () => {
    const data = scenarioData({
      workloads: [{ name: 'web', replicas: 100, resources: { cpu: '500m', memory: '512Mi' } }],
      cluster: { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], nodeGroups: [], nodePools: [{ name: 'any', limits: { cpu: 64 } }] },
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(planScale(partialParse(data)).nodes).toBe(64);
  });
});
