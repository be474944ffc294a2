#!/usr/bin/env bash
# CI: everything the kind integration test (test/integration/kind-cluster.test.ts, run with BURSTLAB_KIND_TESTS=1)
# needs, built or found cached: Debian's docker.io and a private dockerd (kind/ensure-docker.sh), the kind CLI and the
# offline node and workload images (kind/build-node-image.sh), which stay in the daemon's data root under
# ~/.cache/burstlab/docker. The dockerd it starts is stopped again at the end, so the test starts from nothing running.
# Cold cost and cached cost: kind/README.md, "Cold cost".
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
answer="$(bash kind/ensure-docker.sh up)"
export DOCKER_HOST
DOCKER_HOST="$(sed -n 's/^DOCKER_HOST=//p' <<<"$answer")"
owned="$(sed -n 's/^DOCKER_OWNED=//p' <<<"$answer")"
stop() { if [[ "$owned" == private ]]; then bash kind/ensure-docker.sh down; fi; }
trap stop EXIT
bash kind/build-node-image.sh
echo "ensure-kind: ready in $((SECONDS - start)) s" >&2
