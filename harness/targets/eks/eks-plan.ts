import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { createHash } from 'node:crypto';
import { withDefaultRequirements } from '../../../provisioner/api/nodepool.js';
import type { Catalog } from '../../../provisioner/catalog/catalog.js';
import { compatibleTypes } from '../../../provisioner/provisioning/nodepool-types.js';
import type { CapacityType } from '../../../provisioner/runtime/events.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { fisTemplates, templateIssues, type ExperimentTemplate } from '../../chaos/fis/fis-template.js';
import { faultPlan, type PlannedFault } from '../../chaos/plan.js';
import { instanceTags } from './aws-cloud-provider.js';
import type { EksInputs } from './eks-inputs.js';
import { LIVE_NAMESPACE } from '../live/seams.js';
import { safeTemplateInput, type FisTemplate, type StopCondition } from './fis-template.js';
import { fleetInput, MAX_FLEET_OVERRIDES } from './fleet.js';
import { NODEGROUP_TAG, NODEPOOL_TAG, RUN_TAG, escapeTagValue, tagFilter } from './tags.js';

/** The AWS services (and the cluster) a game day calls; each call below names one. */
export type PlannedService = 'ec2' | 'fis' | 'sqs' | 'kubernetes';

/** One kind of call the run makes: when, to what, with which request, and why. */
export interface PlannedCall {
  when: string;
  service: PlannedService;
  operation: string;
  why: string;
  input?: unknown;
}

/** An FIS experiment of the plan: its template as CreateExperimentTemplate will receive it, for each arm in turn. */
export interface PlannedExperiment {
  fault: PlannedFault;
  input: CreateExperimentTemplateCommandInput;
}

/** An insufficient-capacity fault over chosen offerings, which burstlab's own EC2 provider injects (offering-refusals.ts). */
export interface PlannedRefusal {
  fault: PlannedFault;
  offerings: readonly string[];
}

export interface EksPlan {
  runId: string;
  region: string;
  clusterName: string;
  namespace: string;
  stop: StopCondition;
  experiments: PlannedExperiment[];
  refusals: PlannedRefusal[];
  calls: PlannedCall[];
  /** Inputs a real run needs that were not given: the plan shows placeholders for them. */
  missing: string[];
}

/** Visible placeholders for what the user has not given yet; a real run never starts with one. */
export const PLACEHOLDER = {
  cluster: 'CLUSTER',
  account: '000000000000',
  fisRole: 'arn:aws:iam::000000000000:role/FIS-ROLE-NOT-GIVEN',
  runnerRole: 'arn:aws:iam::000000000000:role/RUNNER-ROLE-NOT-GIVEN',
  launchTemplate: 'LAUNCH-TEMPLATE-NOT-GIVEN',
} as const;

const INSTANCE_TARGETS = new Set(['aws:ec2:instance', 'aws:ec2:spot-instance']);

function token(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 64);
}

/**
 * The chaos catalogue's template narrowed to the run's own instances: burstlab's arms launch every node with the
 * run tag and their NodePool or node group tag (aws-cloud-provider.ts instanceTags), so instance targets select by
 * those, never by the cluster tag alone, which every node of the cluster carries. The arms have no Auto Scaling
 * groups: ASG-targeted actions are dropped (the provisioner-role action fails the same launches).
 */
export function runScopedTemplate(t: ExperimentTemplate, fault: PlannedFault, runId: string): FisTemplate {
  const select = 'select' in fault.fault ? fault.fault.select : {};
  const targets: NonNullable<FisTemplate['targets']> = {};
  for (const [name, target] of Object.entries(t.targets)) {
    if (target.resourceType === 'aws:ec2:autoscaling-group') continue;
    if (!INSTANCE_TARGETS.has(target.resourceType)) {
      targets[name] = target;
      continue;
    }
    const tags: Record<string, string> = { [RUN_TAG]: escapeTagValue(RUN_TAG, runId) };
    if (select.nodePool !== undefined) tags[NODEPOOL_TAG] = escapeTagValue(NODEPOOL_TAG, select.nodePool);
    if (select.nodeGroup !== undefined) tags[NODEGROUP_TAG] = escapeTagValue(NODEGROUP_TAG, select.nodeGroup);
    targets[name] = { ...target, resourceTags: tags };
  }
  const actions = Object.fromEntries(Object.entries(t.actions).filter(([, a]) => Object.values(a.targets ?? {}).every((ref) => ref in targets)));
  return { description: t.description, roleArn: t.roleArn, targets, actions, ...(t.tags ? { tags: t.tags } : {}) };
}

/**
 * Everything a game day on EKS will do on AWS, computed before anything runs, from the scenario, the seed and the
 * inputs alone: no credentials, no network. The dry-run prints it, `iam-policy` derives the permissions from it, and
 * the run executes it. Faults FIS cannot express must have been refused before (FAULT_BACKENDS.eks).
 */
