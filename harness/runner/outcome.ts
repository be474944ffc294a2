import type { Results } from '../metrics/results.js';
import { colourFor, paintTable } from './colour.js';
import type { CommandIO } from './command.js';
import { EXIT } from './errors.js';
import { comparisonTable } from './table.js';
import { verdictLine } from './verdict-line.js';

export interface OutcomeOptions {
  output: 'table' | 'json';
  quiet: boolean;
  /** The committed output folder. */
  out: string;
  reports: boolean;
}

/**
 * What `burstlab run` prints once a run folder is in place, whatever the target: the side-by-side table and the
 * verdict (or results.json on stdout with -o json). Returns the exit code: 1 when an SLO failed.
 */
export function printOutcome(results: Results, o: OutcomeOptions, io: CommandIO): number {
  const wrote = `wrote ${o.out}${o.reports ? '/report.html' : ''}\n`;
  if (o.output === 'json') {
    io.stdout.write(JSON.stringify(results, null, 2) + '\n');
    io.stderr.write(verdictLine(results, colourFor(io.stderr)));
    if (!o.quiet) io.stderr.write(wrote);
  } else {
    const colour = colourFor(io.stdout);
    if (!o.quiet) io.stdout.write(paintTable(comparisonTable(results), colour) + '\n');
    io.stdout.write(verdictLine(results, colour));
    if (!o.quiet) io.stdout.write(wrote);
  }
  return results.autoscalers.every((a) => a.slo.passed) ? EXIT.ok : EXIT.sloFailed;
}
