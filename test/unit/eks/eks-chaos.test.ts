import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { eksFaultNode, instanceScopedTemplate } from '../../../harness/targets/eks/eks-chaos.js';

const ROLE = 'arn:aws:iam::123456789012:role/runner';
const ARN = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';

/** A zone outage's template as the plan makes it: the zone's instances by run tag, and the runner role. */
function planned(): CreateExperimentTemplateCommandInput {
  return {
    clientToken: 'token',
    description: 'zone outage',
    roleArn: 'arn:aws:iam::123456789012:role/fis',
    stopConditions: [{ source: 'none' }],
    targets: {
      zoneNodes: { resourceType: 'aws:ec2:instance', resourceTags: { 'burstlab.dev/run': 'gd-1' }, filters: [{ path: 'Placement.AvailabilityZone', values: ['us-east-1a'] }], selectionMode: 'ALL' },
      provisionerRole: { resourceType: 'aws:iam:role', resourceArns: [ROLE], selectionMode: 'ALL' },
    },
    actions: {},
    tags: { 'burstlab.dev/run': 'gd-1' },
  };
}

describe('the template of one injection on EKS', () => {
  it('names the chosen instances by ARN in place of the planned tags and filters, and keeps role targets', () => {
    const t = instanceScopedTemplate(planned(), [ARN]);
    expect(t?.targets).toEqual({
      zoneNodes: { resourceType: 'aws:ec2:instance', resourceArns: [ARN], selectionMode: 'ALL' },
      provisionerRole: { resourceType: 'aws:iam:role', resourceArns: [ROLE], selectionMode: 'ALL' },
    });
  });

  it('leaves the token and stop condition to be made again when it is created', () => {
    const t = instanceScopedTemplate(planned(), [ARN]);
    expect(t).not.toHaveProperty('clientToken');
    expect(t).not.toHaveProperty('stopConditions');
  });

  it('is nothing when the template targets instances and none was chosen', () => {
    expect(instanceScopedTemplate(planned(), [])).toBeUndefined();
  });

  it('reads an EKS managed node group\'s capacity type label as Karpenter\'s', () => {
    const node = eksFaultNode({ metadata: { name: 'n', labels: { 'eks.amazonaws.com/capacityType': 'SPOT', 'eks.amazonaws.com/nodegroup': 'g' } }, spec: { providerID: 'aws:///us-east-1a/i-0abc' } }, []);
    expect(node).toMatchObject({ capacityType: 'spot', owner: 'g', ownerKind: 'nodegroup', providerId: 'aws:///us-east-1a/i-0abc' });
  });
});
