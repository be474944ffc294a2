import { DescribeInstancesCommand, DescribeSpotPriceHistoryCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { CapacityType } from '../../../provisioner/runtime/events.js';

/** What EC2 says about the instance behind a node. */
export interface NodeFacts {
  node: string;
  instanceId: string;
  type: string;
  zone: string;
  capacityType: CapacityType;
  /** The account that owns the instance (the reservation's owner): what the instance's ARN names. */
  account: string | undefined;
  /** EC2's launch time, epoch ms: node launch latency on EKS is measured from it, not from when burstlab saw the node. */
  launchTime: number | undefined;
}

/** The EC2 instance id in a node's providerID (`aws:///us-east-1a/i-0abc...`), or undefined for a node not on EC2. */
export function instanceIdOf(providerId: string | undefined): string | undefined {
  return /^aws:\/\/\/[^/]*\/(i-[0-9a-f]+)$/.exec(providerId ?? '')?.[1];
}

/** EC2 accepts at most this many instance ids in one DescribeInstances call. */
const DESCRIBE_BATCH = 1000;

/**
 * The nodes joined with DescribeInstances by the instance id of their providerID. A node whose providerID names
 * no EC2 instance, or whose instance EC2 no longer describes, is left out: absent facts, never guessed ones.
 */
export async function nodeFacts(ec2: EC2Client, nodes: ReadonlyArray<{ name: string; providerId: string | undefined }>): Promise<NodeFacts[]> {
  const byInstance = new Map<string, string>();
  for (const n of nodes) {
    const id = instanceIdOf(n.providerId);
    if (id) byInstance.set(id, n.name);
  }
  const ids = [...byInstance.keys()].sort();
  const out: NodeFacts[] = [];
  for (let i = 0; i < ids.length; i += DESCRIBE_BATCH) {
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids.slice(i, i + DESCRIBE_BATCH) }], NextToken: token }));
      for (const r of page.Reservations ?? []) {
        for (const inst of r.Instances ?? []) {
          const node = inst.InstanceId ? byInstance.get(inst.InstanceId) : undefined;
          if (!node || !inst.InstanceId) continue;
          out.push({
            node,
            instanceId: inst.InstanceId,
            type: inst.InstanceType ?? '',
            zone: inst.Placement?.AvailabilityZone ?? '',
            capacityType: inst.InstanceLifecycle === 'spot' ? 'spot' : inst.InstanceLifecycle === 'capacity-block' ? 'reserved' : 'on-demand',
            account: r.OwnerId,
            launchTime: inst.LaunchTime?.getTime(),
          });
        }
      }
      token = page.NextToken;
    } while (token);
  }
  return out.sort((a, b) => a.node.localeCompare(b.node));
}

/** The instance's ARN, as FIS targets name resources; undefined when EC2 did not say which account owns it. */
export function instanceArn(region: string, facts: Pick<NodeFacts, 'account' | 'instanceId'>): string | undefined {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return facts.account ? `arn:${partition}:ec2:${region}:${facts.account}:instance/${facts.instanceId}` : undefined;
}

/** Node launch latency as EKS measures it: from EC2's launch time to the node's Ready condition; undefined without both. */
export function launchLatencyMs(facts: Pick<NodeFacts, 'launchTime'>, readyAtEpochMs: number | undefined): number | undefined {
  if (facts.launchTime === undefined || readyAtEpochMs === undefined) return undefined;
  return readyAtEpochMs - facts.launchTime;
}

export interface LiveSpotPrices {
  /** `type/zone` -> USD per hour, the latest price EC2 reported at or before `asOf`. */
  prices: ReadonlyMap<string, number>;
  asOf: Date;
}

/**
 * The Spot prices of the instance types a run used (Linux/UNIX), the latest per type and zone at `asOf`, from
 * DescribeSpotPriceHistory. On-demand prices stay the bundled snapshot's (the Pricing API is not called).
 */
export async function liveSpotPrices(ec2: EC2Client, types: readonly string[], asOf: Date): Promise<LiveSpotPrices> {
  const latest = new Map<string, { price: number; at: number }>();
  if (types.length > 0) {
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeSpotPriceHistoryCommand({
        InstanceTypes: [...new Set(types)].sort() as never,
        ProductDescriptions: ['Linux/UNIX'],
        StartTime: asOf,
        EndTime: asOf,
        NextToken: token,
      }));
      for (const p of page.SpotPriceHistory ?? []) {
        const price = Number(p.SpotPrice);
        if (!p.InstanceType || !p.AvailabilityZone || !Number.isFinite(price)) continue;
        const key = `${p.InstanceType}/${p.AvailabilityZone}`;
        const at = p.Timestamp?.getTime() ?? 0;
        if ((latest.get(key)?.at ?? -Infinity) <= at) latest.set(key, { price, at });
      }
      token = page.NextToken || undefined;
    } while (token);
  }
  return { prices: new Map([...latest].map(([k, v]) => [k, v.price])), asOf };
}

/** The report header's Spot line: live prices say so, with how many offerings and when; none falls back to modelled. */
export function spotPricingNote(live: LiveSpotPrices, modelledNote: string): string {
  if (live.prices.size === 0) return `${modelledNote} (DescribeSpotPriceHistory returned no price for the types seen)`;
  return `live: EC2 DescribeSpotPriceHistory (Linux/UNIX) at ${live.asOf.toISOString()}, ${live.prices.size} type x zone offering(s) of the types the run used`;
}
