/**
 * sha256 of results.json for each shipped scenario, produced by the scheduler that filtered and scored every node for
 * every pod (harness/sim/scheduler.ts as it was before candidate indexing and sampling, at 06b23b7; the hashes
 * were last regenerated on the merge of disruption, interruption and the reviewed metrics, with that scheduler;
 * quickstart's again when SpotToSpotConsolidation became a feature gate, off as upstream; kwok-burst's when a node's
 * kubelet began reporting pods Ready through its API rate limit, harness/sim/kubelet-api.ts: the only shipped
 * scenario that starts more than 50 pods on one node at once). The indexed scheduler with
 * `percentageOfNodesToScore: 100` must produce the same bytes.
 *
 * To regenerate after a change elsewhere that legitimately changes results (never after a scheduler change): put the
 * full-scan scheduler back for the moment, `git show 06b23b7:harness/sim/scheduler.ts > harness/sim/scheduler.ts`,
 * then `npx tsc -p tsconfig.build.json` and, for each file below,
 * `node bin/burstlab.js run <file> --out /tmp/golden/<name> --no-report && sha256sum /tmp/golden/<name>/results.json`,
 * and restore it with `git checkout harness/sim/scheduler.ts`. (The full scan ignores the scheduler setting.)
 */
export const FULL_SCAN_RESULTS: Readonly<Record<string, string>> = {
  'scenarios/kind-small.yaml': '00249a7fd27272fb2036c093b86df92c29082fbebafdfe3d53f2bf3831b0ecaa',
  'scenarios/kwok-burst.yaml': 'f2e7f05d4c5ae356785e618558330f18b0ef12e81eee96be0a7823c3af1935e7',
  'scenarios/market-open-chaos.yaml': 'b87d1e5f6f7bb5a49c8ba398559eff26edddd612af1d029364ae7e58c82ab337',
  'scenarios/market-open.yaml': '0ff20624c7ea6f994bdd89ae61377e7fc0046d5dff5b1a7c8326ed1956b1f48f',
  'scenarios/nodepool-rollout.yaml': '37ea14c05a8fb367147c10a824223020a84760fe281f04fdacb8744a273e5c7a',
  'scenarios/nodepools/docs-example.yaml': '5c2521b5b402b440be30c79d6b3b3aa7a85de2bc441a6e28f8315dfa91c58a9c',
  'scenarios/quickstart-live.yaml': '3beb7283a38f82caae1b48c693aa2c1f27711a9b3e362dab87c049aa548b681d',
  'scenarios/quickstart.yaml': '003c4c65ecbdfb9c5ec0bbb647ec3db9881dcf8905f92c41bc6699db4e89ea2a',
  'scenarios/spot-interruption.yaml': '366c1dacdfedf747c6d6e564ea2235e06eaf42141c10db9d3e7cb74206f9e443',
};
