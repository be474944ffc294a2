import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../harness/runner/errors.js';
import { parseScenario } from '../../../scenarios/load.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

function issuePaths(percentageOfNodesToScore: unknown): string[] {
  const data = scenarioData();
  const cluster = { ...(data['cluster'] as object), scheduler: { percentageOfNodesToScore } };
  try {
    parseScenario({ ...data, cluster }, 'bad.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => i.path);
    throw err;
  }
  return [];
}

describe('cluster.scheduler', () => {
  it("defaults percentageOfNodesToScore to 0, kube-scheduler's adaptive mode", () => {
    expect(scenario().cluster.scheduler.percentageOfNodesToScore).toBe(0);
  });

  it.each([101, -1, 12.5, '50%'])('rejects a percentageOfNodesToScore of %j at its path', (value) => {
    expect(issuePaths(value)).toEqual(['cluster.scheduler.percentageOfNodesToScore']);
  });

  it('accepts 100, scoring every node', () => {
    expect(issuePaths(100)).toEqual([]);
  });
});
