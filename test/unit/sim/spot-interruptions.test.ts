import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../../harness/runner/errors.js';
import { describePlan } from '../../../harness/runner/dry-run.js';
import { interruptionRate } from '../../../harness/sim/spot-interruptions.js';
import { parseScenario } from '../../../scenarios/load.js';
import { simulate } from '../../support/interruptions.js';
import { eventsOf, scenario, scenarioData } from '../../support/scenarios.js';

/** A two-hour karpenter run on Spot with the given interruption knob. */
function withInterruptions(spotInterruptions: Record<string, unknown>, seed = 1): ReturnType<typeof scenario> {
  const data = scenarioData();
  return scenario({
    seed,
    duration: '2h',
    autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    cloud: { profile: 'aws', spotInterruptions },
    workloads: [{ name: 'web', replicas: 12, resources: { cpu: '500m', memory: '512Mi' } }],
    cluster: {
      ...(data.cluster as object),
      nodePools: [
        {
          name: 'default',
          requirements: [
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
          ],
          disruption: { consolidationPolicy: 'WhenEmpty' },
        },
      ],
    },
  });
}

async function notices(s: ReturnType<typeof scenario>): Promise<Array<[number, string, string]>> {
  return eventsOf(await simulate(s, 'karpenter'), 'karpenter', 'node.interruption').map((e) => [e.t, e.node, e.kind]);
}

function issuesOf(spotInterruptions: Record<string, unknown>): ValidationIssue[] {
  try {
    parseScenario(scenarioData({ cloud: { spotInterruptions } }), 'bad.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('the Spot interruption knob', () => {
  it('interrupts Spot nodes the same way for the same seed', async () => {
    const first = await notices(withInterruptions({ ratePerHour: 1 }));
    expect(first.filter(([, , kind]) => kind === 'spot-interruption').length).toBeGreaterThan(0);
    expect(await notices(withInterruptions({ ratePerHour: 1 }))).toEqual(first);
  });

  it('interrupts at other times for another seed', async () => {
    expect(await notices(withInterruptions({ ratePerHour: 1 }, 2))).not.toEqual(await notices(withInterruptions({ ratePerHour: 1 }, 1)));
  });

  it('sends the rebalance recommendation rebalanceLead before each warning, and terminates the node after the warning', async () => {
    const events = await simulate(withInterruptions({ ratePerHour: 1, warning: '5m', rebalanceLead: '10m' }), 'karpenter');
    const warnings = eventsOf(events, 'karpenter', 'node.interruption').filter((e) => e.kind === 'spot-interruption');
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      const launchedAt = eventsOf(events, 'karpenter', 'node.launched').find((e) => e.node === w.node)!.t;
      const rebalance = eventsOf(events, 'karpenter', 'node.interruption').find((e) => e.node === w.node && e.kind === 'rebalance-recommendation')!;
      expect(rebalance.t).toBe(Math.max(launchedAt, w.t - 600_000));
      expect(w.deadlineT).toBe(w.t + 300_000);
    }
  });

  it('interrupts nothing at a rate of zero', async () => {
    expect(await notices(withInterruptions({ ratePerHour: 0 }))).toEqual([]);
  });

  it('takes the most specific override: type and zone, then type, then zone', () => {
    const spec = {
      ratePerHour: 0.1,
      warning: 120_000,
      rebalanceLead: 0,
      overrides: [
        { zone: 'us-east-1a', ratePerHour: 0.3 },
        { instanceType: 'm5.large', ratePerHour: 0.5 },
        { instanceType: 'm5.large', zone: 'us-east-1b', ratePerHour: 0.9 },
      ],
    };
    expect(interruptionRate(spec, 'm5.large', 'us-east-1b')).toBe(0.9);
    expect(interruptionRate(spec, 'm5.large', 'us-east-1a')).toBe(0.5);
    expect(interruptionRate(spec, 'c5.large', 'us-east-1a')).toBe(0.3);
    expect(interruptionRate(spec, 'c5.large', 'us-east-1c')).toBe(0.1);
  });

  it.each(['1m', '16m'])('rejects a warning of %s, outside the 2m..15m AWS FIS allows', (warning) => {
    expect(issuesOf({ ratePerHour: 0.05, warning })).toContainEqual({ path: 'cloud.spotInterruptions.warning', message: expect.stringMatching(/within 2m\.\.15m/) });
  });

  it('reports every problem of the knob at once, each at its path', () => {
    const issues = issuesOf({ ratePerHour: -1, warning: '30s', overrides: [{ ratePerHour: 0.1 }, { zone: 'us-west-2a', ratePerHour: 0.1 }, { instanceType: 'm5.nope', ratePerHour: 0.1 }] });
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'cloud.spotInterruptions.ratePerHour',
        'cloud.spotInterruptions.warning',
        'cloud.spotInterruptions.overrides[0]',
      ]),
    );
  });

  it('rejects overrides naming a zone outside the cluster or a type without Spot offerings', () => {
    const issues = issuesOf({ ratePerHour: 0.1, overrides: [{ zone: 'us-west-2a', ratePerHour: 0.1 }, { instanceType: 'm5.nope', ratePerHour: 0.1 }] });
    expect(issues).toEqual([
      { path: 'cloud.spotInterruptions.overrides[0].zone', message: "'us-west-2a' is not one of cluster.zones" },
      { path: 'cloud.spotInterruptions.overrides[1].instanceType', message: expect.stringMatching(/'m5.nope' has no spot offering/) },
    ]);
  });

  it('is printed by the dry run', () => {
    const s = withInterruptions({ ratePerHour: 0.05, overrides: [{ instanceType: 'm5.large', zone: 'us-east-1a', ratePerHour: 0.2 }] });
    expect(describePlan(s, 1)).toContain('spot interruptions: 0.05 per Spot instance-hour, warning 2m, rebalance recommendation 0s before it; overrides: m5.large in us-east-1a 0.2\n');
    expect(describePlan(scenario(), 1)).toContain('spot interruptions: none\n');
  });
});
