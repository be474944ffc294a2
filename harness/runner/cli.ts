import { editDistance } from './args.js';
import type { Command, CommandIO } from './command.js';
import { EXIT, formatError, InterruptedError, UsageError, type StopSignal } from './errors.js';
import { forceExit } from './interrupt.js';
import { watchLauncher } from './launcher.js';
import { cleanupCommand } from './commands/cleanup.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { explainCommand } from './commands/explain.js';
import { iamPolicyCommand } from './commands/iam-policy.js';
import { exportCommand } from './commands/export.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { versionCommand } from './commands/version.js';

const commands: Command[] = [
  runCommand,
  validateCommand,
  clusterCommand,
  cleanupCommand,
  reportCommand,
  compareCommand,
  verifyCommand,
  explainCommand,
  exportCommand,
  iamPolicyCommand,
  versionCommand,
];

function help(): string {
  const width = commands.reduce((w, c) => Math.max(w, c.name.length), 4);
  return [
    'burstlab: chaos and load tests for Kubernetes autoscaling',
    '',
    'usage: burstlab <command> [options]    burstlab --version',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `burstlab <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 an SLO or threshold failed, 2 invalid input, 3 run error,',
    '130 interrupted (SIGINT, Ctrl-C), 143 terminated (SIGTERM).',
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
  // The first signal stops the run cleanly (the command tears down and removes its partial output); a second one
  // exits at once, though still never half-way through swapping a run folder into place.
  const onSignal = (signal: StopSignal, why?: string): void => {
    if (!controller.signal.aborted) controller.abort(new InterruptedError(signal, why));
    else forceExit(new InterruptedError(signal).exitCode);
  };
  const onSigint = (): void => onSignal('SIGINT');
  const onSigterm = (): void => onSignal('SIGTERM');
  let stopWatching = (): void => {};
  const streams: CommandIO = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    signal: io?.signal ?? controller.signal,
    ...(io?.liveParts ? { liveParts: io.liveParts } : {}),
  };
  if (!io?.signal) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    stopWatching = watchLauncher(() => onSignal('SIGINT', 'interrupted: the npm process that started burstlab (npx) has stopped'));
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
    stopWatching();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}
