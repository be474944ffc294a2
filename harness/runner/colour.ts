/**
 * ANSI colour for terminal output only: never in files, pipes or CI logs unless asked for. FORCE_COLOR (other than
 * '0' or 'false') turns it on and wins over NO_COLOR, as in Node itself; NO_COLOR (any non-empty value, see
 * no-color.org) or TERM=dumb turns it off; otherwise colour follows whether the stream is a terminal.
 */
export interface Colour {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  bold(s: string): string;
}

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function colourFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colour {
  return colourEnabled(stream, env) ? ANSI : PLAIN;
}

const wrap = (open: number, close: number) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;

export const ANSI: Colour = { enabled: true, red: wrap(31, 39), green: wrap(32, 39), bold: wrap(1, 22) };
export const PLAIN: Colour = { enabled: false, red: (s) => s, green: (s) => s, bold: (s) => s };

/**
 * Colours the comparison table `burstlab run` prints: FAIL red and pass green in the SLOs row, the better-value
 * mark ('*') bold green. Works on the finished text so the table's column layout is computed on plain widths.
 */
export function paintTable(table: string, c: Colour): string {
  if (!c.enabled) return table;
  return table
    .split('\n')
    .map((line) => {
      if (line.startsWith('SLOs ')) return line.replace(/FAIL \(\d+\)/g, (m) => c.red(m)).replace(/\bpass\b/g, (m) => c.green(m));
      if (line.startsWith('* = better')) return line.replace(/^\*/, (m) => c.bold(c.green(m)));
      return line.replace(/ \*(?= |$)/g, (m) => ` ${c.bold(c.green(m.slice(1)))}`);
    })
    .join('\n');
}
