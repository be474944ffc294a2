import { describe, expect, it } from 'vitest';
import { CloudProviderError, InsufficientCapacityError } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { cloudError, FleetLaunchError } from '../../../harness/targets/eks/aws-errors.js';

const offering = { type: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' as const };

function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} from EC2`), { name, $metadata: { httpStatusCode: status } });
}

describe('EC2 errors as the CloudProvider\'s', () => {
  it.each(['InsufficientInstanceCapacity', 'UnfulfillableCapacity'])('maps %s for a launch to InsufficientCapacityError for the offering', (code) => {
    const err = cloudError('create', 'n-1', new FleetLaunchError(code, 'no capacity'), offering);
    expect(err).toBeInstanceOf(InsufficientCapacityError);
    expect(err).toMatchObject(offering);
  });

  it.each(['RequestLimitExceeded', 'Throttling', 'ServiceUnavailable'])('maps %s to a retryable CloudProviderError', (code) => {
    expect(cloudError('create', 'n-1', sdkError(code, 503), offering)).toMatchObject({ name: 'CloudProviderError', retryable: true });
  });

  it('maps a refused connection to a retryable CloudProviderError', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(cloudError('list', 'run-1', err)).toMatchObject({ retryable: true });
  });

  it('maps a quota or a bad request to a CloudProviderError that retrying will not fix, keeping the cause', () => {
    const cause = sdkError('VcpuLimitExceeded', 400);
    const err = cloudError('create', 'n-1', cause, offering);
    expect(err).toBeInstanceOf(CloudProviderError);
    expect(err).toMatchObject({ retryable: false, cause });
    expect(err.message).toMatch(/VcpuLimitExceeded/);
  });
});
