import type { EksPlan } from './eks-plan.js';
import { PLACEHOLDER } from './eks-plan.js';
import { RUN_TAG } from './tags.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  /** Absent in a trust policy, which names a Principal instead. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  Principal?: { Service: string };
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface IamPolicies {
  /** The identity burstlab runs as (its launches, its experiments, its reads, cleanup). */
  runner: PolicyDocument;
  /** The role FIS assumes for the scenario's experiments; absent when the scenario has none. */
  fisRole?: PolicyDocument;
  /** Who may assume that role: FIS only. */
  fisRoleTrust?: PolicyDocument;
}

/** Only resources carrying the run tag (any run id: each run makes a new one). */
const TAGGED = { Null: { [`aws:ResourceTag/${RUN_TAG}`]: 'false' } };
/** Only requests that put the run tag on what they create. */
const TAGGING = { Null: { [`aws:RequestTag/${RUN_TAG}`]: 'false' } };

/** What the instance-targeted FIS actions need on the instances, besides reading them. */
const INSTANCE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'aws:ec2:send-spot-instance-interruptions': ['ec2:SendSpotInstanceInterruptions'],
  'aws:ec2:terminate-instances': ['ec2:TerminateInstances'],
  'aws:ec2:stop-instances': ['ec2:StopInstances', 'ec2:StartInstances'],
};
/** FIS actions that fail the EC2 API calls of an IAM role: ec2:InjectApiError, limited to those actions and roles. */
const API_ERROR_ACTIONS: ReadonlySet<string> = new Set(['aws:ec2:api-insufficient-instance-capacity-error', 'aws:fis:inject-api-throttle-error']);

function arn(service: string, region: string, resource: string): string {
  return `arn:aws:${service}:${region}:*:${resource}`;
}

function uses(plan: EksPlan, service: string, operation: string): boolean {
  return plan.calls.some((c) => c.service === service && c.operation === operation);
}

/**
 * The least-privilege IAM policies for exactly what the plan does: every statement comes from a call in the plan
 * or an action of its FIS templates, and every mutation is limited to resources carrying (or created with) the run
 * tag. Describe calls cannot be scoped by EC2 and take `*`; `iam:PassRole` is limited to the service it passes to.
 */
export function iamPolicies(plan: EksPlan, fisRoleArn: string | undefined, runnerRoleArn: string | undefined, queueName: string | undefined): IamPolicies {
  const r = plan.region;
  const instance = arn('ec2', r, 'instance/*');
  const runner: PolicyStatement[] = [
    {
      Sid: 'ReadInstancesSubnetsPricesTemplates',
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions'],
      Resource: '*',
    },
  ];
  if (uses(plan, 'ec2', 'CreateFleet')) {
    runner.push(
      {
        Sid: 'LaunchOnlyTaggedWithTheRun',
        Effect: 'Allow',
        Action: ['ec2:CreateFleet', 'ec2:RunInstances'],
        Resource: [arn('ec2', r, 'fleet/*'), instance, arn('ec2', r, 'volume/*'), arn('ec2', r, 'network-interface/*'), arn('ec2', r, 'spot-instances-request/*')],
        Condition: TAGGING,
      },
      {
        Sid: 'LaunchFromTheTemplateIntoTheSubnets',
        Effect: 'Allow',
        Action: ['ec2:CreateFleet', 'ec2:RunInstances'],
        Resource: [arn('ec2', r, 'launch-template/*'), arn('ec2', r, 'subnet/*'), arn('ec2', r, 'security-group/*'), 'arn:aws:ec2:*::image/*', arn('ec2', r, 'key-pair/*')],
      },
      {
        Sid: 'TagOnlyAtLaunch',
        Effect: 'Allow',
        Action: ['ec2:CreateTags'],
        Resource: [arn('ec2', r, 'fleet/*'), instance, arn('ec2', r, 'volume/*'), arn('ec2', r, 'network-interface/*'), arn('ec2', r, 'spot-instances-request/*')],
        Condition: { StringEquals: { 'ec2:CreateAction': ['CreateFleet', 'RunInstances'] } },
      },
      {
        Sid: 'PassTheNodeRoleToEc2',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: 'arn:aws:iam::*:role/*',
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    );
  }
  runner.push({ Sid: 'TerminateOnlyTheRunsInstances', Effect: 'Allow', Action: ['ec2:TerminateInstances'], Resource: instance, Condition: TAGGED });
  const experiments = plan.experiments.length > 0;
  runner.push(
    { Sid: 'FindTheRunsExperiments', Effect: 'Allow', Action: ['fis:ListExperimentTemplates', 'fis:ListExperiments'], Resource: '*' },
    {
      Sid: 'StopAndDeleteOnlyTheRunsExperiments',
      Effect: 'Allow',
      Action: ['fis:GetExperiment', 'fis:StopExperiment', 'fis:GetExperimentTemplate', 'fis:DeleteExperimentTemplate', ...(experiments ? ['fis:StartExperiment'] : [])],
      Resource: [arn('fis', r, 'experiment/*'), arn('fis', r, 'experiment-template/*')],
      Condition: TAGGED,
    },
  );
  if (experiments) {
    runner.push(
      {
        Sid: 'CreateOnlyTaggedExperiments',
        Effect: 'Allow',
        Action: ['fis:CreateExperimentTemplate', 'fis:StartExperiment', 'fis:TagResource'],
        Resource: [arn('fis', r, 'experiment-template/*'), arn('fis', r, 'experiment/*')],
        Condition: TAGGING,
      },
      { Sid: 'UseTheScenariosFisActions', Effect: 'Allow', Action: ['fis:CreateExperimentTemplate', 'fis:StartExperiment'], Resource: arn('fis', r, 'action/*') },
      {
        Sid: 'PassTheFisRole',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: fisRoleArn ?? 'arn:aws:iam::*:role/*',
        Condition: { StringEquals: { 'iam:PassedToService': 'fis.amazonaws.com' } },
      },
    );
  }
  if (queueName) {
    runner.push({ Sid: 'ReadTheInterruptionQueue', Effect: 'Allow', Action: ['sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: arn('sqs', r, queueName) });
  }
  const out: IamPolicies = { runner: { Version: '2012-10-17', Statement: runner } };
  if (!experiments) return out;
  const actionIds = new Set(plan.experiments.flatMap((e) => Object.values(e.input.actions ?? {}).map((a) => a.actionId ?? '')));
  const fis: PolicyStatement[] = [{ Sid: 'ResolveInstanceTargets', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' }];
  const onInstances = [...new Set([...actionIds].flatMap((id) => INSTANCE_ACTIONS[id] ?? []))].sort();
  if (onInstances.length) fis.push({ Sid: 'ActOnlyOnTheRunsInstances', Effect: 'Allow', Action: onInstances, Resource: instance, Condition: TAGGED });
  const apiErrors = [...actionIds].filter((id) => API_ERROR_ACTIONS.has(id)).sort();
  if (apiErrors.length) {
    fis.push({
      Sid: 'FailOnlyTheRunnersLaunchCalls',
      Effect: 'Allow',
      Action: ['ec2:InjectApiError'],
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'ec2:FisActionId': apiErrors }, StringEquals: { 'ec2:FisTargetArns': runnerRoleArn ?? PLACEHOLDER.runnerRole } },
    });
  }
  return {
    ...out,
    fisRole: { Version: '2012-10-17', Statement: fis },
    fisRoleTrust: { Version: '2012-10-17', Statement: [{ Sid: 'FisOnly', Effect: 'Allow', Principal: { Service: 'fis.amazonaws.com' }, Action: ['sts:AssumeRole'] }] },
  };
}
