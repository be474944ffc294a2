import { basename, join, resolve } from 'node:path';
import { writeComparison } from '../../../reports/compare/index.js';
import { readRunDir } from '../../../reports/run-dir.js';
import type { Command, CommandIO } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../errors.js';

const usage = `usage: burstlab compare <baseline-run-dir> <candidate-run-dir> [--out DIR]

Puts two saved runs side by side (say last night's and tonight's): per autoscaler, whether its SLOs still hold
and how each key metric moved, with pending pods, cumulative cost and pod-to-ready overlaid. Moves under 5% are
treated as noise. Writes compare.html (self-contained) and compare.md.

options:
  --out DIR   where to write (default: <candidate-run-dir>/compare-<baseline dir name>, so comparing one
              candidate against several baselines keeps every comparison)

Exit codes: 0 written, 2 missing or malformed run directory.
`;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two saved runs (baseline vs candidate) in compare.html and compare.md',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals: positional } = parseCommandArgs('compare', args, { out: { type: 'string' } });
    const out = values.out;
    if (positional.length !== 2) throw new UsageError('compare needs two run directories', 'usage: burstlab compare <baseline-run-dir> <candidate-run-dir>');
    const [a, b] = await Promise.all(positional.map((p) => readRunDir(resolve(p))));
    const labels = { a: basename(a!.dir), b: basename(b!.dir) };
    if (labels.a === labels.b) Object.assign(labels, { a: `baseline (${labels.a})`, b: `candidate (${labels.b})` });
    const dir = resolve(out ?? join(b!.dir, `compare-${basename(a!.dir)}`));
    const { files } = await writeComparison(a!, b!, labels, dir);
    for (const f of files) io.stdout.write(`${f}\n`);
    return EXIT.ok;
  },
};
