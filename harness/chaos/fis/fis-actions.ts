import type { FaultSpec } from '../../../scenarios/schema/fault-schema.js';

/**
 * Why AWS FIS cannot express a fault as burstlab means it, or null when one of its actions does
 * (harness/chaos/fis/fis-template.ts builds the template):
 * - spot-interruption: aws:ec2:send-spot-instance-interruptions;
 * - node-failure: aws:ec2:terminate-instances, or aws:ec2:stop-instances for NotReady (started again after the duration);
 * - insufficient-capacity: aws:ec2:api-insufficient-instance-capacity-error on the provisioner's role and
 *   aws:ec2:asg-insufficient-instance-capacity-error on the node groups' ASGs, which fail launches per zone, not per
 *   instance type or capacity type;
 * - api-throttling: aws:fis:inject-api-throttle-error on the provisioner's role for the EC2 launch calls;
 * - zone-outage: aws:ec2:stop-instances on every node in the zone, started again after the duration, with both
 *   capacity-error actions on that zone for the same duration: the zone's nodes go NotReady and nothing launches
 *   there until it ends (the zone's network stays up, which burstlab's fault does not model either).
 */
export function fisCannot(f: FaultSpec): string | null {
  switch (f.type) {
    case 'spot-interruption':
    case 'node-failure':
      if (f.select.labels !== undefined) return 'FIS selects instances by EC2 tags and filters, not by Kubernetes node labels; select by nodePool, nodeGroup, zone, instanceType or capacityType';
      if (f.type === 'node-failure' && f.select.capacityType === 'on-demand') return 'FIS can filter Spot instances (InstanceLifecycle) but has no filter for on-demand ones; select by nodePool or nodeGroup';
      return null;
    case 'api-throttling':
      return null;
    case 'insufficient-capacity':
      return f.zones !== undefined
        ? null
        : 'FIS fails launches per availability zone (aws:ec2:api-insufficient-instance-capacity-error, aws:ec2:asg-insufficient-instance-capacity-error), not per instance type or capacity type; write the fault with zones:';
    case 'zone-outage':
      return null;
    case 'autoscaler-crash':
      return 'FIS cannot keep the autoscaler down for a duration (aws:eks:pod-delete restarts its pod at once); stop it yourself, or leave the fault to sim and kwok';
  }
}
