/**
 * Errors the CLI maps to exit codes (DESIGN.md principle 6): 2 for input the user must fix, 3 for a run that failed.
 * Each carries a hint saying how to fix it; a wrapped failure keeps its `cause`.
 */
export const EXIT = { ok: 0, sloFailed: 1, invalidInput: 2, runError: 3, interrupted: 130, terminated: 143 } as const;

export abstract class BurstlabError extends Error {
  abstract readonly exitCode: number;

  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong: unknown command, missing argument, bad flag value. */
export class UsageError extends BurstlabError {
  readonly exitCode = EXIT.invalidInput;
}

export interface ValidationIssue {
  /** e.g. `workloads[1].resources.cpu` */
  path: string;
  message: string;
}

/** A scenario or other input file failed validation; every problem found is listed, not just the first. */
export class ValidationError extends BurstlabError {
  readonly exitCode = EXIT.invalidInput;

  constructor(
    readonly file: string,
    readonly issues: ValidationIssue[],
    hint?: string,
  ) {
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, hint);
  }
}

/** A prerequisite for a target is missing on this machine (Go, a built binary, a browser). */
export class MissingPrerequisiteError extends BurstlabError {
  readonly exitCode = EXIT.invalidInput;
}

/** The run started and then failed: a crashed process, an API error, a timeout. */
export class RunError extends BurstlabError {
  readonly exitCode = EXIT.runError;
}

/** The signals that stop a run; each has its conventional exit code (128 + the signal's number). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * The run was stopped on purpose (Ctrl-C, `kill`, a cancelled CI job): exit 130 for SIGINT, 143 for SIGTERM, after
 * whatever the run had started was torn down and its partial output removed.
 */
export class InterruptedError extends BurstlabError {
  readonly exitCode: number;

  constructor(
    readonly signal: StopSignal,
    message = `interrupted (${signal})`,
    hint = 'what it had started was stopped and nothing partial was left (a previous run in the output folder is as it was); run it again',
  ) {
    super(message, hint);
    this.exitCode = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
}

export function formatError(err: unknown): string {
  if (err instanceof ValidationError) {
    const lines = [`error: ${err.message}`, ...err.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`)];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    return lines.join('\n');
  }
  if (err instanceof BurstlabError) {
    const lines = [`error: ${err.message}`];
    if (err.cause instanceof Error) lines.push(`  cause: ${err.cause.message}`);
    if (err.hint) lines.push(`hint: ${err.hint}`);
    return lines.join('\n');
  }
  return `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}
