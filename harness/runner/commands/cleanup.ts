import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupRun } from '../../targets/cluster/cleanup.js';
import { connectionKubeconfig } from '../../targets/cluster/execute-cluster.js';
import { isRunId, RUN_LABEL } from '../../targets/cluster/run-label.js';
import { awsClients } from '../../targets/eks/clients.js';
import { LIVE_NAMESPACE } from '../../targets/live/seams.js';
import { cleanupMarkedRun } from '../../targets/eks/eks-session.js';
import { readMarker, stateDir } from '../../targets/eks/run-markers.js';
import { checkCredentials } from '../../targets/eks/safety.js';
import { KubeClient } from '../../targets/kube-client.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, RunError, UsageError } from '../errors.js';

const usage = `usage: burstlab cleanup --run <id> [--target cluster] --kubeconfig <file> [--context C]
       burstlab cleanup --run <id> --target eks [--region R] [--kubeconfig <file> [--context C]]

Deletes what a run created, and only that, found by its run id alone, so it works after a crash (SIGKILL, a lost
machine) or a run with --keep. Running it twice is harmless: the second time there is nothing left to delete.

--target cluster (the default): every namespace and PriorityClass labelled ${RUN_LABEL}=<id> (a namespace takes
everything in it along), then waits until the namespaces are gone.

--target eks: the run's FIS experiments still going are stopped and its templates deleted, its EC2 instances
terminated (all found by the tag burstlab.dev/run=<id>), then its objects on the cluster deleted as for --target
cluster. The run's marker in the state folder (BURSTLAB_STATE_DIR, else $XDG_STATE_HOME/burstlab or
~/.local/state/burstlab) gives the region, kubeconfig and context; flags override it.

options:
  --run ID            the run's id (printed when the run starts; run.json's runId)
  --target T          cluster (default) or eks
  --kubeconfig F      the kubeconfig to reach the cluster with (eks: optional; without one the cluster is not touched)
  --context C         the kubeconfig's context (default: its current context)
  --region R          eks: the AWS region (required when the state folder has no marker of the run)
  --aws-endpoint URL  eks: send every AWS call to this endpoint (an emulator)
  -q, --quiet         print nothing but errors

exit codes: 0 cleaned up (or nothing to do), 2 invalid input, 3 a cluster or AWS call failed`;

const NAMESPACE_WORDS = {
  deleted: 'deleted',
  absent: `nothing labelled ${RUN_LABEL}=<id> left`,
  'no-kubeconfig': 'not touched: give --kubeconfig to delete the run\'s objects there',
} as const;

async function cleanupEks(runId: string, values: { region?: string | undefined; kubeconfig?: string | undefined; context?: string | undefined; 'aws-endpoint'?: string | undefined; quiet: boolean }, io: CommandIO): Promise<number> {
  const dir = stateDir();
  const marker = readMarker(dir, runId);
  const region = values.region ?? marker?.region;
  if (!region) throw new UsageError(`no marker of run ${runId} in ${dir}: which region it ran in is unknown`, `add --region, e.g. burstlab cleanup --run ${runId} --target eks --region us-east-1`);
  const kubeconfig = values.kubeconfig ?? marker?.kubeconfig;
  const context = values.context ?? marker?.context;
  await checkCredentials(region, values['aws-endpoint']);
  const clients = awsClients(region, values['aws-endpoint']);
  try {
    const done = await cleanupMarkedRun(
      { runId, region, namespace: marker?.namespace ?? LIVE_NAMESPACE, ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) },
      () => clients,
      dir,
    );
    const list = (ids: readonly string[]): string => (ids.length ? ids.join(', ') : 'none');
    if (!values.quiet) {
      io.stdout.write(
        [
          `run ${runId} (${region}):`,
          `  FIS experiments stopped: ${list(done.aws.fis.stopped)}`,
          `  FIS templates deleted: ${list(done.aws.fis.deleted)}`,
          `  EC2 instances terminated: ${list(done.aws.instances)}`,
          `  cluster objects: ${NAMESPACE_WORDS[done.namespace]}`,
        ].join('\n') + '\n',
      );
    }
    return EXIT.ok;
  } catch (err) {
    throw new RunError(`cleanup of run ${runId} failed part-way`, 'run it again: it is safe to repeat, and finds what is left by the run tag', { cause: err });
  } finally {
    clients.destroy();
  }
}

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'delete what a run created (by its run id), also after a crash: cluster objects; on eks also experiments and instances',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('cleanup', args, {
      run: { type: 'string' },
      target: { type: 'string', default: 'cluster' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      region: { type: 'string' },
      'aws-endpoint': { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
    });
    if (positionals.length > 0) throw new UsageError(`cleanup takes no arguments, got '${positionals[0]}'`, 'burstlab cleanup --run <id> --kubeconfig <file>');
    if (values.target !== 'cluster' && values.target !== 'eks') throw new UsageError(`cleanup --target '${values.target}' is not one of: cluster, eks`, 'burstlab cleanup --run <id> --target eks');
    if (values.run === undefined) throw new UsageError('cleanup needs --run <id>', 'the id a run printed when it started, or run.json\'s runId');
    if (!isRunId(values.run)) throw new UsageError(`--run '${values.run}' is not a run id`, 'a run id is lower-case letters, digits, - and ., as printed when the run started');
    if (values.target === 'eks') return cleanupEks(values.run, values, io);
    if (values.region !== undefined || values['aws-endpoint'] !== undefined) throw new UsageError('--region and --aws-endpoint apply to --target eks', 'add --target eks, or drop them');
    if (values.kubeconfig === undefined) throw new UsageError('cleanup needs --kubeconfig <file>', 'the kubeconfig the run used');
    const say = (line: string): void => void (values.quiet ? undefined : io.stderr.write(`cleanup ${values.run}: ${line}\n`));
    // A context other than the current one is written to a private temporary copy, removed at once.
    const scratch = mkdtempSync(join(tmpdir(), 'burstlab-cleanup-'));
    try {
      const kubeconfig = connectionKubeconfig({ kubeconfigPath: values.kubeconfig, ...(values.context === undefined ? {} : { context: values.context }) }, scratch);
      try {
        const result = await cleanupRun(KubeClient.fromFile(kubeconfig.path).kubeconfig, values.run, { log: say });
        if (!values.quiet) io.stdout.write(result.deleted.length === 0 ? `nothing labelled ${RUN_LABEL}=${values.run} left\n` : `deleted ${result.deleted.join(', ')}\n`);
      } finally {
        kubeconfig.dispose();
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return EXIT.ok;
  },
};
