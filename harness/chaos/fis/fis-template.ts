import { z } from 'zod';
import type { FaultSpec, NodeSelectorSpec } from '../../../scenarios/schema/fault-schema.js';
import type { PlannedFault } from '../plan.js';
import { fisCannot } from './fis-actions.js';

/** What a template needs from the EKS target: names and ARNs burstlab does not invent. */
export interface FisContext {
  clusterName: string;
  /** The role FIS assumes to run the experiment. */
  fisRoleArn: string;
  /** The provisioner's (Karpenter's) IAM role: the API-error actions target it. */
  provisionerRoleArn: string;
  /** CloudWatch alarms that stop the experiment; none means `source: none`, which the EKS run must refuse to start. */
  stopAlarmArns: readonly string[];
  /** Node group name -> its Auto Scaling group's name. */
  asgNames: Readonly<Record<string, string>>;
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const NAME = /^[\S]{1,64}$/;
const target = z.strictObject({
  resourceType: z.string().min(1).max(64),
  resourceArns: z.array(z.string().regex(/^arn:aws[\w-]*:[\w-]+:/)).max(5).optional(),
  resourceTags: z.record(z.string().regex(TAG_KEY), z.string().max(256)).optional(),
  filters: z.array(z.strictObject({ path: z.string().min(1).max(256), values: z.array(z.string().max(128)).min(1) })).optional(),
  selectionMode: z.string().regex(/^(ALL|COUNT\([1-9]\d*\)|PERCENT\(([1-9]\d?|100)\))$/),
  parameters: z.record(z.string(), z.string()).optional(),
});
const action = z.strictObject({
  actionId: z.string().regex(/^aws:[a-z0-9-]+:[a-z0-9-]+$/).max(128),
  description: z.string().max(512).optional(),
  parameters: z.record(z.string().max(64), z.string().max(1024)).optional(),
  targets: z.record(z.string().max(64), z.string().regex(NAME)).optional(),
  startAfter: z.array(z.string().regex(NAME)).optional(),
});

/** The request shape of FIS CreateExperimentTemplate (API 2020-12-01), as far as burstlab fills it in. */
export const experimentTemplateSchema = z.strictObject({
  clientToken: z.string().min(1).max(1024),
  description: z.string().min(1).max(512),
  roleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+/),
  stopConditions: z.array(z.strictObject({ source: z.string().regex(/^(none|aws:cloudwatch:alarm)$/), value: z.string().max(2048).optional() })).min(1),
  targets: z.record(z.string().regex(NAME), target),
  actions: z.record(z.string().regex(NAME), action),
  tags: z.record(z.string().regex(TAG_KEY), z.string().max(256)).optional(),
});
export type ExperimentTemplate = z.output<typeof experimentTemplateSchema>;

/** The key an action names its target under, and the resource type that target must have (FIS' action reference). */
const ACTION_TARGET: Readonly<Record<string, { key: string; resourceType: string }>> = {
  'aws:ec2:send-spot-instance-interruptions': { key: 'SpotInstances', resourceType: 'aws:ec2:spot-instance' },
  'aws:ec2:terminate-instances': { key: 'Instances', resourceType: 'aws:ec2:instance' },
  'aws:ec2:stop-instances': { key: 'Instances', resourceType: 'aws:ec2:instance' },
  'aws:ec2:api-insufficient-instance-capacity-error': { key: 'Roles', resourceType: 'aws:iam:role' },
  'aws:ec2:asg-insufficient-instance-capacity-error': { key: 'AutoScalingGroups', resourceType: 'aws:ec2:autoscaling-group' },
  'aws:fis:inject-api-throttle-error': { key: 'Roles', resourceType: 'aws:iam:role' },
};

