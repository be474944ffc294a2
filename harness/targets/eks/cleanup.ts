import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { FisClient } from '@aws-sdk/client-fis';
import { terminateInstances } from './ec2-instances.js';
import { cleanupFis, type FisCleanupReport } from './fis.js';
import { RUN_TAG, tagFilter } from './tags.js';

/** The states of an instance that still runs or may run again (and bills, or holds its volumes). */
const NOT_GONE = ['pending', 'running', 'stopping', 'stopped'];

export interface InstanceCleanupReport {
  /** The instances terminated, by EC2 id. */
  instances: string[];
}

export interface CleanupReport extends InstanceCleanupReport {
  fis: FisCleanupReport;
}

/**
 * Everything a run left on AWS, removed in the order that ends faults first: its FIS experiments are stopped and
 * templates deleted, then its instances terminated.
 */
export async function cleanupRun(clients: { ec2: EC2Client; fis: FisClient }, runId: string): Promise<CleanupReport> {
  const fis = await cleanupFis(clients.fis, runId);
  return { fis, ...(await cleanupInstances(clients.ec2, runId)) };
}

/**
 * Removes what a run left on AWS, found by its run tag alone, so it works after a crash, from another process, with
 * nothing but the run id: every instance of the run that is not already shutting down or gone is terminated,
 * whether or not it carries a node name. Safe to repeat: a second cleanup finds nothing.
 */
export async function cleanupInstances(ec2: EC2Client, runId: string): Promise<InstanceCleanupReport> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({
      Filters: [tagFilter(RUN_TAG, runId), { Name: 'instance-state-name', Values: NOT_GONE }],
      NextToken: token,
    }));
    for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) ids.push(i.InstanceId);
    token = page.NextToken;
  } while (token);
  ids.sort();
  await terminateInstances(ec2, ids);
  return { instances: ids };
}
