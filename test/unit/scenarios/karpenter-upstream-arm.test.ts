import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { executeScenario } from '../../../harness/runner/execute.js';
import { ValidationError } from '../../../harness/runner/errors.js';
import { targetIssues } from '../../../scenarios/schema/target-support.js';
import { runCli } from '../../support/cli.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

const UPSTREAM = { name: 'upstream', kind: 'karpenter-upstream' };
const NO_DAEMONSETS = { cluster: { ...(scenarioData().cluster as object), daemonsets: [] } };

/** The warnings of a scenario with an upstream arm and these overrides, keyed by path. */
const warnings = (arm: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(scenario({ autoscalers: [{ ...UPSTREAM, ...arm }], ...over }).warnings.map((w) => [w.path, w.message]));

describe('a karpenter-upstream arm', () => {
  it("takes upstream's defaults for its env settings", () => {
    expect(scenario({ autoscalers: [UPSTREAM] }).autoscalers[0]).toEqual({
      ...UPSTREAM,
      batchIdleDuration: 1_000,
      batchMaxDuration: 10_000,
      featureGates: { spotToSpotConsolidation: false },
      logLevel: 'info',
    });
  });

  it('cannot run on the sim: the issue names the arm and the target it needs', () => {
    const s = scenario({ autoscalers: [{ name: 'karpenter', kind: 'karpenter' }, UPSTREAM] });
    expect(targetIssues(s, 'sim')).toEqual([{ path: 'autoscalers[1].kind', message: expect.stringMatching(/arm 'upstream'.*needs target kwok.*cannot run on target sim/) }]);
    expect(targetIssues(s, 'kwok')).toEqual([]);
  });

  it('cannot run on kind, whose nodes its kwok provider cannot launch', () => {
    const s = scenario({ autoscalers: [{ name: 'karpenter', kind: 'karpenter' }, UPSTREAM] });
    expect(targetIssues(s, 'kind')).toEqual([{ path: 'autoscalers[1].kind', message: expect.stringMatching(/arm 'upstream'.*not kind nodes.*cannot run on target kind/) }]);
  });

  it('stops a sim run with a validation error (exit 2) and a hint', async () => {
    const err = await executeScenario(scenario({ autoscalers: [UPSTREAM] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).exitCode).toBe(2);
    expect((err as ValidationError).hint).toMatch(/--target kwok/);
  });

  it('warns about bundled-only settings upstream has no setting for', () => {
    const w = warnings({ maxInstanceTypesPerClaim: 20, insufficientCapacityTtl: '1m' }, NO_DAEMONSETS);
    expect(Object.keys(w)).toEqual(['autoscalers[0].maxInstanceTypesPerClaim', 'autoscalers[0].insufficientCapacityTtl']);
  });

  it("has nothing to say when those settings are upstream's own values", () => {
    expect(warnings({ maxInstanceTypesPerClaim: 60, insufficientCapacityTtl: '3m' }, NO_DAEMONSETS)).toEqual({});
  });

  it('warns that the daemonset list is not what upstream plans overhead from', () => {
    expect(Object.keys(warnings({}))).toEqual(['cluster.daemonsets']);
  });
});

describe('burstlab run with a karpenter-upstream arm on the sim', () => {
  it('exits 2 naming the arm and the target it needs, and writes no run folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-upstream-'));
    try {
      const file = join(dir, 'upstream.yaml');
      writeFileSync(file, stringify(scenarioData({ autoscalers: [UPSTREAM] })));
      const out = join(dir, 'out');
      const r = await runCli(['run', file, '--out', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/autoscalers\[0\]\.kind: .*arm 'upstream'.*needs target kwok/);
      expect(r.stderr).toMatch(/--target kwok/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
