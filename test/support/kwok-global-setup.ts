import type { TestProject } from 'vitest/node';
import { formatError, MissingPrerequisiteError } from '../../harness/runner/errors.js';
import { ensureKarpenterKwok, ensureTools } from '../../harness/targets/kwok/tools.js';
import { stopwatch } from '../../harness/clock/wall-clock.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty when the kwok target's binaries are ready; otherwise why not (Go missing, build failed). */
    kwokToolsError: string;
    /** Empty when upstream Karpenter's kwok provider is built; otherwise why not. */
    karpenterKwokError: string;
    /** True when that is because Go is missing (the one reason its test may skip outside CI). */
    karpenterKwokGoMissing: boolean;
  }
}

/**
 * Builds the kwok target's binaries once per `npm test`, before any test file runs: a cold build takes many
 * minutes on a small machine and must not count against a test's timeout. Later runs find them cached.
 */
export default async function setup(project: TestProject): Promise<void> {
  const elapsed = stopwatch();
  const say = (line: string): void => void process.stderr.write(`[kwok tools] ${line}\n`);
  try {
    await ensureTools(say);
    say(`ready (${(elapsed() / 1000).toFixed(1)} s)`);
    project.provide('kwokToolsError', '');
  } catch (err) {
    say(formatError(err));
    project.provide('kwokToolsError', formatError(err));
  }
  // The real Karpenter (karpenter-upstream arms): ~3 min more on a cold machine, once; cached afterwards.
  try {
    await ensureKarpenterKwok(say);
    project.provide('karpenterKwokError', '');
    project.provide('karpenterKwokGoMissing', false);
  } catch (err) {
    say(formatError(err));
    project.provide('karpenterKwokError', formatError(err));
    project.provide('karpenterKwokGoMissing', err instanceof MissingPrerequisiteError);
  }
}
