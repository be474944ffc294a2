import { CloudProviderError, InsufficientCapacityError } from '../../../provisioner/cloudprovider/cloud-provider.js';
import type { CapacityType } from '../../../provisioner/runtime/events.js';

/**
 * EC2 error codes that mean "this offering has no capacity now": retrying the same type, zone and capacity type
 * soon is pointless, another offering may work. Karpenter puts the same codes in its unavailable-offerings cache.
 */
const NO_CAPACITY = new Set(['InsufficientInstanceCapacity', 'InsufficientHostCapacity', 'InsufficientReservedInstanceCapacity', 'UnfulfillableCapacity', 'Unsupported']);

/** Codes of a call refused for its rate or of a service that failed to answer: the same call may succeed later. */
const RETRYABLE = new Set([
  'RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled',
  'RequestThrottledException', 'TooManyRequestsException', 'SlowDown', 'ServiceUnavailable', 'Unavailable',
  'InternalError', 'InternalFailure', 'ServerInternal', 'RequestTimeout', 'RequestTimeoutException',
  'TimeoutError', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE',
]);

export function isNoCapacity(code: string): boolean {
  return NO_CAPACITY.has(code);
}

/** An AWS SDK error's code: the service's error code (its `name`), or a network error's `code`. */
export function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Unknown';
  const e = err as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  if (typeof e.code === 'string' && e.code.startsWith('E')) return e.code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return 'Unknown';
}

export function isRetryable(err: unknown): boolean {
  if (RETRYABLE.has(errorCode(err))) return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

export interface Offered {
  type: string;
  zone: string;
  capacityType: CapacityType;
}

/**
 * A failed EC2 call as the CloudProvider's typed errors: no capacity for `offering` becomes InsufficientCapacityError
 * (the provisioner's ICE cache, then a fallback offering), throttling and outages a retryable CloudProviderError,
 * anything else a CloudProviderError that retrying will not fix. The SDK error is kept as the cause.
 */
export function cloudError(operation: CloudProviderError['operation'], target: string, err: unknown, offering?: Offered): Error {
  const code = errorCode(err);
  if (offering && isNoCapacity(code)) return new InsufficientCapacityError(offering.type, offering.zone, offering.capacityType, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new CloudProviderError(operation, target, isRetryable(err), `${code}: ${message}`, { cause: err });
}

/** An error EC2 reported inside a successful CreateFleet answer (an `instant` fleet reports failures that way). */
export class FleetLaunchError extends Error {
  constructor(
    code: string,
    message: string,
    readonly type?: string,
    readonly zone?: string,
  ) {
    super(message);
    // The code as the name, as the SDK's own errors carry it, so errorCode and cloudError read both alike.
    this.name = code;
  }
}
