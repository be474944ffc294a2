import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { stopwatch } from '../../harness/clock/wall-clock.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The path of moto_server, the AWS API emulator the AWS tests run against; empty when it could not be installed. */
    motoServer: string;
    /** Empty when moto is installed; otherwise why not (python3 missing, the install failed). */
    motoError: string;
  }
}

/**
 * Installs the pinned moto server once per `npm test` (test/support/ensure-moto.sh, cached in a virtualenv outside
 * the repository), before any test file runs: a cold install takes about a minute and must not count against a
 * test's timeout. `.ci/run` installs it before the tests too, so in CI this finds it ready.
 */
export default async function setup(project: TestProject): Promise<void> {
  const elapsed = stopwatch();
  const say = (line: string): void => void process.stderr.write(`[moto] ${line}\n`);
  try {
    const script = new URL('./ensure-moto.sh', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)('bash', [script], { timeout: 600_000 });
    const server = stdout.trim().split('\n').at(-1) ?? '';
    say(`ready (${(elapsed() / 1000).toFixed(1)} s): ${server}`);
    project.provide('motoServer', server);
    project.provide('motoError', '');
  } catch (err) {
    const message = `could not install moto (test/support/ensure-moto.sh): ${err instanceof Error ? err.message : String(err)}`;
    say(message);
    project.provide('motoServer', '');
    project.provide('motoError', message);
  }
}
