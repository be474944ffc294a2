import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { COMPARE_SCHEMA, writeComparison } from '../../../reports/compare/index.js';
import { DEFAULT_RELATIVE_THRESHOLD, parseThresholds } from '../../../reports/compare/noise.js';
import { describeFigure, FIDELITY_GOALS, fidelityMismatch } from '../../../reports/compare/fidelity.js';
import { unitForMetric, type Unit } from '../../../reports/format.js';
import { keyMetrics } from '../../../reports/model/key-metrics.js';
import { readRunDir, type SavedRun } from '../../../reports/run-dir.js';
import type { Command, CommandIO } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { BurstlabError, EXIT, RunError, UsageError } from '../errors.js';
import { outermostRun, prepareOutputFolder, type FolderMarker } from '../output-dir.js';

const COMPARE_MARKER: FolderMarker = {
  file: 'compare.json',
  schema: COMPARE_SCHEMA,
  what: 'a burstlab comparison',
  entries: new Set(['compare.json', 'compare.html', 'compare.md']),
};

const usage = `usage: burstlab compare <baseline-run-dir> <candidate-run-dir> [options]

Puts two saved runs side by side (say last night's and tonight's): per autoscaler, whether its SLOs still hold
and how each key metric moved, with pending pods, cumulative cost and pod-to-ready overlaid. Writes compare.html
(self-contained), compare.md and compare.json (the two runs and the regression count), and prints the verdict.
Never writes into either run. Warns when the runs are of different scenarios (by name
or content) or targets.

A sim run against a live run (--target kwok) adds their agreement, in either order: per autoscaler, pod-to-ready
p50 and p99 (goal: within ${FIDELITY_GOALS.podToReady * 100}% of the sim's) and peak nodes (within ${FIDELITY_GOALS.peakNodes * 100}%), each with its difference,
on the terminal and in compare.html / compare.md. Both must be the same scenario (name and content) on the same
seed, each a single-seed run; otherwise compare exits 2.

What counts as a change (reports/compare/noise.ts):
  - runs with several seeds (burstlab run --seeds N): every seed of one run beyond every seed of the other
    (their min-max spreads do not overlap);
  - single-seed runs, which have no spread: a move of more than ${DEFAULT_RELATIVE_THRESHOLD * 100}% (rates and shares: of their failed or
    idle share). Two single-seed runs on different seeds cannot tell a change from seed noise: such moves are
    reported as possible noise, not regressions, unless you set --threshold;
  - never a move that reads the same at display precision.

options:
  --out DIR              where to write (default: <baseline>-vs-<candidate>, a folder beside the candidate run,
                         named after both, so comparing one candidate against several baselines keeps every
                         comparison). Written beside it and swapped in whole; it must be new, empty, or an earlier
                         comparison (a compare.json marks one), and neither run nor a folder holding one
  --force                also replace a non-empty --out folder that is not a comparison
  --threshold T          the smallest change that counts: 10% for every metric, or per metric (repeatable):
                         podToReady.p99=5%, requests.successRate=0.1pp (percentage points)
  --fail-on-regression   exit 1 when the candidate has a regression (for CI gates)

Exit codes: 0 written (and no regression with --fail-on-regression), 1 a regression with --fail-on-regression,
2 missing or malformed run directory or bad option.
`;

