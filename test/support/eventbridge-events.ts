/**
 * The four EventBridge events an interruption queue receives, in the shapes AWS documents for them, as message
 * bodies: `spotWarning('i-1')`, `rebalance('i-1')`, `scheduledChange(['i-1'])`, `stateChange('i-1', 'stopping')`.
 */
export const EVENT_TIME = '2026-11-25T10:00:00Z';

function envelope(source: string, detailType: string, detail: object, resources: string[]): string {
  return JSON.stringify({
    version: '0', id: `evt-${detailType.length}-${resources.join(',')}`, 'detail-type': detailType, source,
    account: '123456789012', time: EVENT_TIME, region: 'us-east-1', resources, detail,
  });
}

const arn = (id: string): string => `arn:aws:ec2:us-east-1b:instance/${id}`;

export function spotWarning(instanceId: string): string {
  return envelope('aws.ec2', 'EC2 Spot Instance Interruption Warning', { 'instance-id': instanceId, 'instance-action': 'terminate' }, [arn(instanceId)]);
}

export function rebalance(instanceId: string): string {
  return envelope('aws.ec2', 'EC2 Instance Rebalance Recommendation', { 'instance-id': instanceId }, [arn(instanceId)]);
}

export function stateChange(instanceId: string, state: string): string {
  return envelope('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': instanceId, state }, [arn(instanceId)]);
}

export function scheduledChange(instanceIds: string[], service = 'EC2', startTime = '2026-11-27T02:00:00Z'): string {
  return envelope('aws.health', 'AWS Health Event', {
    eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/x',
    service, eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED', eventTypeCategory: 'scheduledChange',
    startTime, endTime: '2026-11-27T04:00:00Z',
    affectedEntities: instanceIds.map((entityValue) => ({ entityValue })),
  }, instanceIds.map(arn));
}
