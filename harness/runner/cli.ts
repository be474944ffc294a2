import { editDistance } from './args.js';
import type { Command, CommandIO } from './command.js';
import { EXIT, formatError, UsageError } from './errors.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { explainCommand } from './commands/explain.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { versionCommand } from './commands/version.js';

const commands: Command[] = [
  runCommand,
  validateCommand,
  clusterCommand,
  reportCommand,
  compareCommand,
  verifyCommand,
  explainCommand,
  versionCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'burstlab: chaos and load tests for Kubernetes autoscaling',
    '',
    'usage: burstlab <command> [options]    burstlab --version',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `burstlab <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 an SLO or threshold failed, 2 invalid input, 3 run error.',
    '',
  ].join('\n');
}

function unknownCommand(name: string): UsageError {
  const names = commands.map((c) => c.name);
  if (name.startsWith('-')) return new UsageError(`unknown option '${name}' before the command`, `options go after the command: burstlab run <scenario.yaml> ${name}`);
  const near = names.find((c) => editDistance(name, c) <= Math.max(1, Math.floor(name.length / 4)));
  const known = `one of: ${names.join(', ')}`;
  return new UsageError(`unknown command '${name}'`, near ? `did you mean ${near}? ${known}` : known);
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
    if (name === '--version' || name === '-V') return await versionCommand.run(rest, streams);
    const command = commands.find((c) => c.name === name);
    if (!command) throw unknownCommand(name);
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