/** Regressions printed on the terminal; compare.md lists them all. */
const LISTED = 10;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two saved runs (baseline vs candidate): regressions beyond noise, compare.html and compare.md',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals: positional } = parseCommandArgs('compare', args, {
      out: { type: 'string' },
      threshold: { type: 'string', multiple: true },
      'fail-on-regression': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    });
    if (positional.length !== 2) throw new UsageError('compare needs two run directories', 'usage: burstlab compare <baseline-run-dir> <candidate-run-dir>');
    const thresholds = parseThresholds(values.threshold ?? []);
    const [a, b] = await Promise.all(positional.map((p) => readRunDir(resolve(p))));
    const simVsLive = isSimVsLive(a!, b!);
    if (simVsLive) {
      const why = fidelityMismatch(a!, b!);
      if (why.length > 0) {
        throw new UsageError(`cannot set ${a!.dir} against ${b!.dir} as sim vs live: ${why.join('; ')}`, 'run the sim on the live run\'s scenario file and seed: burstlab run <scenario.yaml> --seed N');
      }
    }
    const units = metricUnits(a!);
    const unknown = Object.keys(thresholds.byMetric).filter((k) => !units.has(k));
    if (unknown.length) throw new UsageError(`--threshold names unknown metric(s): ${unknown.join(', ')}`, `one of: ${[...units.keys()].join(', ')}`);
    const notRates = Object.entries(thresholds.byMetric).filter(([k, t]) => t.pp !== undefined && units.get(k) !== 'percent').map(([k]) => k);
    if (notRates.length) throw new UsageError(`--threshold in percentage points for ${notRates.join(', ')}, which ${notRates.length === 1 ? 'is not a rate or share' : 'are not rates or shares'}`, 'give a relative threshold instead, e.g. podToReady.p99=5%');
    const labels = { a: basename(a!.dir), b: basename(b!.dir) };
    if (labels.a === labels.b) Object.assign(labels, { a: `baseline (${labels.a})`, b: `candidate (${labels.b})` });
    const out = values.out === undefined ? await defaultOut(a!.dir, b!.dir) : resolve(values.out);
    await refuseInputs(out, [a!.dir, b!.dir]);
    const folder = await prepareOutputFolder(out, { force: values.force, marker: COMPARE_MARKER });
    let written;
    try {
      written = await writeComparison(a!, b!, labels, folder.partial, { thresholds, simVsLive });
    } catch (err) {
      await folder.discard();
      if (err instanceof BurstlabError) throw err;
      throw new RunError(`could not write the comparison to ${folder.partial}`, 'check that the disk has room', { cause: err });
    }
    await folder.commit(io.signal);
    const { model } = written;
    const files = written.files.map((f) => join(folder.path, basename(f)));
    for (const w of model.warnings) io.stderr.write(`warning: ${w}\n`);
    io.stdout.write(`${model.headline}\n`);
    if (model.fidelity) {
      const f = model.fidelity;
      io.stdout.write(`sim vs ${f.liveTarget} (seed ${f.seed}): ${f.pass ? 'agree' : 'do not agree'}\n`);
      for (const arm of f.arms) for (const x of arm.figures) io.stdout.write(`  ${arm.name} ${describeFigure(x)}\n`);
      if (f.unmatched.length) io.stdout.write(`  not in both runs: ${f.unmatched.join(', ')}\n`);
    }
    const worse = [
      ...model.arms.flatMap((arm) => arm.sloChanges.filter((x) => x.kind === 'broken' && x.significant).map((c) => `  worse: ${arm.name} SLO ${c.metric} now missed (${c.why})`)),
      ...model.arms.flatMap((arm) => arm.metrics.filter((x) => x.verdict === 'worse').map((m) => `  worse: ${arm.name} ${m.label}: ${m.a} -> ${m.b} (${m.why})`)),
    ];
    for (const line of worse.slice(0, LISTED)) io.stdout.write(`${line}\n`);
    if (worse.length > LISTED) io.stdout.write(`  ... and ${worse.length - LISTED} more in compare.md\n`);
    io.stdout.write(`${model.rule}\n`);
    for (const f of files) io.stdout.write(`${f}\n`);
    return values['fail-on-regression'] && model.regressions > 0 ? EXIT.sloFailed : EXIT.ok;
  },
};

/** One run on the sim and the other on a live target: a fidelity check rather than last night vs tonight. */
function isSimVsLive(a: SavedRun, b: SavedRun): boolean {
  const targets = [a.results.scenario.target, b.results.scenario.target];
  return targets.includes('sim') && targets.some((t) => t !== 'sim');
}

const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer + sep);

/**
 * Beside the candidate, named after both runs: runs/last-night-vs-tonight. A candidate inside a multi-seed run
 * (runs/x/seeds/8) gets it beside that run (runs/last-night-vs-x-seeds-8), never inside it.
 */
async function defaultOut(a: string, b: string): Promise<string> {
  const top = (await outermostRun(b)) ?? b;
  return join(dirname(top), `${basename(a)}-vs-${relative(dirname(top), b).split(sep).join('-')}`);
}

/** A command never modifies its inputs: the output may be neither run, inside a run, nor a folder holding one. */
async function refuseInputs(out: string, runs: readonly string[]): Promise<void> {
  const holding = runs.find((run) => within(run, out));
  const inside = holding ? null : await outermostRun(out);
  if (holding || inside) {
    throw new UsageError(
      `--out ${out} ${holding ? `${out === holding ? 'is' : 'holds'} the compared run ${holding}` : `is inside the run ${inside}`}; compare never writes into a run`,
      'pass a folder of its own, e.g. --out runs/my-comparison',
    );
  }
}

/** The metrics a per-metric --threshold can name, with their units: the compared rows and the SLO metrics. */
function metricUnits(run: SavedRun): Map<string, Unit> {
  const r = run.results;
  const units = new Map<string, Unit>(r.autoscalers.flatMap((x) => x.slo.checks.map((c): [string, Unit] => [c.metric, unitForMetric(c.metric)])));
  for (const m of keyMetrics(r.autoscalers, r.comparison.metrics)) units.set(m.key, m.unit);
  return units;
}
