/**
 * `burstlab` with the test doubles of the live parts (live-parts.ts), for tests that need the CLI as a process of
 * its own (signals, SIGKILL): node --import ./test/support/ts-worker-hooks/register.mjs test/support/live-cli.ts run ...
 */
import { main } from '../../harness/runner/cli.js';
import { recordingParts } from './live-parts.js';

process.exitCode = await main(process.argv.slice(2), { liveParts: recordingParts().parts });
