/**
 * Scenario builders: a minimal valid scenario as plain data, with the parts a test cares about overridden.
 * Tests run them through the real loader, so defaults and validation are the product's own.
 */
import { readdirSync } from 'node:fs';
import { parseScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { executeScenario } from '../../harness/runner/execute.js';
import type { Results } from '../../harness/metrics/results.js';

export type ScenarioData = Record<string, unknown>;

export function scenarioData(overrides: ScenarioData = {}): ScenarioData {
  return {
    name: 'test',
    seed: 1,
    duration: '20m',
    cluster: {
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
      nodeGroups: [{ name: 'ng-m5-large', instanceType: 'm5.large', min: 1, max: 50 }],
      nodePools: [{ name: 'default', requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }] }],
    },
    cloud: { profile: 'aws' },
    workloads: [{ name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' } }],
    autoscalers: [
      { name: 'cluster-autoscaler', kind: 'cluster-autoscaler' },
      { name: 'karpenter', kind: 'karpenter' },
    ],
    ...overrides,
  };
}

export function scenario(overrides: ScenarioData = {}): Scenario {
  return parseScenario(scenarioData(overrides), 'test.yaml');
}

export async function run(overrides: ScenarioData = {}): Promise<{ results: Results; events: RunEvent[] }> {
  return executeScenario(scenario(overrides));
}

export function eventsOf<T extends RunEvent['type']>(events: readonly RunEvent[], arm: string, type: T): Array<Extract<RunEvent, { type: T }>> {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.autoscaler === arm && e.type === type);
}

export function arm(results: Results, name: string): Results['autoscalers'][number] {
  const a = results.autoscalers.find((x) => x.name === name);
  if (!a) throw new Error(`no arm ${name}`);
  return a;
}

/**
 * Scenarios at Kubernetes' scalability envelope: minutes of simulation each on 2 cores, so the test suite validates
 * them (test/unit/scenarios/envelope.test.ts) and `npm run bench -- scale` runs them, rather than every test that
 * simulates each shipped scenario.
 */
export const ENVELOPE_SCENARIOS: readonly string[] = ['market-open-5k.yaml'];

/** The shipped scenario files (`scenarios/*.yaml`) cheap enough to simulate in a test, sorted. */
export function simulatedShippedScenarios(): string[] {
  return readdirSync('scenarios')
    .filter((f) => f.endsWith('.yaml') && !ENVELOPE_SCENARIOS.includes(f))
    .sort()
    .map((f) => `scenarios/${f}`);
}
