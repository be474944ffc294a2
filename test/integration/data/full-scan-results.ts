/**
 * sha256 of results.json for each shipped scenario, produced by the scheduler that filtered and scored every node for
 * every pod (harness/sim/scheduler.ts at 06b23b7, before candidate indexing and sampling). The indexed scheduler with
 * `percentageOfNodesToScore: 100` must produce the same bytes.
 *
 * To regenerate after a change elsewhere that legitimately changes results (never after a scheduler change): put the
 * full-scan scheduler back for the moment, `git show 06b23b7:harness/sim/scheduler.ts > harness/sim/scheduler.ts`,
 * then `npx tsc -p tsconfig.build.json` and, for each file below,
 * `node bin/burstlab.js run <file> --out /tmp/golden/<name> --no-report && sha256sum /tmp/golden/<name>/results.json`,
 * and restore it with `git checkout harness/sim/scheduler.ts`. (The full scan ignores the scheduler setting.)
 */
export const FULL_SCAN_RESULTS: Readonly<Record<string, string>> = {
  'scenarios/market-open.yaml': 'd4a1656a226bbf54e813b50e9b5545ce3ad7c3188cbb5abc269895ddf7596f91',
  'scenarios/nodepools/docs-example.yaml': '3290b9d3adcf362a94fc0e3943be482f8456196bb91f39befb094b99855ef836',
  'scenarios/quickstart.yaml': '9c34f8349df07d84351f9c589f542065b6ddb56f11ef900e6b6e8c3577bbd2d1',
};
