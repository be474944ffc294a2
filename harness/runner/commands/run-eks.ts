import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings } from '../../../scenarios/schema/warnings.js';
import { wallTimeIso } from '../../clock/wall-clock.js';
import { describeEksPlan } from '../../targets/eks/describe-eks-plan.js';
import { discoveryFilters, launchTemplateRef, newRunId, type EksInputs } from '../../targets/eks/eks-inputs.js';
import { awsClients } from '../../targets/eks/clients.js';
import { eksPlan } from '../../targets/eks/eks-plan.js';
import { eksSide } from '../../targets/eks/eks-side.js';
import { SPOT_PRICING_NOTE } from '../execute.js';
import { EksSession } from '../../targets/eks/eks-session.js';
import { stateDir } from '../../targets/eks/run-markers.js';
import { checkCredentials, checkOptIn, kubeContext, type KubeContext } from '../../targets/eks/safety.js';
import type { CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { LIVE_NAMESPACE } from '../../targets/live/seams.js';
import { EXIT, MissingPrerequisiteError, UsageError } from '../errors.js';
import { runCluster } from './run-cluster.js';
import type { LiveRunOutput, LiveRunRequest } from './run-live.js';

/** The flags of `run --target eks` (spread into run's own). */
export const EKS_OPTIONS = {
  'allow-chaos': { type: 'string' },
  region: { type: 'string' },
  'launch-template': { type: 'string' },
  'subnet-tag': { type: 'string' },
  'fis-role-arn': { type: 'string' },
  'runner-role-arn': { type: 'string' },
  'stop-alarm': { type: 'string' },
  'interruption-queue': { type: 'string' },
  'run-id': { type: 'string' },
  'aws-endpoint': { type: 'string' },
} as const;

export const EKS_USAGE = `target eks (a game day on an existing EKS cluster; docs/game-day.md):
  --allow-chaos NAME      required for a real run: the name of the cluster the kubeconfig context points at
  --kubeconfig FILE       the cluster's kubeconfig (default: KUBECONFIG or ~/.kube/config)
  --context NAME          its context (default: the current one)
  --region R              AWS region (default: the cluster ARN's, else the scenario's cluster.region)
  --launch-template NAME  the EC2 launch template nodes boot from (a name, or its lt- id)
  --subnet-tag KEY=VALUE  subnets to launch into (default: karpenter.sh/discovery=<cluster>)
  --fis-role-arn ARN      the role FIS assumes (burstlab iam-policy prints its policy)
  --runner-role-arn ARN   the role burstlab runs as: FIS' API-error faults target its launches
  --stop-alarm ARN        a CloudWatch alarm that stops every experiment (besides burstlab's SLO guard)
  --interruption-queue Q  the SQS queue EventBridge sends EC2 interruption events to
  --run-id ID             the run's id (default: <scenario>-<UTC time>); tags, labels and cleanup use it
  --aws-endpoint URL      send every AWS call to this endpoint (an emulator); credentials still come from the chain`;

type EksValues = { [K in keyof typeof EKS_OPTIONS | 'kubeconfig' | 'context']?: string | undefined };

const RUN_ID = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

function subnetFilters(tagSpec: string | undefined, cluster: string): EksInputs['subnetFilters'] {
  if (tagSpec === undefined) return discoveryFilters(cluster);
  const eq = tagSpec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--subnet-tag '${tagSpec}' is not KEY=VALUE`, 'e.g. --subnet-tag karpenter.sh/discovery=my-cluster');
  return [{ Name: `tag:${tagSpec.slice(0, eq)}`, Values: [tagSpec.slice(eq + 1)] }];
}

/** The inputs of a run from its flags and the kubeconfig context (read from the file only). */
export function eksInputs(s: Scenario, values: EksValues, kube: KubeContext | undefined): EksInputs {
  const runId = values['run-id'] ?? newRunId(s.name, wallTimeIso());
  if (!RUN_ID.test(runId)) throw new UsageError(`--run-id '${runId}' must be 1-40 lower-case letters, digits and dashes`, 'it becomes a tag value, a label value and part of a namespace name');
  const clusterName = kube?.clusterName;
  return {
    region: values.region ?? kube?.region ?? s.cluster.region,
    clusterName,
    runId,
    launchTemplate: values['launch-template'] === undefined ? undefined : launchTemplateRef(values['launch-template']),
    subnetFilters: subnetFilters(values['subnet-tag'], clusterName ?? 'CLUSTER'),
    fisRoleArn: values['fis-role-arn'],
    runnerRoleArn: values['runner-role-arn'],
    stopAlarmArn: values['stop-alarm'],
    interruptionQueue: values['interruption-queue'],
  };
}

export interface EksRunRequest {
  scenario: Scenario;
  seed: number;
  dryRun: boolean;
  values: EksValues;
  /** What the cluster engine needs to play the workloads and traffic (run-cluster.ts). */
  live: LiveRunRequest;
}

/**
 * `burstlab run --target eks`. A dry-run needs nothing but the scenario (a kubeconfig, when given, names the
 * cluster): it prints the plan of every AWS call. A real run refuses, exit 2, before any call, without the opt-in
 * naming the context's cluster or without credentials; then it cleans up after any crashed run, marks its own, and
 * plays the workloads and traffic with the cluster target's engine (measuring the cluster's own autoscaler as the
 * `kind: external` arm), under the run id its AWS resources are tagged with, with the fault plan through FIS beside
 * them (eks-side.ts), and ends the AWS side however it ends. Faults it cannot inject on a real run (a shortage of
 * chosen offerings) or has no role for are refused, exit 2, before anything starts.
 */
export async function runEks(req: EksRunRequest, o: LiveRunOutput, io: CommandIO): Promise<number> {
  const { scenario, values } = req;
  if (req.dryRun) {
    const catalog = new Catalog({ region: scenario.cluster.region, zones: scenario.cluster.zones });
    const kube = values.kubeconfig === undefined ? undefined : kubeContext(values.kubeconfig, values.context);
    const plan = eksPlan(scenario, catalog, req.seed, eksInputs(scenario, values, kube));
    io.stdout.write(describePlan(scenario, req.seed, 'eks') + describeEksPlan(plan) + formatWarnings(scenario.warnings));
    return EXIT.ok;
  }
  const kube = kubeContext(values.kubeconfig, values.context);
  checkOptIn(values['allow-chaos'], kube);
  const inputs = eksInputs(scenario, values, kube);
  await checkCredentials(inputs.region, values['aws-endpoint']);
  const plan = eksPlan(scenario, new Catalog({ region: scenario.cluster.region, zones: scenario.cluster.zones }), req.seed, inputs);
  if (plan.refusals.length > 0) {
    throw new MissingPrerequisiteError(
      `${plan.refusals.map((r) => r.fault.id).join(', ')}: a shortage of chosen offerings is injected by burstlab's own EC2 provider, and a run on EKS measures the cluster's own autoscaler, which launches through its own`,
      `give the fault zones: (FIS fails the launches of the --runner-role-arn role per zone), or drop it from a copy of ${scenario.file}`,
    );
  }
  const roles = plan.missing.filter((m) => m.startsWith('--fis-role-arn') || m.startsWith('--runner-role-arn'));
  if (roles.length > 0) throw new UsageError(`the scenario's faults need ${roles.join('; and ')}`, 'burstlab iam-policy --target eks <scenario> prints the policies of both roles');
  const dir = stateDir();
  const clients = new Map<string, ReturnType<typeof awsClients>>();
  const clientsFor = (region: string): ReturnType<typeof awsClients> => {
    if (!clients.has(region)) clients.set(region, awsClients(region, values['aws-endpoint']));
    return clients.get(region)!;
  };
  const kubeconfig = values.kubeconfig === undefined ? undefined : resolve(values.kubeconfig);
  try {
    const session = await EksSession.start({
      stateDir: dir,
      clientsFor,
      marker: { runId: inputs.runId, region: inputs.region, clusterName: kube.clusterName, namespace: LIVE_NAMESPACE, ...(kubeconfig ? { kubeconfig } : {}), context: kube.context },
      startedAt: wallTimeIso(),
      onUnreadable: (path) => io.stderr.write(`warning: the run marker ${path} cannot be read; its run (if any) was not cleaned up: check it, run burstlab cleanup --run <id> --target eks, then remove it\n`),
      onRecovered: (c) =>
        io.stderr.write(`a crashed run was found and cleaned up: ${c.runId} (${c.aws.fis.stopped.length} experiment(s) stopped, ${c.aws.fis.deleted.length} template(s) deleted, ${c.aws.instances.length} instance(s) terminated, cluster objects ${c.namespace})\n`),
    });
    try {
      const cluster = { kubeconfigPath: kubeconfig ?? defaultKubeconfigPath(), context: kube.context };
      const side = eksSide({
        scenario,
        plan,
        ec2: session.clients.ec2,
        experiment: (key) => session.experiment(key),
        modelledSpotNote: SPOT_PRICING_NOTE,
        now: () => new Date(wallTimeIso()),
      });
      return await runCluster({ ...req.live, cluster, pods: 'real', keep: false, runId: inputs.runId, target: 'eks', side }, o, io);
    } finally {
      // A cleanup that fails keeps the marker (the next start or `burstlab cleanup` retries) and never hides why the run ended.
      try {
        const end = await session.end();
        if (end.aws.instances.length + end.aws.fis.stopped.length > 0) {
          io.stderr.write(`run ${end.runId}: at its end, ${end.aws.fis.stopped.length} experiment(s) stopped, ${end.aws.instances.length} instance(s) tagged with it terminated\n`);
        }
      } catch (err) {
        io.stderr.write(`run ${inputs.runId}: cleanup at its end failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); its marker is kept: the next run's start, or burstlab cleanup --run ${inputs.runId} --target eks, finishes it\n`);
      }
    }
  } finally {
    for (const c of clients.values()) c.destroy();
  }
}

/** The kubeconfig kubectl would read: the first file of KUBECONFIG, else ~/.kube/config. */
function defaultKubeconfigPath(): string {
  const first = process.env.KUBECONFIG?.split(delimiter).find((p) => p !== '');
  return first ?? join(homedir(), '.kube', 'config');
}
