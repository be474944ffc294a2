import { resolve } from 'node:path';
import { writeSeedsReports } from '../../../reports/seeds/index.js';
import { readRunDir } from '../../../reports/run-dir.js';
import { writeReports } from '../../../reports/index.js';
import type { Command, CommandIO } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../errors.js';
import { ensureFolder } from '../output-dir.js';

const usage = `usage: burstlab report <run-dir> [--out DIR]

Re-renders a saved run's reports from its results.json, events.jsonl and run.json:
  report.html   self-contained (opens from file://, no network), charts and tables comparing the autoscalers
  junit.xml     one test case per SLO check per autoscaler
  summary.md    for a CI job summary or a PR comment

options:
  --out DIR   where to write them (default: the run directory itself)

Exit codes: 0 written (whatever the SLOs say: \`burstlab run\` is what fails on them), 2 missing or malformed run.
`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'render report.html, junit.xml and summary.md for a saved run',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals: positional } = parseCommandArgs('report', args, { out: { type: 'string' } });
    const out = values.out;
    if (positional.length !== 1) throw new UsageError('report needs exactly one run directory', 'usage: burstlab report <run-dir> [--out DIR]');
    const run = await readRunDir(resolve(positional[0]!));
    const { files } = run.aggregate
      ? await writeSeedsReports(await ensureFolder(out ?? run.dir), run.aggregate, run.seeds!, run.events, run.meta)
      : await writeReports(await ensureFolder(out ?? run.dir), run.results, run.events, run.meta);
    for (const f of files) io.stdout.write(`${f}\n`);
    return EXIT.ok;
  },
};
