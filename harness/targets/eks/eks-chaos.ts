import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { V1Node } from '@kubernetes/client-node';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';
import type { CapacityType, TrafficSample } from '../../../provisioner/runtime/events.js';
import { Random } from '../../../provisioner/runtime/random.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { PlannedFault } from '../../chaos/plan.js';
import { chooseNodes, matches } from '../../chaos/sim/sim-chaos.js';
import type { PlannedExperiment } from './eks-plan.js';
import type { FisTemplate, StopCondition } from './fis-template.js';
import { isEnding, type FisExperiment } from './fis.js';
import { instanceArn, instanceIdOf } from './node-facts.js';
import type { SloGuard } from './slo-guard.js';
import { RUN_TAG, tagFilter } from './tags.js';

const INSTANCE_TARGETS = new Set(['aws:ec2:instance', 'aws:ec2:spot-instance']);

/** A node of the EKS cluster as a fault selects it: the labels the selectors read, its providerID, its pods. */
export interface EksFaultNode {
  name: string;
  providerId: string | undefined;
  zone: string;
  capacityType: CapacityType;
  instanceType: string;
  owner: string;
  ownerKind: 'nodepool' | 'nodegroup';
  labels: Record<string, string>;
  cordoned: boolean;
  pods: string[];
}

/** Karpenter labels capacity `spot`/`on-demand`; EKS managed node groups `SPOT`/`ON_DEMAND`. */
const EKS_CAPACITY_TYPE = 'eks.amazonaws.com/capacityType';

export function eksFaultNode(n: V1Node, pods: string[]): EksFaultNode {
  const labels = n.metadata?.labels ?? {};
  const group = labels[LABEL.nodegroup];
  const ct = (labels[LABEL.capacityType] ?? labels[EKS_CAPACITY_TYPE] ?? '').toLowerCase().replace('_', '-');
  return {
    name: n.metadata?.name ?? '',
    providerId: n.spec?.providerID,
    zone: labels[LABEL.zone] ?? '',
    capacityType: ct === 'spot' || ct === 'reserved' ? ct : 'on-demand',
    instanceType: labels[LABEL.instanceType] ?? '',
    owner: group ?? labels[LABEL.nodepool] ?? '',
    ownerKind: group !== undefined ? 'nodegroup' : 'nodepool',
    labels,
    cordoned: n.spec?.unschedulable === true,
    pods,
  };
}

/**
 * The run's template for one injection with its instance targets naming the instances chosen (by ARN, selection
 * ALL): the choice is burstlab's, from the cluster's own nodes, so FIS can never widen it to other instances of the
 * account. Role targets stay as planned. Undefined when the template targets instances and none was chosen.
 */
export function instanceScopedTemplate(input: CreateExperimentTemplateCommandInput, arns: readonly string[]): FisTemplate | undefined {
  const { clientToken: _token, stopConditions: _stop, ...template } = input;
  const targets: NonNullable<FisTemplate['targets']> = {};
  for (const [name, t] of Object.entries(template.targets ?? {})) {
    if (!INSTANCE_TARGETS.has(t.resourceType ?? '')) {
      targets[name] = t;
      continue;
    }
    if (arns.length === 0) return undefined;
    targets[name] = { resourceType: t.resourceType, resourceArns: [...arns], selectionMode: 'ALL' };
  }
  return { ...template, targets };
}

/**
 * The ARNs of those of `ids` that EC2 describes as pending or running with the run tag: the only instances a fault
 * of the run may name (the FIS role's policy allows its actions on run-tagged instances only, iam-policy.ts).
 */
export async function runTaggedInstances(ec2: EC2Client, region: string, runId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({
      Filters: [{ Name: 'instance-id', Values: [...ids].sort() }, tagFilter(RUN_TAG, runId), { Name: 'instance-state-name', Values: ['pending', 'running'] }],
      NextToken: token,
    }));
    for (const r of page.Reservations ?? []) {
      for (const inst of r.Instances ?? []) {
        const arn = inst.InstanceId ? instanceArn(region, { account: r.OwnerId, instanceId: inst.InstanceId }) : undefined;
        if (arn) out.set(inst.InstanceId!, arn);
      }
    }
    token = page.NextToken;
  } while (token);
  return out;
}

export interface EksChaosDeps {
  /** Scenario time. */
  clock: Clock;
  recorder: Recorder;
  ec2: EC2Client;
  region: string;
  runId: string;
  /** The cluster's nodes now, with their pods in the run's namespace. */
  nodes(): Promise<EksFaultNode[]>;
  /** A new experiment of the run (EksSession.experiment): stopped and deleted at the run's end whatever happens. */
  experiment(key: string): FisExperiment;
  stop: StopCondition;
  guard: SloGuard;
  /** Scenario ms between two GetExperiment calls of a running experiment. */
  watchEveryMs: number;
  /** The scenario's end: experiments stopped by the run's end are stopped at it, and recorded there. */
  endMs: number;
}

interface Running {
  fault: PlannedFault;
  experiment: FisExperiment;
  id: string;
}

/**
 * The EKS back end: plays the plan's FIS experiments on the run's clock. At each fault's time the cluster's nodes
 * matching its selectors are chosen as the kwok back end chooses them (the injection's own stream over the
 * candidates in name order), joined with EC2 by their providerID, and the template is created naming exactly those
 * instances, then started and watched; its end (FIS' own, the SLO guard's stop, or the run's) is chaos.recovered.
 */
