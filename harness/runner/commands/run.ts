import { join } from 'node:path';
import { loadScenario } from '../../../scenarios/load.js';
import { EXTERNAL_HINT, LIVE_ONLY_HINT, targetIssues, type RunTarget } from '../../../scenarios/schema/target-support.js';
import { formatWarnings } from '../../../scenarios/schema/warnings.js';
import { stopwatch, wallTimeIso } from '../../clock/wall-clock.js';
import { parseCommandArgs } from '../args.js';
import { BUDGET_OPTIONS, BUDGET_USAGE, budgetFromFlags } from '../budget-flags.js';
import type { Command, CommandIO } from '../command.js';
import { describePlan } from '../dry-run.js';
import { BurstlabError, EXIT, RunError, UsageError, ValidationError } from '../errors.js';
import { faultTargetIssues } from '../../chaos/backend.js';
import { formatScenarioDuration } from '../human-units.js';
import { printOutcome } from '../outcome.js';
import { prepareOutputFolder } from '../output-dir.js';
import { ProgressBar } from '../progress.js';
import { runJob } from '../run-job.js';
import { scenarioDigest } from '../scenario-digest.js';
import { parseJobs, parseSeeds } from '../seeds.js';
import { burstlabVersion } from '../version.js';
import { EKS_OPTIONS, EKS_USAGE, runEks } from './run-eks.js';
import { clusterFaultIssues, runCluster } from './run-cluster.js';
import { kindScenarioIssues, parseKindNodes, runKind } from './run-kind.js';
import { runLive } from './run-live.js';
import { runOnSeeds, seedsOutName } from './run-seeds.js';