export function eksPlan(s: Scenario, catalog: Catalog, seed: number, inputs: EksInputs): EksPlan {
  const missing: string[] = [];
  const clusterName = inputs.clusterName ?? (missing.push('the cluster: --kubeconfig (and --context) naming an EKS cluster'), PLACEHOLDER.cluster);
  const planned = faultPlan(s, catalog, seed);
  const viaFis = planned.filter((p) => !(p.fault.type === 'insufficient-capacity' && p.fault.zones === undefined));
  const refusals = planned.filter((p) => !viaFis.includes(p)).map((fault) => ({ fault, offerings: fault.offerings }));
  const needsRunnerRole = viaFis.some((p) => p.fault.type === 'insufficient-capacity' || p.fault.type === 'api-throttling' || p.fault.type === 'zone-outage');
  if (viaFis.length > 0 && !inputs.fisRoleArn) missing.push('--fis-role-arn: the role FIS assumes (burstlab iam-policy prints its policy)');
  if (needsRunnerRole && !inputs.runnerRoleArn) missing.push("--runner-role-arn: the role burstlab runs as, whose launches FIS' API-error actions fail");
  if (!inputs.launchTemplate) missing.push('--launch-template: the EC2 launch template nodes boot from (AMI, security groups, user data joining the cluster)');
  const stop: StopCondition = inputs.stopAlarmArn ? { alarmArn: inputs.stopAlarmArn } : { sloGuard: true };
  const ctx = {
    clusterName,
    fisRoleArn: inputs.fisRoleArn ?? PLACEHOLDER.fisRole,
    provisionerRoleArn: inputs.runnerRoleArn ?? PLACEHOLDER.runnerRole,
    stopAlarmArns: inputs.stopAlarmArn ? [inputs.stopAlarmArn] : [],
    asgNames: {},
  };
  const templates = fisTemplates(viaFis, s.name, ctx);
  const experiments = templates.map(({ template }, i) => {
    const fault = viaFis[i]!;
    const input = safeTemplateInput(inputs.runId, runScopedTemplate(template, fault, inputs.runId), stop, token(inputs.runId, fault.id, 'template'));
    const issues = templateIssues(input);
    if (issues.length) throw new Error(`${fault.id}: the run's FIS template is invalid: ${issues.join('; ')}`);
    return { fault, input };
  });
  return {
    runId: inputs.runId,
    region: inputs.region,
    clusterName,
    namespace: LIVE_NAMESPACE,
    stop,
    experiments,
    refusals,
    calls: calls(s, catalog, inputs, experiments, refusals.length > 0),
    missing,
  };
}

