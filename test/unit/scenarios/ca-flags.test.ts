import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../harness/runner/errors.js';
import { executeScenario } from '../../../harness/runner/execute.js';
import { loadScenario } from '../../../scenarios/load.js';
import { eventsOf, scenario, scenarioData } from '../../support/scenarios.js';

const TYPES = { 'eks-web-asg': 'm5.2xlarge' };

/** A scenario whose only arm is Cluster Autoscaler given by `flags`, with no node groups of its own. */
function caScenario(flags: string[], arm: Record<string, unknown> = { instanceTypes: TYPES }) {
  const data = scenarioData();
  return scenario({
    cluster: { ...(data.cluster as object), nodeGroups: [] },
    autoscalers: [{ name: 'ca', kind: 'cluster-autoscaler', flags, ...arm }],
  });
}

function issuesOf(build: () => unknown): Array<{ path: string; message: string }> {
  try {
    build();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('Cluster Autoscaler flags', () => {
  it("maps a deployment's flags onto the arm's settings and node groups", () => {
    const s = caScenario([
      '--nodes=2:40:eks-web-asg',
      '--expander=price',
      '--scale-down-utilization-threshold=0.4',
      '--scale-down-unneeded-time=5m',
      '--scale-down-delay-after-add=2m',
      '--scan-interval=20s',
      '--max-nodes-per-scaleup=50',
      '--max-node-provision-time=10m',
    ]);
    expect(s.autoscalers[0]).toMatchObject({
      expander: 'price',
      scaleDownUtilizationThreshold: 0.4,
      scaleDownUnneededTime: 300_000,
      scaleDownDelayAfterAdd: 120_000,
      scanInterval: 20_000,
      maxNodesPerScaleUp: 50,
      maxNodeProvisionTime: 600_000,
    });
    expect(s.cluster.nodeGroups).toEqual([expect.objectContaining({ name: 'eks-web-asg', instanceType: 'm5.2xlarge', min: 2, max: 40, capacityType: 'on-demand', autoscaled: true })]);
    expect(s.warnings.filter((w) => w.path.startsWith('autoscalers'))).toEqual([]);
  });

  it('takes the capacity type and priority of an ASG from instanceTypes', () => {
    const s = caScenario(['--nodes=0:10:spot-asg', '--expander=priority'], { instanceTypes: { 'spot-asg': { instanceType: 'c5.xlarge', capacityType: 'spot', priority: 20 } } });
    expect(s.cluster.nodeGroups[0]).toMatchObject({ instanceType: 'c5.xlarge', capacityType: 'spot', priority: 20 });
  });

  it('skips the command itself and flags that only configure logging or identity', () => {
    const s = caScenario(['./cluster-autoscaler', '--v=4', '--cloud-provider=aws', '--cluster-name=prod', '--nodes=1:5:eks-web-asg', '--logtostderr=true']);
    expect(s.warnings.filter((w) => w.path.startsWith('autoscalers'))).toEqual([]);
  });

  it('warns about a flag that changes scaling but is not modelled, naming the flag', () => {
    const s = caScenario(['--nodes=1:5:eks-web-asg', '--balance-similar-node-groups', '--scale-down-delay-after-delete=30s']);
    expect(s.warnings.filter((w) => w.path.startsWith('autoscalers'))).toEqual([
      { path: 'autoscalers[0].flags[1]', message: '--balance-similar-node-groups is parsed but not modelled' },
      { path: 'autoscalers[0].flags[2]', message: '--scale-down-delay-after-delete is parsed but not modelled' },
    ]);
  });

  it('rejects a misspelt flag with the flag it was meant to be, as Cluster Autoscaler refuses unknown flags', () => {
    const issues = issuesOf(() => caScenario(['--nodes=1:5:eks-web-asg', '--expandr=price', '--scan-intervl=10s']));
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['autoscalers[0].flags[1]', expect.stringMatching(/^unknown flag --expandr; did you mean --expander\?/)],
      ['autoscalers[0].flags[2]', expect.stringMatching(/^unknown flag --scan-intervl; did you mean --scan-interval\?/)],
    ]);
  });

  it('warns that an expander chain is cut to its first modelled expander', () => {
    const s = caScenario(['--nodes=1:5:eks-web-asg', '--expander=priority,least-waste']);
    expect(s.autoscalers[0]).toMatchObject({ expander: 'priority' });
    expect(s.warnings).toContainEqual({ path: 'autoscalers[0].flags[1]', message: expect.stringMatching(/expander chains are not modelled/) });
  });

  it('rejects malformed flags, each at its index', () => {
    const issues = issuesOf(() =>
      caScenario(['--nodes=1:10', 'nodes=1:10:eks-web-asg', '--scale-down-utilization-threshold=half', '--scale-down-unneeded-time=10', '--expander=cheapest', '--nodes=9:3:eks-web-asg']),
    );
    expect(issues.map((i) => i.path)).toEqual(['autoscalers[0].flags[0]', 'autoscalers[0].flags[1]', 'autoscalers[0].flags[2]', 'autoscalers[0].flags[3]', 'autoscalers[0].flags[4]', 'autoscalers[0].flags[5]']);
  });

  it('asks for the instance type of an ASG, since its name does not say it', () => {
    const [issue] = issuesOf(() => caScenario(['--nodes=1:10:my-asg'], {}));
    expect(issue).toEqual({ path: 'autoscalers[0].flags[0]', message: expect.stringMatching(/instanceTypes: \{ my-asg: <instance type> \}/) });
  });

  it('rejects an instance type mapped for an ASG no --nodes flag names', () => {
    const issues = issuesOf(() => caScenario(['--nodes=1:10:eks-web-asg'], { instanceTypes: { ...TYPES, 'eks-other': 'm5.large' } }));
    expect(issues.map((i) => i.path)).toEqual(['autoscalers[0].instanceTypes.eks-other']);
  });

  it('rejects a flag that contradicts a setting written on the arm', () => {
    const issues = issuesOf(() => caScenario(['--nodes=1:10:eks-web-asg', '--expander=price'], { instanceTypes: TYPES, expander: 'random' }));
    expect(issues).toEqual([{ path: 'autoscalers[0].flags[1]', message: expect.stringMatching(/sets expander, which the arm also sets/) }]);
  });

  it('scales the ASG a --nodes flag defines when the arm runs on the sim', async () => {
    const { events } = await executeScenario(await loadScenario('scenarios/nodepools/docs-example.yaml'));
    const launched = eventsOf(events, 'cluster-autoscaler', 'node.launched').filter((e) => !e.initial);
    expect(launched.length).toBeGreaterThan(0);
    expect(new Set(launched.map((e) => `${e.owner} ${e.instanceType}`))).toEqual(new Set(['eks-api-m5-2xlarge m5.2xlarge']));
  });

  it('points a node group error from --nodes at its flag', () => {
    const issues = issuesOf(() => caScenario(['--nodes=1:10:eks-web-asg'], { instanceTypes: { 'eks-web-asg': 'm5.huge' } }));
    expect(issues).toEqual([{ path: 'autoscalers[0].flags[0]', message: expect.stringMatching(/m5\.huge/) }]);
  });
});
