#!/usr/bin/env bash
# Builds the kwok target's binaries from their Go modules: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok, kwokctl, metrics-server, vegeta and burstlab-loadgen (kind/tools/loadgen), at the versions in
# kind/versions.env.
#
# With --karpenter-kwok it also builds the real Karpenter with its kwok cloud provider (sigs.k8s.io/karpenter/kwok at
# KARPENTER_VERSION), which only a `kind: karpenter-upstream` arm needs: about 3 minutes more on a cold machine. Its
# binary is named `kwok` like kwok's own, so it gets a folder of its own (karpenter-kwok-<version>).
#
# With --kind it also builds the kind CLI (sigs.k8s.io/kind at KIND_VERSION) into kind-<version>/, which only the kind
# target needs (about a minute cold).
#
# Binaries land in $BURSTLAB_BIN_DIR (default ~/.cache/burstlab/bin), one folder per tool and
# version (for the loadgen, per hash of its source, which lives here), and are reused when present. Each folder is built in a temporary sibling and renamed
# into place, so an interrupted build never leaves a half-filled folder that looks finished.
# Go's own caches (GOCACHE, GOMODCACHE) stay at their defaults so a rebuild after a version bump
# only recompiles what changed.
#
# Exit codes follow the CLI's contract: 2 when a prerequisite (Go) is missing, 3 when a build fails.
set -euo pipefail
# Never leave a progress heartbeat running after the script ends, however it ends.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

bin_root="${BURSTLAB_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/burstlab/bin}"
k8s_dir="$bin_root/kubernetes-$KUBERNETES_VERSION"
etcd_dir="$bin_root/etcd-$ETCD_VERSION"
kwok_dir="$bin_root/kwok-$KWOK_VERSION"
metrics_server_dir="$bin_root/metrics-server-$METRICS_SERVER_VERSION"
vegeta_dir="$bin_root/vegeta-$VEGETA_VERSION"
# harness/targets/kwok/tools.ts computes the same hash: go.mod, go.sum, then the .go files in byte order.
loadgen_hash="$(cd "$here/tools/loadgen" && cat go.mod go.sum $(LC_ALL=C ls -- *.go) | sha256sum | cut -c1-12)"
loadgen_dir="$bin_root/loadgen-$loadgen_hash"

karpenter_kwok_dir="$bin_root/karpenter-kwok-$KARPENTER_VERSION"
kind_dir="$bin_root/kind-$KIND_VERSION"

want_karpenter_kwok=false
want_kind=false
for arg in "$@"; do
  case "$arg" in
    --karpenter-kwok) want_karpenter_kwok=true ;;
    --kind) want_kind=true ;;
    *) printf 'usage: %s [--karpenter-kwok] [--kind]\n' "$0" >&2; exit 2 ;;
  esac
done

