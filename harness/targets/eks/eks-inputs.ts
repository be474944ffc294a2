import type { Filter } from '@aws-sdk/client-ec2';
import type { LaunchTemplateRef } from './fleet.js';

/**
 * What a game day on EKS needs beyond the scenario: names and ARNs burstlab never invents (DESIGN.md principle 8).
 * A dry-run fills what is missing with visible placeholders and lists it; a real run refuses to start without it.
 */
export interface EksInputs {
  region: string;
  /** The cluster the kubeconfig context points at (an EKS ARN's last segment), or undefined when unknown. */
  clusterName: string | undefined;
  runId: string;
  launchTemplate: LaunchTemplateRef | undefined;
  /** Which subnets instances go into, as an EC2NodeClass' subnetSelectorTerms would select them. */
  subnetFilters: Filter[];
  /** The role FIS assumes to run the experiments. */
  fisRoleArn: string | undefined;
  /** The role burstlab itself runs as: its launches are the ones FIS' API-error actions fail. */
  runnerRoleArn: string | undefined;
  /** A CloudWatch alarm that stops every experiment; without one, burstlab's SLO guard stops them. */
  stopAlarmArn: string | undefined;
  /** The SQS queue EventBridge sends the EC2 interruption events to, when the user set one up. */
  interruptionQueue: string | undefined;
}

/**
 * A fresh run id: the scenario and the start time (UTC, to the second), as a tag value, a Kubernetes label value
 * and part of a namespace name alike (lower-case letters, digits and dashes, at most 40 characters).
 */
export function newRunId(scenario: string, startedAtIso: string): string {
  const stamp = startedAtIso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-').replace('Z', '').toLowerCase();
  const prefix = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40 - stamp.length - 1);
  return `${prefix}-${stamp}`;
}

/** The default subnet selector: Karpenter's discovery tag for the cluster. */
export function discoveryFilters(clusterName: string): Filter[] {
  return [{ Name: 'tag:karpenter.sh/discovery', Values: [clusterName] }];
}

/** `lt-0abc...` is a launch template id, anything else its name. */
export function launchTemplateRef(value: string): LaunchTemplateRef {
  return /^lt-[0-9a-f]{8,}$/.test(value) ? { id: value } : { name: value };
}
