import type { FisTemplate } from '../../harness/targets/eks/fis-template.js';
import { RUN_TAG } from '../../harness/targets/eks/tags.js';

export const FIS_ROLE = 'arn:aws:iam::123456789012:role/burstlab-fis';
export const ALARM = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:burstlab-slo';

/** A Spot interruption of one of the run's instances, scoped by the run tag, as the chaos translation writes it. */
export function spotInterruptionTemplate(runId: string): FisTemplate {
  return {
    description: 'burstlab: interrupt one Spot node',
    roleArn: FIS_ROLE,
    actions: {
      interrupt: {
        actionId: 'aws:ec2:send-spot-instance-interruptions',
        parameters: { durationBeforeInterruption: 'PT2M' },
        targets: { SpotInstances: 'nodes' },
      },
    },
    targets: { nodes: { resourceType: 'aws:ec2:spot-instance', resourceTags: { [RUN_TAG]: runId }, selectionMode: 'COUNT(1)' } },
  };
}
