import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario } from '../../../scenarios/load.js';
import { DEFAULT_K6_BASE_URL, k6Script } from '../../traffic/k6-script.js';
import { parseCommandArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, RunError, UsageError } from '../errors.js';

const FORMATS = ['k6'] as const;

const usage = `usage: burstlab export k6 <scenario.yaml> [options]

Writes the scenario's traffic as a k6 script (an ES module), for teams that run k6 themselves; burstlab never runs,
installs or bundles k6 (it is AGPL-licensed). Each workload with traffic becomes one ramping-arrival-rate scenario
(open model) whose stages follow its traffic profile; preAllocatedVUs and maxVUs are sized from the peak rate
times the base latency and the request timeout. The scenario's request SLOs become thresholds
(requests.successRate -> http_req_failed, requests.latencyP95Ms -> http_req_duration p(95)); the SLOs k6 cannot
check, and the profile noise it does not reproduce, are listed in a comment at the top.

options:
  --out FILE        write the script here (default: stdout); an existing file is refused unless --force
  --force           replace an existing --out file
  --base-url URL    where requests go (default ${DEFAULT_K6_BASE_URL}); the script also reads BASE_URL from
                    its environment (k6 run -e BASE_URL=...). Each workload is requested at <base-url>/w/<name>

Exit codes: 0 written, 2 invalid scenario, option or existing --out file, 3 the file could not be written.
`;

export const exportCommand: Command = {
  name: 'export',
  summary: "write a scenario's traffic as a k6 script (ramping-arrival-rate stages, SLO thresholds)",
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('export', args, {
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'base-url': { type: 'string', default: DEFAULT_K6_BASE_URL },
    });
    const [format, file, ...extra] = positionals;
    if (format === undefined) throw new UsageError('export needs a format and a scenario', 'usage: burstlab export k6 <scenario.yaml>');
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown export format '${format}'`, `one of: ${FORMATS.join(', ')}`);
    if (file === undefined) throw new UsageError('export k6 needs a scenario file', 'usage: burstlab export k6 <scenario.yaml>');
    if (extra.length > 0) throw new UsageError(`export takes one scenario, got ${extra.length + 1}`, 'export one scenario per call');
    const baseUrl = parseBaseUrl(values['base-url']);
    const scenario = await loadScenario(file);
    if (scenario.traffic.length === 0) {
      throw new UsageError(`${file}: the scenario has no traffic to export`, 'add a traffic: entry for a workload (see scenarios/README.md)');
    }
    const script = k6Script(scenario, baseUrl);
    if (values.out === undefined) {
      io.stdout.write(script);
      return EXIT.ok;
    }
    const out = resolve(values.out);
    try {
      writeFileSync(out, script, { flag: values.force ? 'w' : 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${out} already exists`, 'choose another --out, or add --force to replace it', { cause: err });
      throw new RunError(`cannot write ${out}`, 'check that its folder exists and is writable', { cause: err });
    }
    io.stderr.write(`wrote ${out} (k6 script: ${scenario.traffic.length} workload scenario${scenario.traffic.length === 1 ? '' : 's'})\n`);
    return EXIT.ok;
  },
};

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new UsageError(`--base-url '${raw}' is not a URL`, `write it like ${DEFAULT_K6_BASE_URL}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url '${raw}' is not an http or https URL`, `write it like ${DEFAULT_K6_BASE_URL}`);
  return raw.replace(/\/+$/, '');
}
