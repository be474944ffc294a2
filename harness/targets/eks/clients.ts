import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient } from '@aws-sdk/client-fis';
import type { AwsClients } from './eks-session.js';

/**
 * The run's AWS clients for a region, with credentials from the SDK's default chain. `endpoint` points every
 * client at one emulator (the tests' loopback moto); a real game day leaves it unset.
 */
export function awsClients(region: string, endpoint?: string): AwsClients & { destroy(): void } {
  const config = { region, ...(endpoint ? { endpoint } : {}) };
  const ec2 = new EC2Client(config);
  const fis = new FisClient(config);
  return { ec2, fis, destroy: () => (ec2.destroy(), fis.destroy()) };
}
