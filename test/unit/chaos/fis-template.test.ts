import { describe, expect, it } from 'vitest';
import { fisTemplates, isoDuration, templateIssues } from '../../../harness/chaos/fis/fis-template.js';
import { faultPlan } from '../../../harness/chaos/plan.js';
import { faultTargetIssues } from '../../../harness/chaos/backend.js';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { scenario } from '../../support/scenarios.js';

const catalog = new Catalog({ region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
const ctx = {
  clusterName: 'game-day',
  fisRoleArn: 'arn:aws:iam::123456789012:role/fis',
  provisionerRoleArn: 'arn:aws:iam::123456789012:role/karpenter',
  stopAlarmArns: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:error-rate'],
  asgNames: { 'ng-m5-large': 'eks-ng-m5-large-abc' },
};
const templatesOf = (faults: unknown[]) => fisTemplates(faultPlan(scenario({ faults }), catalog), 'test', ctx);

describe('FIS experiment templates', () => {
  it('sends Spot interruptions with the warning as durationBeforeInterruption to a tag-scoped share of the pool', () => {
    const [{ template }] = templatesOf([{ type: 'spot-interruption', at: '5m', percent: 20, durationBeforeInterruption: '5m', select: { nodePool: 'default', zone: 'us-east-1b' } }]);
    expect(template.actions.interrupt).toEqual({ actionId: 'aws:ec2:send-spot-instance-interruptions', parameters: { durationBeforeInterruption: 'PT5M' }, targets: { SpotInstances: 'spotNodes' } });
    expect(template.targets.spotNodes).toMatchObject({
      resourceType: 'aws:ec2:spot-instance',
      resourceTags: { 'kubernetes.io/cluster/game-day': 'owned', 'karpenter.sh/nodepool': 'default' },
      selectionMode: 'PERCENT(20)',
    });
    expect(template.targets.spotNodes!.filters).toContainEqual({ path: 'Placement.AvailabilityZone', values: ['us-east-1b'] });
    expect(template.stopConditions).toEqual([{ source: 'aws:cloudwatch:alarm', value: ctx.stopAlarmArns[0] }]);
  });

  it('terminates, or stops and restarts, the chosen nodes of a node group by its ASG tag', () => {
    const [terminate, stop] = templatesOf([
      { type: 'node-failure', at: '5m', nodes: 2, mode: 'terminate', select: { nodeGroup: 'ng-m5-large' } },
      { type: 'node-failure', at: '6m', nodes: 1, duration: '10m', select: { nodeGroup: 'ng-m5-large' } },
    ]);
    expect(terminate!.template.actions.fail!.actionId).toBe('aws:ec2:terminate-instances');
    expect(terminate!.template.targets.nodes).toMatchObject({ resourceTags: { 'aws:autoscaling:groupName': 'eks-ng-m5-large-abc' }, selectionMode: 'COUNT(2)' });
    expect(stop!.template.actions.fail).toMatchObject({ actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT10M' } });
  });

  it("fails launches in a zone on the provisioner's role and on the node groups' ASGs", () => {
    const [{ template }] = templatesOf([{ type: 'insufficient-capacity', at: '5m', duration: '10m', zones: ['us-east-1a'] }]);
    expect(template.actions.provisionerIce).toMatchObject({ actionId: 'aws:ec2:api-insufficient-instance-capacity-error', parameters: { duration: 'PT10M', availabilityZoneIdentifiers: 'us-east-1a' } });
    expect(template.targets.provisionerRole).toMatchObject({ resourceArns: [ctx.provisionerRoleArn] });
    expect(template.actions.asgIce!.actionId).toBe('aws:ec2:asg-insufficient-instance-capacity-error');
  });

  it('throttles the EC2 launch calls of the provisioner role', () => {
    const [{ template }] = templatesOf([{ type: 'api-throttling', at: '5m', duration: '90s' }]);
    expect(template.actions.throttle).toMatchObject({ actionId: 'aws:fis:inject-api-throttle-error', parameters: { service: 'ec2', duration: 'PT1M30S' } });
  });

  it('rejects a target that is not scoped by tags or ARNs, and an action under the wrong target key', () => {
    const [{ template }] = templatesOf([{ type: 'spot-interruption', at: '5m', nodes: 1 }]);
    const untagged = { ...template, targets: { spotNodes: { ...template.targets.spotNodes!, resourceTags: {} } } };
    expect(templateIssues(untagged)).toEqual([expect.stringMatching(/^targets.spotNodes: neither resourceArns nor resourceTags/)]);
    const wrongKey = { ...template, actions: { interrupt: { ...template.actions.interrupt!, targets: { Instances: 'spotNodes' } } } };
    expect(templateIssues(wrongKey)).toEqual([expect.stringMatching(/takes its target under 'SpotInstances'/)]);
    expect(templateIssues({ ...template, roleArn: 'fis' })[0]).toMatch(/^roleArn:/);
  });

  it('is a validation error for target eks when neither FIS nor burstlab\'s EC2 provider can inject the fault', () => {
    const s = scenario({ faults: [{ type: 'autoscaler-crash', at: '5m', duration: '5m' }, { type: 'insufficient-capacity', at: '5m', duration: '5m', capacityType: 'spot' }] });
    expect(faultTargetIssues(s, 'eks').map((i) => i.path)).toEqual(['faults[0]']);
    expect(() => fisTemplates(faultPlan(s, catalog), 'test', ctx)).toThrow(/FIS cannot express autoscaler-crash/);
  });

  it('takes a zone away by stopping its nodes until the outage ends and failing launches there meanwhile', () => {
    const [{ template }] = templatesOf([{ type: 'zone-outage', at: '5m', zone: 'us-east-1a', duration: '30m' }]);
    expect(template.actions.stopZone).toEqual({ actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: 'PT30M' }, targets: { Instances: 'zoneNodes' } });
    expect(template.targets.zoneNodes).toMatchObject({ selectionMode: 'ALL', filters: expect.arrayContaining([{ path: 'Placement.AvailabilityZone', values: ['us-east-1a'] }]) });
    expect(template.actions.provisionerIce!.parameters).toEqual({ duration: 'PT30M', availabilityZoneIdentifiers: 'us-east-1a', percentage: '100' });
    expect(template.actions.asgIce!.actionId).toBe('aws:ec2:asg-insufficient-instance-capacity-error');
  });

  it('writes durations as ISO 8601', () => {
    expect([isoDuration(120_000), isoDuration(3_600_000), isoDuration(5_400_000), isoDuration(0)]).toEqual(['PT2M', 'PT1H', 'PT1H30M', 'PT0S']);
  });
});
