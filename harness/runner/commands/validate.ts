import { loadScenario } from '../../../scenarios/load.js';
import { parseCommandArgs } from '../args.js';
import { BUDGET_OPTIONS, BUDGET_USAGE, budgetFromFlags } from '../budget-flags.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, formatError, UsageError, ValidationError } from '../errors.js';

const USAGE = `usage: burstlab validate <scenario.yaml> [...] [options]

Checks every file given, each on its own: every schema, cross-reference and budget problem with its path and line
(on stderr), or 'ok' (on stdout) followed by its warnings: what is accepted but cannot happen as written, such as
a workload no instance type of an arm can ever hold.

options:
${BUDGET_USAGE}

exit codes: 0 every file is valid (warnings or not), 2 any file is invalid`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check scenario files and list every problem with its path',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('validate', args, BUDGET_OPTIONS);
    if (positionals.length === 0) throw new UsageError('validate takes one or more scenario files', 'burstlab validate scenarios/*.yaml');
    const budget = budgetFromFlags('validate', values);
    let failed = 0;
    for (const file of positionals) {
      try {
        const s = await loadScenario(file, { budget });
        const warned = s.warnings.length > 0 ? `, ${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}` : '';
        io.stdout.write(`${file}: ok (${s.name}, ${s.autoscalers.length} arm(s), ${s.workloads.length} workload(s)${warned})\n`);
        for (const w of s.warnings) io.stdout.write(`  warning: ${w.path}: ${w.message}\n`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        failed++;
        io.stderr.write(formatError(err) + '\n');
      }
    }
    if (failed > 0 && positionals.length > 1) io.stderr.write(`${failed} of ${positionals.length} files invalid\n`);
    return failed > 0 ? EXIT.invalidInput : EXIT.ok;
  },
};
