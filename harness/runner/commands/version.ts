import { toolVersions } from '../../targets/kwok/tools.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { burstlabVersion } from '../version.js';

const usage = `usage: burstlab version [--verbose] [-o table|json]

Prints burstlab's version (also: burstlab --version, burstlab -V).

options:
  --verbose, -v        also Node's version and the tool versions pinned for live targets (kind/versions.env)
  --output, -o FORMAT  table (default) or json: one object with every version, for bug reports and scripts
`;

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the burstlab version (--verbose: Node and pinned tool versions)',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('version', args, {
      verbose: { type: 'boolean', short: 'v', default: false },
      output: { type: 'string', short: 'o', default: 'table' },
    });
    if (positionals.length > 0) throw new UsageError(`version takes no arguments, got '${positionals[0]}'`, 'burstlab version --verbose');
    if (values.output !== 'table' && values.output !== 'json') throw new UsageError(`--output '${values.output}' is not one of: table, json`, 'e.g. -o json');
    const versions: Record<string, string> = { burstlab: burstlabVersion() };
    if (values.verbose || values.output === 'json') Object.assign(versions, { node: process.version }, pinnedTools());
    if (values.output === 'json') {
      io.stdout.write(JSON.stringify(versions, null, 2) + '\n');
    } else if (!values.verbose) {
      io.stdout.write(`burstlab ${versions.burstlab}\n`);
    } else {
      const width = Object.keys(versions).reduce((w, k) => Math.max(w, k.length), 0);
      io.stdout.write(Object.entries(versions).map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n');
    }
    return EXIT.ok;
  },
};

/** The kwok target's pinned tools; an install without kind/versions.env still reports the rest. */
function pinnedTools(): Record<string, string> {
  try {
    const t = toolVersions();
    return { kubernetes: t.kubernetes, etcd: t.etcd, kwok: t.kwok, 'metrics-server': t.metricsServer, vegeta: t.vegeta };
  } catch (err) {
    return { kubernetes: `unknown: ${(err as Error).message}` };
  }
}
