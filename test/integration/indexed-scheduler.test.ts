import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { executeScenario } from '../../harness/runner/execute.js';
import { loadScenario } from '../../scenarios/load.js';
import { eventsOf, run, simulatedShippedScenarios } from '../support/scenarios.js';
import { FULL_SCAN_RESULTS } from './data/full-scan-results.js';

/**
 * Every scenario file shipped that the test suite simulates (the 5k envelope day is the scale bench's), in scenarios/
 * and scenarios/nodepools/; NodePool manifests on their own are not scenarios.
 */
const SHIPPED = [
  ...simulatedShippedScenarios(),
  ...readdirSync('scenarios/nodepools')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `scenarios/nodepools/${f}`)
    .filter((file) => !('apiVersion' in (parse(readFileSync(file, 'utf8')) as object))),
].sort();

describe('the indexed scheduler with sampling off', () => {
  it.each(SHIPPED)('writes the same results.json for %s as the full scan did', async (file) => {
    const golden = FULL_SCAN_RESULTS[file];
    expect(golden, `no full-scan hash for ${file}: see test/integration/data/full-scan-results.ts`).toBeDefined();
    const scenario = await loadScenario(file);
    scenario.cluster.scheduler.percentageOfNodesToScore = 100;
    const { results } = await executeScenario(scenario);
    const bytes = JSON.stringify(results, null, 2) + '\n';
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(golden);
  }, 240_000);
});

/** Where each pod of `web` landed, as positions in the order the nodes were launched. */
async function placements(percentageOfNodesToScore: number | undefined): Promise<number[]> {
  const { events } = await run({
    duration: '1m',
    cluster: {
      zones: ['us-east-1a'],
      nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 300, max: 300 }],
      ...(percentageOfNodesToScore === undefined ? {} : { scheduler: { percentageOfNodesToScore } }),
    },
    workloads: [{ name: 'web', replicas: 3, resources: { cpu: '100m', memory: '128Mi' } }],
    autoscalers: [{ name: 'cluster-autoscaler', kind: 'cluster-autoscaler' }],
  });
  const order = eventsOf(events, 'cluster-autoscaler', 'node.launched').map((e) => e.node);
  expect(order).toHaveLength(300);
  return eventsOf(events, 'cluster-autoscaler', 'pod.scheduled').map((e) => order.indexOf(e.node));
}

describe('the scheduler sampling nodes as kube-scheduler does', () => {
  it('starts each search where the previous one stopped, after the adaptive share of feasible nodes', async () => {
    // 300 equally empty nodes: the adaptive default looks for 300 * (50 - 300/125)% = 144 feasible nodes, so the next
    // pod's search starts 144 nodes further on (wrapping at 300), and the first node found wins the tie.
    expect(await placements(undefined)).toEqual([0, 144, 288]);
  });

  it('finds at least 100 feasible nodes however low the percentage is set', async () => {
    expect(await placements(10)).toEqual([0, 100, 200]);
  });

  it('scores every node when percentageOfNodesToScore is 100', async () => {
    expect(await placements(100)).toEqual([0, 1, 2]);
  });
});