log() { printf '[build-tools %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

have_all() {
  local dir="$1"; shift
  local name
  for name in "$@"; do [[ -x "$dir/$name" ]] || return 1; done
}

if have_all "$k8s_dir" kube-apiserver kube-controller-manager kube-scheduler \
  && have_all "$etcd_dir" etcd && have_all "$kwok_dir" kwok kwokctl \
  && have_all "$metrics_server_dir" metrics-server \
  && have_all "$vegeta_dir" vegeta && have_all "$loadgen_dir" burstlab-loadgen \
  && { ! $want_karpenter_kwok || have_all "$karpenter_kwok_dir" kwok; } \
  && { ! $want_kind || have_all "$kind_dir" kind; }; then
  log "all binaries present in $bin_root"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is not on PATH. Install Go 1.26 or newer (https://go.dev/dl/) to build the kwok target's control plane,"
  log "or point BURSTLAB_BIN_DIR at a folder that already holds the built binaries."
  exit 2
fi

mkdir -p "$bin_root"
# Two runs (a test run and a CLI call) may ask for the build at once; the second waits and then
# finds everything built.
exec 9>"$bin_root/.build.lock"
flock 9

# GOTOOLCHAIN=local: build with the machine's Go rather than silently downloading another one.
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"
go_build() { nice -n 10 go "$@"; }

total_start=$SECONDS

# build_into DIR BINARY... -- COMMAND...: runs COMMAND with $out set to a fresh temporary folder,
# then renames it to DIR.
build_into() {
  local dir="$1"; shift
  local names=()
  while [[ "$1" != "--" ]]; do names+=("$1"); shift; done
  shift
  if have_all "$dir" "${names[@]}"; then
    log "reusing $dir"
    return
  fi
  local start=$SECONDS
  out="$(mktemp -d "$dir.partial.XXXXXX")"
  chmod 755 "$out"
  log "building ${names[*]} into $dir"
  # go build is silent for minutes on a cold cache; say it is still alive.
  (while sleep 30; do log "still building ${names[*]} ($((SECONDS - start)) s)"; done) &
  local heartbeat=$!
  if ! "$@"; then
    kill "$heartbeat" 2>/dev/null || true
    rm -rf "$out"
    log "build of ${names[*]} failed"
    exit 3
  fi
  kill "$heartbeat" 2>/dev/null || true
  rm -rf "$dir"
  mv "$out" "$dir"
  log "built ${names[*]} in $((SECONDS - start)) s"
}

build_etcd() {
  (cd "$here/tools/etcd" && go_build build -trimpath -ldflags '-s -w' -o "$out/etcd" .)
}

build_kubernetes() {
  local minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  # Without these the binaries report v0.0.0-master, and clients that check versions get it wrong.
  local ldflags="-s -w"
  ldflags+=" -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  (cd "$here/tools/kubernetes" && go_build build -trimpath -ldflags "$ldflags" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler)
}

build_kwok() {
  # kwok's go.mod has no replace directives, so `go install module@version` works as is.
  GOBIN="$out" GOFLAGS="" go_build install -trimpath -ldflags '-s -w' \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" \
    "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
}

build_metrics_server() {
  # No replace directives either. Its own Makefile stamps the version into client-go's version package.
  GOBIN="$out" GOFLAGS="" go_build install -trimpath \
    -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"
}

build_vegeta() {
  GOBIN="$out" GOFLAGS="" go_build install -trimpath -ldflags '-s -w' "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"
}

build_loadgen() {
  # It links vegeta's library through its go.mod; a version that differs from versions.env is a mistake.
  local linked
  linked="$(cd "$here/tools/loadgen" && go list -m -f '{{.Version}}' github.com/tsenart/vegeta/v12)"
  if [[ "$linked" != "$VEGETA_VERSION" ]]; then
    log "kind/tools/loadgen/go.mod requires vegeta $linked but versions.env pins $VEGETA_VERSION; make them agree"
    return 1
  fi
  (cd "$here/tools/loadgen" && go_build build -trimpath -ldflags '-s -w' -o "$out/burstlab-loadgen" .)
}

build_karpenter_kwok() {
  # The one build that may fetch a newer toolchain: the module's go.mod asks for Go >= 1.26.10 (v1.14.3), newer than
  # the Go 1.26 this project requires. Pinned to one toolchain so the binary is reproducible; every other build
  # here stays on GOTOOLCHAIN=local.
  GOTOOLCHAIN=go1.27.3 GOBIN="$out" GOFLAGS="" go_build install -trimpath -ldflags '-s -w' \
    "sigs.k8s.io/karpenter/kwok@$KARPENTER_VERSION"
}

build_kind() {
  GOBIN="$out" GOFLAGS="" go_build install -trimpath -ldflags '-s -w' "sigs.k8s.io/kind@$KIND_VERSION"
}

build_into "$etcd_dir" etcd -- build_etcd
build_into "$kwok_dir" kwok kwokctl -- build_kwok
build_into "$vegeta_dir" vegeta -- build_vegeta
build_into "$loadgen_dir" burstlab-loadgen -- build_loadgen
build_into "$k8s_dir" kube-apiserver kube-controller-manager kube-scheduler -- build_kubernetes
build_into "$metrics_server_dir" metrics-server -- build_metrics_server
if $want_karpenter_kwok; then build_into "$karpenter_kwok_dir" kwok -- build_karpenter_kwok; fi
if $want_kind; then build_into "$kind_dir" kind -- build_kind; fi

log "done in $((SECONDS - total_start)) s; binaries in $bin_root"