export class EksChaos {
  private readonly timers = new Set<Timer>();
  private readonly running: Running[] = [];
  private stopped = false;
  private failure: unknown;

  constructor(private readonly deps: EksChaosDeps) {}

  install(experiments: readonly PlannedExperiment[]): void {
    for (const { fault: p } of experiments) {
      this.deps.recorder.emit({ type: 'chaos.planned', id: p.id, fault: p.fault.type, atT: p.atMs, ...(p.untilMs === undefined ? {} : { untilT: p.untilMs }), detail: p.detail });
    }
    for (const e of experiments) this.at(e.fault.atMs, () => this.inject(e));
  }

  /** Counts a traffic sample for the SLO guard, which stops every experiment of the run once it trips. */
  observe(sample: TrafficSample): void {
    this.deps.guard.observe(sample).catch((err: unknown) => void (this.failure ??= err));
  }

  /** The run is over (or interrupted): nothing more starts, what runs is stopped, and the first failure is thrown. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    await this.stopRunning('stopped at the end of the run', Math.min(this.deps.clock.now(), this.deps.endMs));
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops every experiment still running: the SLO guard's stop. */
  async stopRunning(why: string, atMs?: number): Promise<void> {
    for (const r of [...this.running]) {
      await r.experiment.stop();
      this.ended(r, `FIS experiment ${r.id} ${why}`, atMs);
    }
  }

  private at(t: number, fn: () => Promise<void>): void {
    const { clock } = this.deps;
    const timer = clock.setTimer(Math.max(0, t - clock.now()), () => {
      this.timers.delete(timer);
      if (this.stopped) return undefined;
      return fn().catch((err: unknown) => void (this.failure ??= err));
    });
    this.timers.add(timer);
  }

  private async inject({ fault: p, input }: PlannedExperiment): Promise<void> {
    const { recorder } = this.deps;
    const { chosen, untagged } = await this.choose(p);
    const arns = chosen.map((c) => c.arn);
    const targets = chosen.map((c) => c.node.name);
    const pods = chosen.flatMap((c) => c.node.pods);
    const excluded = untagged > 0 ? `; ${untagged} matching node(s) left out: their instances do not carry ${RUN_TAG}=${this.deps.runId}` : '';
    const template = instanceScopedTemplate(input, arns);
    if (template === undefined) {
      recorder.emit({ type: 'chaos.injected', id: p.id, fault: p.fault.type, targets: [], pods: [], detail: `${p.detail}; no run-tagged EC2 instance behind a node of the cluster matched its selectors: no experiment started${excluded}` });
      recorder.emit({ type: 'chaos.recovered', id: p.id, fault: p.fault.type, detail: 'nothing was injected' });
      return;
    }
    const experiment = this.deps.experiment(p.id);
    await experiment.create(template, this.deps.stop);
    const id = await experiment.start();
    if (this.stopped) return;
    recorder.emit({ type: 'chaos.injected', id: p.id, fault: p.fault.type, targets, pods, detail: `${p.detail}; FIS experiment ${id} on ${chosen.map((c) => instanceIdOf(c.node.providerId)).join(', ') || 'the runner role'}${excluded}` });
    this.running.push({ fault: p, experiment, id });
    this.watch({ fault: p, experiment, id });
  }

  private watch(r: Running): void {
    this.at(this.deps.clock.now() + this.deps.watchEveryMs, async () => {
      if (!this.running.includes(r)) return;
      const state = await r.experiment.state();
      if (isEnding(state.status)) this.ended(r, `FIS experiment ${r.id} ${state.status}${state.reason ? `: ${state.reason}` : ''}`);
      else this.watch(r);
    });
  }

  private ended(r: Running, detail: string, atMs?: number): void {
    const i = this.running.indexOf(r);
    if (i < 0) return;
    this.running.splice(i, 1);
    this.deps.recorder.emit({ type: 'chaos.recovered', id: r.fault.id, fault: r.fault.fault.type, detail }, atMs);
  }

  /**
   * The nodes the fault hits: among the cluster's nodes matching its selectors whose instance carries the run tag,
   * chosen as the kwok back end chooses (the injection's own stream over the candidates in name order).
   */
  private async choose(p: PlannedFault): Promise<{ chosen: Array<{ node: EksFaultNode; arn: string }>; untagged: number }> {
    const f = p.fault;
    const all = (await this.deps.nodes()).filter((n) => !n.cordoned);
    const matching =
      f.type === 'spot-interruption' ? all.filter((n) => matches(n, { ...f.select, capacityType: 'spot' }))
      : f.type === 'node-failure' ? all.filter((n) => matches(n, f.select))
      : f.type === 'zone-outage' ? all.filter((n) => n.zone === f.zone)
      : [];
    const ids = matching.flatMap((n) => instanceIdOf(n.providerId) ?? []);
    const tagged = await runTaggedInstances(this.deps.ec2, this.deps.region, this.deps.runId, ids);
    const eligible = matching.filter((n) => tagged.has(instanceIdOf(n.providerId) ?? ''));
    const picked = f.type === 'zone-outage' ? eligible : 'select' in f ? chooseNodes(eligible, f, new Random(p.seed)) : [];
    return { chosen: picked.map((node) => ({ node, arn: tagged.get(instanceIdOf(node.providerId)!)! })), untagged: matching.length - eligible.length };
  }
}
