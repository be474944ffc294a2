import { describe, expect, it } from 'vitest';
import { eksPlan } from '../../../harness/targets/eks/eks-plan.js';
import type { EksInputs } from '../../../harness/targets/eks/eks-inputs.js';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { scenario } from '../../support/scenarios.js';

const catalog = new Catalog({ region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
const RUNNER = 'arn:aws:iam::123456789012:role/burstlab-runner';
const inputs: EksInputs = {
  region: 'us-east-1', clusterName: 'game-day', runId: 'gd-1', launchTemplate: { name: 'nodes' },
  subnetFilters: [], fisRoleArn: 'arn:aws:iam::123456789012:role/fis', runnerRoleArn: RUNNER, stopAlarmArn: undefined, interruptionQueue: undefined,
};
const planOf = (faults: unknown[], overrides: Partial<EksInputs> = {}) => eksPlan(scenario({ faults }), catalog, 1, { ...inputs, ...overrides });

describe('the EKS plan', () => {
  it("scopes an instance fault to the run's own instances of the node group, by tags its launches carry", () => {
    const [e] = planOf([{ type: 'node-failure', at: '5m', nodes: 1, mode: 'terminate', select: { nodeGroup: 'ng-m5-large' } }]).experiments;
    expect(e!.input.targets!.nodes!.resourceTags).toEqual({ 'burstlab.dev/run': 'gd-1', 'burstlab.dev/nodegroup': 'ng-m5-large' });
    expect(e!.input.stopConditions).toEqual([{ source: 'none' }]);
  });

  it("fails launches in a zone on the runner's own role, without the Auto Scaling group action its arms have no use for", () => {
    const [e] = planOf([{ type: 'insufficient-capacity', at: '5m', duration: '5m', zones: ['us-east-1b'] }]).experiments;
    expect(Object.keys(e!.input.actions!)).toEqual(['provisionerIce']);
    expect(e!.input.targets).toEqual({ provisionerRole: { resourceType: 'aws:iam:role', resourceArns: [RUNNER], selectionMode: 'ALL' } });
  });

  it('escapes a hostile run id in the target tags as the launches were tagged, so it can act as no wildcard', () => {
    const [e] = planOf([{ type: 'spot-interruption', at: '5m', nodes: 1, select: { nodePool: 'default' } }], { runId: 'gd*1' }).experiments;
    expect(e!.input.targets!.spotNodes!.resourceTags).toEqual({ 'burstlab.dev/run': 'gd+2A1', 'karpenter.sh/nodepool': 'default' });
    expect(e!.input.tags!['burstlab.dev/run']).toBe('gd+2A1');
  });

  it('lists what a real run still needs, and shows placeholders for it', () => {
    const plan = planOf([{ type: 'api-throttling', at: '5m', duration: '1m' }], { fisRoleArn: undefined, runnerRoleArn: undefined, launchTemplate: undefined, clusterName: undefined });
    expect(plan.missing.map((m) => m.split(':')[0])).toEqual(['the cluster', '--fis-role-arn', '--runner-role-arn', '--launch-template']);
    expect(plan.experiments[0]!.input.roleArn).toBe('arn:aws:iam::000000000000:role/FIS-ROLE-NOT-GIVEN');
  });

  it('is the same plan for the same scenario, seed and inputs', () => {
    const faults = [{ type: 'spot-interruption', at: '5m', percent: 50 }];
    expect(planOf(faults)).toEqual(planOf(faults));
  });
});
