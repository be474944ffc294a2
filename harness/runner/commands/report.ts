import { resolve } from 'node:path';
import { writeSeedsReports } from '../../../reports/seeds/index.js';
import { readRunDir } from '../../../reports/run-dir.js';
import { writeReports } from '../../../reports/index.js';
import type { Command, CommandIO } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../errors.js';
import { ensureFolder } from '../output-dir.js';
import { buildFidelity, FIDELITY_GOALS, fidelityLine, fidelityMismatch } from '../../../reports/compare/fidelity.js';
import type { SavedRun } from '../../../reports/run-dir.js';

/** The report's "sim vs live" line; a baseline that is not a sim run of the live run's scenario and seed is refused. */
function simVsLiveLine(sim: SavedRun, live: SavedRun): string {
  const hint = 'give --sim-baseline a sim run of this run\'s scenario file and seed: burstlab run <scenario.yaml> --seed N';
  if (live.results.scenario.target === 'sim') throw new UsageError(`--sim-baseline applies to a live run; ${live.dir} ran on the sim`, 'use burstlab compare to set two sim runs side by side');
  if (sim.results.scenario.target !== 'sim') throw new UsageError(`--sim-baseline ${sim.dir} ran on ${sim.results.scenario.target}, not the sim`, hint);
  const why = fidelityMismatch(sim, live);
  if (why.length > 0) throw new UsageError(`--sim-baseline ${sim.dir} does not match ${live.dir}: ${why.join('; ')}`, hint);
  return fidelityLine(buildFidelity(sim, live));
}

const usage = `usage: burstlab report <run-dir> [--out DIR] [--sim-baseline SIM-RUN-DIR]

Re-renders a saved run's reports from its results.json, events.jsonl and run.json:
  report.html   self-contained (opens from file://, no network), charts and tables comparing the autoscalers
  junit.xml     one test case per SLO check per autoscaler
  summary.md    for a CI job summary or a PR comment

options:
  --out DIR                  where to write them (default: the run directory itself)
  --sim-baseline SIM-RUN-DIR for a live run (--target kwok): a sim run of the same scenario file and seed, whose
                             agreement goes in the report as a "sim vs live" line: per autoscaler, pod-to-ready
                             p50 and p99 (goal: within ${FIDELITY_GOALS.podToReady * 100}%) and peak nodes (within ${FIDELITY_GOALS.peakNodes * 100}%). A re-render
                             without the flag drops the line. burstlab compare <sim-run> <live-run> shows the table

Exit codes: 0 written (whatever the SLOs say: \`burstlab run\` is what fails on them), 2 missing or malformed run.
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'render report.html, junit.xml and summary.md for a saved run',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals: positional } = parseCommandArgs('report', args, { out: { type: 'string' }, 'sim-baseline': { type: 'string' } });
    const out = values.out;
    if (positional.length !== 1) throw new UsageError('report needs exactly one run directory', 'usage: burstlab report <run-dir> [--out DIR]');
    const run = await readRunDir(resolve(positional[0]!));
    const baseline = values['sim-baseline'] === undefined ? undefined : await readRunDir(resolve(values['sim-baseline']));
    const simVsLive = baseline ? simVsLiveLine(baseline, run) : undefined;
    const { files } = run.aggregate
      ? await writeSeedsReports(await ensureFolder(out ?? run.dir), run.aggregate, run.seeds!, run.events, run.meta)
      : await writeReports(await ensureFolder(out ?? run.dir), run.results, run.events, run.meta, undefined, simVsLive === undefined ? {} : { simVsLive });
    if (simVsLive !== undefined) io.stderr.write(`${simVsLive}\n`);
    for (const f of files) io.stdout.write(`${f}\n`);
    return EXIT.ok;
  },
};
