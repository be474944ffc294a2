/** A CLI subcommand. Each lives in its own file under commands/ and is listed once in cli.ts. */
export interface Command {
  name: string;
  /** One line for `burstlab help`. */
  summary: string;
  /** Full usage text for `burstlab <name> --help`. */
  usage: string;
  /** Returns the process exit code; throws BurstlabError subclasses for input or run errors. */
  run(args: string[], io: CommandIO): Promise<number>;
}

import type { LiveParts } from '../targets/live/parts.js';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CommandIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM: long commands stop and tear down what they started. */
  signal: AbortSignal;
  /** The live parts `run --target kwok` drives (harness/targets/live/parts.ts); absent, a live run cannot start. */
  liveParts?: LiveParts;
}