function calls(s: Scenario, catalog: Catalog, inputs: EksInputs, experiments: readonly PlannedExperiment[], refusals: boolean): PlannedCall[] {
  const runFilter = [tagFilter(RUN_TAG, inputs.runId)];
  const out: PlannedCall[] = [
    { when: 'start', service: 'ec2', operation: 'DescribeInstances', why: 'leftovers of a crashed earlier run (its marker in the state folder) are cleaned up first', input: { Filters: [{ Name: 'tag:burstlab.dev/run', Values: ['<stale run id>'] }] } },
    { when: 'start', service: 'ec2', operation: 'DescribeSubnets', why: 'the subnets nodes launch into, by zone', input: { Filters: inputs.subnetFilters } },
    { when: 'start', service: 'kubernetes', operation: `create Namespace ${LIVE_NAMESPACE}`, why: 'the workloads go into a namespace the run owns, labelled burstlab.io/run' },
  ];
  for (const arm of s.autoscalers) {
    for (const example of fleetExamples(s, catalog, arm.kind, inputs)) {
      out.push({ when: `arm ${arm.name}: per node launched`, service: 'ec2', operation: 'CreateFleet', why: example.why, input: example.input });
    }
  }
  out.push(
    { when: 'every arm: per node removed', service: 'ec2', operation: 'TerminateInstances', why: 'scale-down, consolidation, interruption and the end of the arm' },
    { when: 'every arm: every 15 s', service: 'ec2', operation: 'DescribeInstances', why: 'the run\'s instances (read back by run tag; node facts: instance id, type, zone, lifecycle, launch time)', input: { Filters: runFilter } },
    { when: 'every arm: for the types seen', service: 'ec2', operation: 'DescribeSpotPriceHistory', why: 'live Spot prices of the instance types the run used (on-demand prices from the bundled snapshot)', input: { InstanceTypes: ['<types seen>'], ProductDescriptions: ['Linux/UNIX'], StartTime: '<arm start>' } },
  );
  if (inputs.interruptionQueue) {
    out.push(
      { when: 'start', service: 'sqs', operation: 'GetQueueUrl', why: 'the interruption queue EventBridge feeds', input: { QueueName: inputs.interruptionQueue } },
      { when: 'every arm: long poll', service: 'sqs', operation: 'ReceiveMessage', why: 'Spot interruption warnings, rebalance recommendations, scheduled changes, instance state changes' },
      { when: 'every arm: per message handled', service: 'sqs', operation: 'DeleteMessage', why: 'a handled event is not delivered again' },
    );
  }
  if (refusals) out.push({ when: 'in each shortage window', service: 'ec2', operation: '(none)', why: 'burstlab\'s EC2 provider refuses launches of the chosen offerings itself, as InsufficientInstanceCapacity: FIS fails launches per zone only' });
  if (experiments.some((e) => Object.values(e.input.targets ?? {}).some((t) => INSTANCE_TARGETS.has(t.resourceType ?? '')))) {
    out.push({
      when: 'every arm: at each fault\'s time',
      service: 'ec2',
      operation: 'DescribeInstances',
      why: 'which instances behind the cluster\'s nodes matching the fault\'s selectors carry the run tag (joined by providerID): the template below then names those by ARN, selection ALL, in place of its tags',
      input: { Filters: [{ Name: 'instance-id', Values: ['<instances of the matching nodes>'] }, ...runFilter, { Name: 'instance-state-name', Values: ['pending', 'running'] }] },
    });
  }
  for (const e of experiments) {
    out.push({ when: `every arm: ${e.fault.id} at its time`, service: 'fis', operation: 'CreateExperimentTemplate', why: e.fault.detail, input: e.input });
  }
  if (experiments.length > 0) {
    out.push(
      { when: 'every arm: at each fault\'s time', service: 'fis', operation: 'StartExperiment', why: 'tagged with the run tag' },
      { when: 'every arm: every 5 s while one runs', service: 'fis', operation: 'GetExperiment', why: 'its state, logged' },
      { when: 'on an SLO breach, Ctrl-C, or the end of the arm', service: 'fis', operation: 'StopExperiment', why: 'what still runs is stopped' },
      { when: 'the end of every arm, however it ends', service: 'fis', operation: 'DeleteExperimentTemplate', why: 'the arm\'s templates' },
    );
  }
  out.push(
    { when: 'the end, however it ends', service: 'ec2', operation: 'TerminateInstances', why: 'every instance still tagged with the run', input: { Filters: runFilter } },
    { when: 'the end, however it ends', service: 'kubernetes', operation: `delete Namespace ${LIVE_NAMESPACE}`, why: 'it and the PriorityClasses labelled burstlab.io/run with the run id, nothing else' },
  );
  return out;
}

/** One CreateFleet request per node group, and per NodePool and capacity type (its cheapest offering as the example). */
function fleetExamples(s: Scenario, catalog: Catalog, kind: string, inputs: EksInputs): Array<{ why: string; input: unknown }> {
  const fleet = (type: string, zone: string, capacityType: CapacityType, owner: string, ownerKind: 'nodepool' | 'nodegroup'): unknown =>
    fleetInput({
      launchTemplate: inputs.launchTemplate ?? { name: PLACEHOLDER.launchTemplate },
      capacityType,
      overrides: [{ type, zone, subnetId: `<each subnet of ${zone}, up to ${MAX_FLEET_OVERRIDES}>` }],
      tags: instanceTags(inputs.runId, { name: '<node name>', owner, ownerKind }),
      clientToken: '<sha256 of run id and node name>',
    });
  if (kind === 'cluster-autoscaler') {
    return s.cluster.nodeGroups.filter((g) => g.autoscaled).map((g) => ({
      why: `node group ${g.name}: one ${g.instanceType} ${g.capacityType} per node, in the zone the autoscaler picks`,
      input: fleet(g.instanceType, s.cluster.zones[0]!, g.capacityType, g.name, 'nodegroup'),
    }));
  }
  return s.cluster.nodePools.flatMap((p) => {
    const requirements = withDefaultRequirements(p.requirements, p.labels);
    const types = compatibleTypes(catalog, requirements);
    return (['spot', 'on-demand'] as const).flatMap((ct) => {
      const offers = types.flatMap((t) => t.offerings.filter((o) => o.capacityType === ct && requirements.allows('topology.kubernetes.io/zone', o.zone)).map((o) => ({ t, o })));
      offers.sort((a, b) => a.o.pricePerHour - b.o.pricePerHour || (a.t.name < b.t.name ? -1 : 1));
      const cheapest = offers[0];
      if (!cheapest) return [];
      return [{
        why: `NodePool ${p.name} ${ct}: one instance of the type and zone the provisioner picks among ${types.length} types (${ct === 'spot' ? 'price-capacity-optimized' : 'lowest-price'}); shown for the cheapest, ${cheapest.t.name} in ${cheapest.o.zone}`,
        input: fleet(cheapest.t.name, cheapest.o.zone, ct, p.name, 'nodepool'),
      }];
    });
  });
}