/** Milliseconds as an ISO 8601 duration, FIS' parameter format: 150000 -> PT2M30S. */
export function isoDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest || (!h && !m) ? `${rest}S` : ''}`;
}

/**
 * Everything wrong with a template against the API's shapes and burstlab's own rules: the request shape; each
 * action's target under the key its action takes, naming a target of the right resource type; and every target
 * scoped by ARNs or tags, never every instance of the account.
 */
export function templateIssues(t: unknown): string[] {
  const parsed = experimentTemplateSchema.safeParse(t);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(template)'}: ${i.message}`);
  const out: string[] = [];
  for (const [name, tg] of Object.entries(parsed.data.targets)) {
    if (!tg.resourceArns?.length && !Object.keys(tg.resourceTags ?? {}).length) out.push(`targets.${name}: neither resourceArns nor resourceTags: it would select every ${tg.resourceType} of the account`);
  }
  for (const [name, a] of Object.entries(parsed.data.actions)) {
    const expected = ACTION_TARGET[a.actionId];
    if (!expected) {
      out.push(`actions.${name}.actionId: '${a.actionId}' is not an action burstlab generates`);
      continue;
    }
    const ref = a.targets?.[expected.key];
    if (!ref) out.push(`actions.${name}.targets: ${a.actionId} takes its target under '${expected.key}'`);
    else if (!parsed.data.targets[ref]) out.push(`actions.${name}.targets.${expected.key}: no target named '${ref}'`);
    else if (parsed.data.targets[ref]!.resourceType !== expected.resourceType) out.push(`actions.${name}.targets.${expected.key}: '${ref}' is ${parsed.data.targets[ref]!.resourceType}, ${a.actionId} needs ${expected.resourceType}`);
  }
  return out;
}

function instanceTarget(sel: NodeSelectorSpec, how: { nodes?: number; percent?: number }, spot: boolean, ctx: FisContext): z.input<typeof target> {
  const tags: Record<string, string> = { [`kubernetes.io/cluster/${ctx.clusterName}`]: 'owned' };
  if (sel.nodePool !== undefined) tags['karpenter.sh/nodepool'] = sel.nodePool;
  if (sel.nodeGroup !== undefined) tags['aws:autoscaling:groupName'] = ctx.asgNames[sel.nodeGroup] ?? sel.nodeGroup;
  const filters = [{ path: 'State.Name', values: ['running'] }];
  if (sel.zone !== undefined) filters.push({ path: 'Placement.AvailabilityZone', values: [sel.zone] });
  if (sel.instanceType !== undefined) filters.push({ path: 'InstanceType', values: [sel.instanceType] });
  if (!spot && sel.capacityType === 'spot') filters.push({ path: 'InstanceLifecycle', values: ['spot'] });
  return {
    resourceType: spot ? 'aws:ec2:spot-instance' : 'aws:ec2:instance',
    resourceTags: tags,
    filters,
    selectionMode: how.nodes !== undefined ? `COUNT(${how.nodes})` : `PERCENT(${Math.ceil(how.percent!)})`,
  };
}