const USAGE = `usage: burstlab run <scenario.yaml> [options]

Runs every autoscaler arm of the scenario on the same seed and traffic, and writes to the output folder:
events.jsonl (the event log), results.json (metrics), run.json (when and how), report.html, junit.xml, summary.md.

options:
  --out DIR       output folder (default: runs/<scenario>-seed<seed>). The run is written beside it and swapped
                  in only when complete, so a failed or interrupted run leaves the folder as it was. It must be new,
                  empty, or a previous burstlab run (a run.json marks one); a file, a link, the working or home
                  folder are always refused. While it runs it holds <out>.lock (its pid): a second run to the
                  same folder exits 2 naming that pid; a lock whose process is dead is taken over
  --force         also replace a non-empty --out folder that is not a burstlab run (or a run holding files
                  burstlab did not write), and everything in it
  --seed N        override the scenario's seed
  --seeds N|LIST  run every arm on N seeds counting up from the scenario's seed (or --seed), or on a list
                  (--seeds 42,7,9), in parallel on worker threads; reports medians with their spread [min-max]
                  and judges each SLO on the median (default --out: runs/<scenario>-seeds<first>-<last>)
  --jobs N        worker threads for --seeds (default: one per core, at most one per seed)
  --target NAME   where to run: sim (default), or kwok: each arm in turn on a fresh local control plane (etcd,
                  kube-apiserver, kube-scheduler, kube-controller-manager, kwok) in the output folder, with the
                  bundled autoscalers as live controllers, real HPAs and real HTTP load; needs Go for its first build;
                  or kind: each arm in turn on a fresh kind cluster of real kubelets in Docker (kind/README.md),
                  the bundled arm launching kind worker containers as nodes, the pods real containers of the
                  local workload image; no HTTP load or HPAs yet (such scenarios are refused);
                  or cluster: a cluster you run (--kubeconfig), measuring the autoscaler it already runs as one
                  kind: external arm (the scenario's own, or one named 'external'); the workloads go into a
                  namespace 'burstlab' the run creates, everything labelled burstlab.io/run=<run id>, and are
                  deleted at the end; nothing else on the cluster is changed;
                  or eks: a game day on an EKS cluster: target cluster plus the AWS side (flags below; --dry-run
                  needs no credentials)
  --kubeconfig F  cluster, eks: the kubeconfig to reach the cluster with
  --context C     cluster, eks: the kubeconfig's context to use (default: its current context)
  --kwok-pods     cluster: the cluster's nodes are kwok's (a kwok control plane): pods select kwok nodes and play
                  the scenario's start-up delays; without it they are real pause containers
  --keep          cluster: leave the run's objects on the cluster (remove them with burstlab cleanup --run <id>)
  --kind-nodes N  kind: the most worker nodes an arm runs at once; a launch beyond it is refused as a cloud
                  without capacity refuses it (default 6: what 2 cores hold beside the control plane)
  --speed N       kwok: play N scenario seconds per wall second (a number >= 1; default 1). Every time the harness
                  and the cluster play (traffic, boot and start-up delays, batching windows, scan intervals, HPA sync
                  and behaviour windows) is divided by N and every figure is reported in scenario time; API and
                  watch latency are real and not scaled, so they weigh N times as much (the report says so)
  --dry-run       validate and print the plan (arms, node groups, NodePools, traffic per phase, SLOs); write nothing
  --no-report     skip report.html, junit.xml and summary.md
  --events-gzip   write the event log gzipped, as events.jsonl.gz (report, compare and verify read either)
  -o, --output FORMAT
                  table (default): the comparison table and the verdict line on stdout;
                  json: results.json's content on stdout and nothing else (progress and messages on stderr)
  -q, --quiet     no progress and no table: only errors and the one-line verdict
                  (e.g. 'market-open: cluster-autoscaler FAIL (podToReady.p99 215.2 s > 180 s), karpenter pass')
${BUDGET_USAGE}

${EKS_USAGE}

Colour on a terminal only; NO_COLOR turns it off, FORCE_COLOR on.

exit codes: 0 ok, 1 an SLO failed, 2 invalid input, 3 run error, 130 interrupted (SIGINT), 143 terminated (SIGTERM)`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario and compare its autoscalers',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', args, OPTIONS);
    if (positionals.length !== 1) throw new UsageError('run takes exactly one scenario file', 'burstlab run scenarios/market-open.yaml');
    if (values.target !== 'sim' && values.target !== 'kwok' && values.target !== 'kind' && values.target !== 'cluster' && values.target !== 'eks') {
      throw new UsageError(`target '${values.target}' cannot run scenarios`, 'use --target sim (the simulator), --target kwok (a local control plane), --target kind (real kubelets in Docker), --target cluster --kubeconfig <file> (your cluster) or --target eks (a game day on EKS)');
    }
    if (values['kind-nodes'] !== undefined && values.target !== 'kind') throw new UsageError('--kind-nodes applies to --target kind', 'add --target kind, or drop --kind-nodes');
    const eksFlag = Object.keys(EKS_OPTIONS).find((k) => values[k as keyof typeof EKS_OPTIONS] !== undefined);
    if (eksFlag && values.target !== 'eks') throw new UsageError(`--${eksFlag} applies to --target eks only`, `add --target eks, or drop --${eksFlag}`);
    const clusterOnly = (['kubeconfig', 'context', 'kwok-pods', 'keep'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
    const clusterOnlyHere = values.target === 'eks' ? clusterOnly.filter((k) => k === 'kwok-pods' || k === 'keep') : clusterOnly;
    if (values.target !== 'cluster' && clusterOnlyHere.length > 0) throw new UsageError(`--${clusterOnlyHere[0]} applies to --target cluster`, `add --target cluster, or drop --${clusterOnlyHere[0]}`);
    if (values.target === 'cluster' && values.kubeconfig === undefined) throw new UsageError('--target cluster needs --kubeconfig', 'e.g. burstlab run scenarios/kwok-burst.yaml --target cluster --kubeconfig ~/.kube/config');
    const speed = parseSpeed(values.speed, values.target);
    const output = outputFormat(values.output);
    if (output === 'json' && values['dry-run']) throw new UsageError('--dry-run prints a plan for people; -o json is for results', 'drop one of --dry-run and -o json');
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) {
      throw new UsageError(`--seed '${values.seed}' is not a whole number from 0 to 4294967295`, 'e.g. --seed 42');
    }
    const file = positionals[0]!;
    const jobs = parseJobs(values.jobs);
    const budget = budgetFromFlags('run', values);
    const scenario = await loadScenario(file, { budget });
    const target: RunTarget = values.target;
    const unsupported = [
      ...targetIssues(scenario, target),
      ...(target === 'cluster' ? clusterFaultIssues(scenario) : faultTargetIssues(scenario, target)),
      ...(target === 'kind' ? kindScenarioIssues(scenario) : []),
    ];
    if (unsupported.length > 0) {
      const external = unsupported.some((i) => i.message.startsWith('external '));
      const hint = external ? EXTERNAL_HINT : target === 'sim' ? LIVE_ONLY_HINT : 'drop the faults this target cannot inject, or run them on the sim (scenarios/README.md, "faults")';
      throw new ValidationError(file, unsupported, hint);
    }
    const seeds = values.seeds === undefined ? undefined : parseSeeds(values.seeds, seed ?? scenario.seed);
    if (jobs !== undefined && !(seeds && seeds.length > 1)) throw new UsageError('--jobs applies only to a run on several seeds', 'add --seeds N, or drop --jobs');
    if (seed !== undefined && values.seeds?.includes(',')) throw new UsageError('--seed and a list in --seeds: which seeds to run is unclear', 'put every seed in the list, e.g. --seeds 42,7,9');
    if (values.target === 'eks') {
      if (values.seeds !== undefined || values.speed !== undefined) throw new UsageError('a game day plays one seed in real time', 'drop --seeds and --speed');
      const live = { file, scenario, seed: seed ?? scenario.seed, speed, budget, argv: ['run', ...args], dryRun: values['dry-run'], out: values.out, force: values.force };
      return runEks({ scenario, seed: seed ?? scenario.seed, dryRun: values['dry-run'], values, live }, { output, quiet: values.quiet, reports: !values['no-report'], gzipEvents: values['events-gzip'] }, io);
    }
    if (values.target === 'cluster') {
      if (values.seeds !== undefined) throw new UsageError('--seeds runs on the sim only: a live run plays one seed', 'drop --seeds, or use --target sim');
      const live = { file, scenario, seed: seed ?? scenario.seed, speed, budget, argv: ['run', ...args], dryRun: values['dry-run'], out: values.out, force: values.force };
      const cluster = { kubeconfigPath: values.kubeconfig!, ...(values.context === undefined ? {} : { context: values.context }) };
      return runCluster({ ...live, cluster, pods: values['kwok-pods'] ? 'kwok' : 'real', keep: values.keep }, { output, quiet: values.quiet, reports: !values['no-report'], gzipEvents: values['events-gzip'] }, io);
    }
    if (values.target === 'kind') {
      if (values.seeds !== undefined) throw new UsageError('--seeds runs on the sim only: a live run plays one seed', 'drop --seeds, or use --target sim');
      const live = { file, scenario, seed: seed ?? scenario.seed, speed, budget, argv: ['run', ...args], dryRun: values['dry-run'], out: values.out, force: values.force };
      return runKind({ ...live, maxNodes: parseKindNodes(values['kind-nodes']) }, { output, quiet: values.quiet, reports: !values['no-report'], gzipEvents: values['events-gzip'] }, io);
    }
    if (values.target === 'kwok') {
      if (values.seeds !== undefined) throw new UsageError('--seeds runs on the sim only: a live run plays one seed', 'drop --seeds, or use --target sim');
      const live = { file, scenario, seed: seed ?? scenario.seed, speed, budget, argv: ['run', ...args], dryRun: values['dry-run'], out: values.out, force: values.force };
      return runLive(live, { output, quiet: values.quiet, reports: !values['no-report'], gzipEvents: values['events-gzip'] }, io);
    }
    if (values['dry-run']) {
      io.stdout.write(describePlan(scenario, seed ?? scenario.seed) + formatWarnings(scenario.warnings));
      return EXIT.ok;
    }
    io.stderr.write(formatWarnings(scenario.warnings));
    if (seeds && seeds.length > 1) {
      const folder = await prepareOutputFolder(values.out ?? join('runs', seedsOutName(scenario.name, seeds)), { force: values.force });
      try {
        const options = { file, scenario, seeds, jobs, quiet: values.quiet, noReport: values['no-report'], gzipEvents: values['events-gzip'], argv: ['run', ...args], out: folder.path, output };
        return await runOnSeeds(options, io, async (_out, write) => {
          try {
            await write(folder.partial);
          } catch (err) {
            if (err instanceof BurstlabError) throw err;
            throw new RunError(`could not write the run to ${folder.partial}`, 'check that the disk has room', { cause: err });
          }
          await folder.commit(io.signal);
        });
      } catch (err) {
        await folder.discard();
        throw err;
      }
    }
    const folder = await prepareOutputFolder(values.out ?? join('runs', `${scenario.name}-seed${seed ?? scenario.seed}`), { force: values.force });
    const out = folder.path;
    const elapsed = stopwatch();
    const progress = values.quiet ? null : new ProgressBar(io.stderr, scenario.name);
    let results;
    try {
      results = await runJob(
        {
          file,
          ...(seed === undefined ? {} : { seed }),
          budget,
          dir: folder.partial,
          reports: !values['no-report'],
          gzipEvents: values['events-gzip'],
          meta: {
            schema: 'burstlab/run/v1',
            startedAt: wallTimeIso(),
            burstlabVersion: burstlabVersion(),
            nodeVersion: process.version,
            target: 'sim',
            scenarioFile: file,
            argv: ['run', ...args],
            components: {},
            scenarioDigest: scenarioDigest(scenario),
          },
        },
        io.signal,
        {
          onProgress: (f, arm) => progress?.update(f, arm),
          onSimulated: () => progress?.done(`simulated ${scenario.autoscalers.length} arm(s) x ${formatScenarioDuration(scenario.duration)} in ${(elapsed() / 1000).toFixed(1)} s`),
          onStep: (text) => progress?.step(text),
        },
      );
    } catch (err) {
      await folder.discard();
      throw err;
    }
    await folder.commit(io.signal);
    return printOutcome(results, { output, quiet: values.quiet, out, reports: !values['no-report'] }, io);
  },
};

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  jobs: { type: 'string' },
  target: { type: 'string', default: 'sim' },
  'kind-nodes': { type: 'string' },
  speed: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'kwok-pods': { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'no-report': { type: 'boolean', default: false },
  'events-gzip': { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  output: { type: 'string', short: 'o', default: 'table' },
  ...BUDGET_OPTIONS,
  ...EKS_OPTIONS,
} as const;

/** --speed: scenario seconds per wall second on a live target, a number >= 1 (1 when absent). */
function parseSpeed(value: string | undefined, target: string): number {
  if (value === undefined) return 1;
  if (target === 'sim') throw new UsageError('--speed applies to live targets: the sim runs as fast as it can', 'drop --speed, or add --target kwok');
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 1) {
    throw new UsageError(`--speed '${value}' is not a number >= 1`, 'e.g. --speed 10 plays ten scenario seconds per wall second; --speed 1 (the default) plays in real time');
  }
  return n;
}

function outputFormat(value: string): 'table' | 'json' {
  if (value === 'table' || value === 'json') return value;
  throw new UsageError(`--output '${value}' is not one of: table, json`, 'e.g. -o json; the output folder is --out DIR');
}
