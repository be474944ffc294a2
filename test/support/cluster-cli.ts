/**
 * `burstlab` with the real live parts, as a process of its own, for tests that kill a `--target cluster` run:
 * node --import ./test/support/ts-worker-hooks/register.mjs test/support/cluster-cli.ts run --target cluster ...
 */
import { main } from '../../harness/runner/cli.js';

process.exitCode = await main(process.argv.slice(2));
