import { join } from 'node:path';
import { loadScenario } from '../../../scenarios/load.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { stopwatch, wallTimeIso } from '../../clock/wall-clock.js';
import { trafficPlan } from '../../traffic/plan.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { prepareOutputFolder } from '../output-dir.js';
import { ProgressBar } from '../progress.js';
import { runJob } from '../run-job.js';
import { comparisonTable } from '../table.js';
import { burstlabVersion } from '../version.js';

const USAGE = `usage: burstlab run <scenario.yaml> [options]

Runs every autoscaler arm of the scenario on the same seed and traffic, and writes to the output folder:
events.jsonl (the event log), results.json (metrics), run.json (when and how), report.html, junit.xml, summary.md.

options:
  --out DIR       output folder (default: runs/<scenario>-seed<seed>). The run is written beside it and swapped
                  in only when complete, so a failed or interrupted run leaves the folder as it was. It must be new,
                  empty, or a previous burstlab run (a run.json marks one); a file, a link, the working or home
                  folder are always refused
  --force         also replace a non-empty --out folder that is not a burstlab run, and everything in it
  --seed N        override the scenario's seed
  --target NAME   where to run: sim (default). Live targets: see 'burstlab cluster'.
  --dry-run       validate and print the plan (arms, node groups, NodePools, traffic per phase, SLOs); write nothing
  --no-report     skip report.html, junit.xml and summary.md
  --quiet         no progress bar and no table

exit codes: 0 ok, 1 an SLO failed, 2 invalid input, 3 run error, 130 interrupted (SIGINT), 143 terminated (SIGTERM)`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario and compare its autoscalers',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('run', args, OPTIONS);
    if (positionals.length !== 1) throw new UsageError('run takes exactly one scenario file', 'burstlab run scenarios/market-open.yaml');
    if (values.target !== 'sim') {
      throw new UsageError(`target '${values.target}' cannot run scenarios yet`, "use --target sim; 'burstlab cluster up --target kwok' brings up the live control plane");
    }
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1)) {
      throw new UsageError(`--seed '${values.seed}' is not a whole number from 0 to 4294967295`);
    }
    const file = positionals[0]!;
    const scenario = await loadScenario(file);
    if (values['dry-run']) {
      io.stdout.write(describePlan(scenario, seed ?? scenario.seed));
      return EXIT.ok;
    }
    const output = await prepareOutputFolder(values.out ?? join('runs', `${scenario.name}-seed${seed ?? scenario.seed}`), { force: values.force });
    const out = output.path;
    const elapsed = stopwatch();
    const progress = values.quiet ? null : new ProgressBar(io.stderr, scenario.name);
    let results;
    try {
      results = await runJob(
        {
          file,
          ...(seed === undefined ? {} : { seed }),
          dir: output.partial,
          reports: !values['no-report'],
          meta: {
            schema: 'burstlab/run/v1',
            startedAt: wallTimeIso(),
            burstlabVersion: burstlabVersion(),
            nodeVersion: process.version,
            target: 'sim',
            scenarioFile: file,
            argv: ['run', ...args],
            components: {},
          },
        },
        io.signal,
        {
          onProgress: (f, arm) => progress?.update(f, arm),
          onSimulated: () => progress?.done(`simulated ${scenario.autoscalers.length} arm(s) x ${formatDuration(scenario.duration)} in ${(elapsed() / 1000).toFixed(1)} s`),
        },
      );
    } catch (err) {
      await output.discard();
      throw err;
    }
    await output.commit(io.signal);
    if (!values.quiet) {
      io.stdout.write(comparisonTable(results));
      io.stdout.write(`\nwrote ${out}${values['no-report'] ? '' : `/report.html`}\n`);
    }
    return results.autoscalers.every((a) => a.slo.passed) ? EXIT.ok : EXIT.sloFailed;
  },
};

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  target: { type: 'string', default: 'sim' },
  'dry-run': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'no-report': { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

function formatDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return h > 0 ? `${h}h${m ? `${m}m` : ''}` : `${m}m`;
}

function describePlan(s: Scenario, seed: number): string {
  const lines = [
    `scenario ${s.name} (${s.file}): ${formatDuration(s.duration)} from ${s.start}, seed ${seed}, target sim`,
    `cluster: ${s.cluster.region} ${s.cluster.zones.join(', ')}; daemonsets: ${s.cluster.daemonsets.map((d) => d.name).join(', ') || 'none'}`,
    'arms:',
    ...s.autoscalers.map((a) => `  ${a.name} (${a.kind})`),
    'node groups:',
    ...s.cluster.nodeGroups.map((g) => `  ${g.name}: ${g.instanceType} ${g.capacityType}, ${g.initial ?? g.min} at start, ${g.min}..${g.max}${g.autoscaled ? '' : ' (fixed)'}`),
    'NodePools:',
    ...s.cluster.nodePools.map((p) => `  ${p.name}: weight ${p.weight}, ${p.requirements.length} requirement(s), limits ${JSON.stringify(p.limits)}`),
    'workloads:',
    ...s.workloads.map((w) => `  ${w.name}: ${w.replicas} replica(s) of ${w.resources.cpu}m / ${w.resources.memory}Mi${w.hpa ? `, HPA ${w.hpa.minReplicas}..${w.hpa.maxReplicas} at ${w.hpa.targetRpsPerPod} rps/pod` : ''}`),
    'traffic plan (requests/s, before noise):',
    ...trafficPlan(s).map((r) => `  ${r.workload.padEnd(16)} ${r.phase.padEnd(18)} ${formatDuration(r.startS * 1000).padStart(6)}..${formatDuration(r.endS * 1000).padEnd(6)} min ${r.minRps}  mean ${r.meanRps}  max ${r.maxRps}`),
    'SLOs:',
    ...(s.slo.length ? s.slo.map((x) => `  ${x.metric} ${x.op} ${x.threshold}`) : ['  none']),
  ];
  return lines.join('\n') + '\n';
}
