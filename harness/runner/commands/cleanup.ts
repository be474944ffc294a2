import { cleanupRun } from '../../targets/cluster/cleanup.js';
import { connectionKubeconfig } from '../../targets/cluster/execute-cluster.js';
import { isRunId, RUN_LABEL } from '../../targets/cluster/run-label.js';
import { KubeClient } from '../../targets/kube-client.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, UsageError } from '../errors.js';

const usage = `usage: burstlab cleanup --run <id> --kubeconfig <file> [--context C]

Deletes what a \`burstlab run --target cluster\` run created on a cluster, and only that: every namespace and
PriorityClass labelled ${RUN_LABEL}=<id> (a namespace takes everything in it along), then waits until the
namespaces are gone. A run removes its objects itself when it ends; this is for a run that was killed (SIGKILL, a
lost machine) or ran with --keep. The run id is printed when the run starts and is in its run.json (runId).
Running it twice is harmless: the second time there is nothing left to delete.

options:
  --run ID          the run's id
  --kubeconfig F    the kubeconfig to reach the cluster with
  --context C       the kubeconfig's context (default: its current context)
  -q, --quiet       print nothing but errors
`;

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'delete what a --target cluster run created (by its run id), also after a crash',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('cleanup', args, {
      run: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
    });
    if (positionals.length > 0) throw new UsageError(`cleanup takes no arguments, got '${positionals[0]}'`, 'burstlab cleanup --run <id> --kubeconfig <file>');
    if (values.run === undefined) throw new UsageError('cleanup needs --run <id>', 'the id a `run --target cluster` printed when it started, or run.json\'s runId');
    if (!isRunId(values.run)) throw new UsageError(`--run '${values.run}' is not a run id`, 'a run id is lower-case letters, digits, - and ., as printed by `run --target cluster`');
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