function body(f: FaultSpec, ctx: FisContext): Pick<ExperimentTemplate, 'targets' | 'actions'> {
  const role = { resourceType: 'aws:iam:role', resourceArns: [ctx.provisionerRoleArn], selectionMode: 'ALL' };
  switch (f.type) {
    case 'spot-interruption':
      return {
        targets: { spotNodes: instanceTarget(f.select, f, true, ctx) },
        actions: { interrupt: { actionId: 'aws:ec2:send-spot-instance-interruptions', parameters: { durationBeforeInterruption: isoDuration(f.durationBeforeInterruption) }, targets: { SpotInstances: 'spotNodes' } } },
      };
    case 'node-failure':
      return {
        targets: { nodes: instanceTarget(f.select, f, false, ctx) },
        actions: {
          fail:
            f.mode === 'terminate'
              ? { actionId: 'aws:ec2:terminate-instances', targets: { Instances: 'nodes' } }
              : { actionId: 'aws:ec2:stop-instances', ...(f.duration === undefined ? {} : { parameters: { startInstancesAfterDuration: isoDuration(f.duration) } }), targets: { Instances: 'nodes' } },
        },
      };
    case 'insufficient-capacity': {
      const parameters = { duration: isoDuration(f.duration), availabilityZoneIdentifiers: f.zones!.join(','), percentage: '100' };
      return {
        targets: { provisionerRole: role, nodeGroupAsgs: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { [`kubernetes.io/cluster/${ctx.clusterName}`]: 'owned' }, selectionMode: 'ALL' } },
        actions: {
          provisionerIce: { actionId: 'aws:ec2:api-insufficient-instance-capacity-error', parameters, targets: { Roles: 'provisionerRole' } },
          asgIce: { actionId: 'aws:ec2:asg-insufficient-instance-capacity-error', parameters, targets: { AutoScalingGroups: 'nodeGroupAsgs' } },
        },
      };
    }
    case 'api-throttling':
      return {
        targets: { provisionerRole: role },
        actions: { throttle: { actionId: 'aws:fis:inject-api-throttle-error', parameters: { service: 'ec2', operations: 'RunInstances,CreateFleet', percentage: '100', duration: isoDuration(f.duration) }, targets: { Roles: 'provisionerRole' } } },
      };
    case 'zone-outage': {
      const parameters = { duration: isoDuration(f.duration), availabilityZoneIdentifiers: f.zone, percentage: '100' };
      return {
        targets: {
          zoneNodes: { ...instanceTarget({ zone: f.zone }, { percent: 100 }, false, ctx), selectionMode: 'ALL' },
          provisionerRole: role,
          nodeGroupAsgs: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { [`kubernetes.io/cluster/${ctx.clusterName}`]: 'owned' }, selectionMode: 'ALL' },
        },
        actions: {
          stopZone: { actionId: 'aws:ec2:stop-instances', parameters: { startInstancesAfterDuration: isoDuration(f.duration) }, targets: { Instances: 'zoneNodes' } },
          provisionerIce: { actionId: 'aws:ec2:api-insufficient-instance-capacity-error', parameters, targets: { Roles: 'provisionerRole' } },
          asgIce: { actionId: 'aws:ec2:asg-insufficient-instance-capacity-error', parameters, targets: { AutoScalingGroups: 'nodeGroupAsgs' } },
        },
      };
    }
    case 'autoscaler-crash':
      throw new Error(`${f.type} has no FIS template (fisCannot says why)`);
  }
}

/**
 * The FIS experiment template for each injection of the plan, validated (templateIssues). Generated here, started by
 * the EKS target at each injection's time. A fault FIS cannot express is refused before anything is generated
 * (FAULT_BACKENDS.eks in harness/chaos/backend.ts reports it as a validation error).
 */
export function fisTemplates(plan: readonly PlannedFault[], scenario: string, ctx: FisContext): Array<{ id: string; atMs: number; template: ExperimentTemplate }> {
  return plan.map((p) => {
    const why = fisCannot(p.fault);
    if (why !== null) throw new Error(`${p.id}: FIS cannot express ${p.fault.type}: ${why}`);
    const template = {
      clientToken: `burstlab-${scenario}-${p.id}`.replace(/[^\w-]/g, '-'),
      description: `burstlab ${scenario} ${p.id}: ${p.detail}`.slice(0, 512),
      roleArn: ctx.fisRoleArn,
      stopConditions: ctx.stopAlarmArns.length ? ctx.stopAlarmArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value })) : [{ source: 'none' }],
      ...body(p.fault, ctx),
      tags: { 'burstlab.io/scenario': scenario, 'burstlab.io/fault': p.id },
    };
    const issues = templateIssues(template);
    if (issues.length) throw new Error(`${p.id}: the generated FIS template is invalid: ${issues.join('; ')}`);
    return { id: p.id, atMs: p.atMs, template: template as ExperimentTemplate };
  });
}
