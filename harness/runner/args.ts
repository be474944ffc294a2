import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A subcommand's flags and positionals, parsed strictly by node:util: an unknown flag or a flag missing its value
 * is a UsageError (exit 2) pointing at the command's --help.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, `see burstlab ${command} --help`);
  }
}
