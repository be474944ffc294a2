import type { Command, CommandIO } from './command.js';
import { EXIT, formatError, UsageError } from './errors.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';

const commands: Command[] = [
  runCommand,
  validateCommand,
  clusterCommand,
  reportCommand,
  compareCommand,
  verifyCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'burstlab: chaos and load tests for Kubernetes autoscaling',
    '',
    'usage: burstlab <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `burstlab <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 an SLO or threshold failed, 2 invalid input, 3 run error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io?: Partial<CommandIO>): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted'));
  const streams: CommandIO = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    signal: io?.signal ?? controller.signal,
  };
  if (!io?.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      streams.stdout.write(help());
      return name === undefined ? EXIT.invalidInput : EXIT.ok;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'`, `one of: ${commands.map((c) => c.name).join(', ')}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
      return EXIT.ok;
    }
    return await command.run(rest, streams);
  } catch (err) {
    streams.stderr.write(formatError(err) + '\n');
    return typeof (err as { exitCode?: unknown }).exitCode === 'number'
      ? (err as { exitCode: number }).exitCode
      : EXIT.runError;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
