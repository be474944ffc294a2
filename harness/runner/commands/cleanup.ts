import { awsClients } from '../../targets/eks/clients.js';
import { runNamespace } from '../../targets/eks/eks-inputs.js';
import { cleanupMarkedRun } from '../../targets/eks/eks-session.js';
import { readMarker, stateDir } from '../../targets/eks/run-markers.js';
import { checkCredentials } from '../../targets/eks/safety.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, RunError, UsageError } from '../errors.js';

const USAGE = `usage: burstlab cleanup --run ID --target eks [options]

Removes what a game day left behind, found by its run tag (burstlab.dev/run=ID) alone, so it works after a crash,
from another machine, with nothing but the run id: its FIS experiments still going are stopped and its templates
deleted, then its EC2 instances terminated, then its namespace deleted (only if labelled with the run). Anything
without the run's tag is never touched. Safe to repeat. The run's marker in the state folder (BURSTLAB_STATE_DIR,
else $XDG_STATE_HOME/burstlab or ~/.local/state/burstlab) gives the region, kubeconfig and context; flags override it.

options:
  --run ID            the run id (printed at the start of the run, and in its dry-run)
  --target eks        where the run was
  --region R          AWS region (required when the state folder has no marker of the run)
  --kubeconfig FILE   the cluster's kubeconfig, to delete the run's namespace (skipped without one)
  --context NAME      its context
  --aws-endpoint URL  send every AWS call to this endpoint (an emulator)

exit codes: 0 cleaned up (or nothing to do), 2 invalid input, 3 an AWS or cluster call failed`;

const OPTIONS = {
  run: { type: 'string' },
  target: { type: 'string' },
  region: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'aws-endpoint': { type: 'string' },
} as const;

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: "remove what a run left on a cluster and cloud (after a crash): experiments, instances, its namespace",
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('cleanup', args, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`cleanup takes no positional argument, got '${positionals[0]}'`, 'burstlab cleanup --run ID --target eks');
    if (values.target !== 'eks') throw new UsageError(values.target === undefined ? 'cleanup needs --target' : `cleanup --target '${values.target}' is not supported`, 'burstlab cleanup --run ID --target eks');
    const runId = values.run;
    if (runId === undefined) throw new UsageError('cleanup needs --run ID', 'the run id is printed at the start of the run; every resource carries it as burstlab.dev/run');
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
        { runId, region, namespace: marker?.namespace ?? runNamespace(runId), ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) },
        () => clients,
        dir,
      );
      const list = (ids: readonly string[]): string => (ids.length ? ids.join(', ') : 'none');
      io.stdout.write(
        [
          `run ${runId} (${region}):`,
          `  FIS experiments stopped: ${list(done.aws.fis.stopped)}`,
          `  FIS templates deleted: ${list(done.aws.fis.deleted)}`,
          `  EC2 instances terminated: ${list(done.aws.instances)}`,
          `  namespace ${marker?.namespace ?? runNamespace(runId)}: ${NAMESPACE_WORDS[done.namespace]}`,
        ].join('\n') + '\n',
      );
      return EXIT.ok;
    } catch (err) {
      throw new RunError(`cleanup of run ${runId} failed part-way`, 'run it again: it is safe to repeat, and finds what is left by the run tag', { cause: err });
    } finally {
      clients.destroy();
    }
  },
};

const NAMESPACE_WORDS = {
  deleted: 'deleted',
  absent: 'not found (already gone)',
  'not-the-runs': 'left alone: it does not carry the run\'s label',
  'no-kubeconfig': 'not checked: give --kubeconfig to delete it',
} as const;
