#!/usr/bin/env bash
# Builds the kind target's node image offline, with no registry: a Debian rootfs (debootstrap from the Debian mirror
# this machine's apt uses) with systemd, containerd and runc from Debian, kind's own node files (entrypoint, systemd
# units, containerd config; taken from the kind module at KIND_VERSION), kubelet, kubeadm, kubectl and kube-proxy
# built from the same k8s.io/kubernetes as the kwok target, the CNI plugins from their Go module, and every image
# kubeadm and kind start (kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy, etcd, coredns, pause,
# burstlab-netd as the CNI) built from Go binaries and preloaded into the image's containerd. It also builds the
# workload image (kind/tools/workload) that scenarios' Deployments run.
#
# Prints, on stdout, two lines:
#   NODE_IMAGE=burstlab.local/kind-node:<kubernetes version>-<hash>
#   WORKLOAD_IMAGE=burstlab.local/workload:<hash>
# The hash covers everything the image is made of (this script, versions.env, kind/node-image, the Go sources), so a
# change rebuilds it and an unchanged tree reuses the images already in the Docker daemon (seconds).
#
# Needs DOCKER_HOST pointing at a daemon (kind/ensure-docker.sh up), root (debootstrap and the chroot steps), Go.
# Exit codes: 2 for a missing prerequisite, 3 for a failed build.
set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/burstlab"
bin_root="${BURSTLAB_BIN_DIR:-$cache/bin}"
work_root="$cache/kind-node"
mirror="${BURSTLAB_DEBIAN_MIRROR:-}"
suite="${BURSTLAB_DEBIAN_SUITE:-bookworm}"

log() { printf '[build-node-image %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "$1"; exit "${2:-3}"; }

[[ "$(id -u)" == 0 ]] || fail "the node image build needs root (debootstrap, chroot); run it as root" 2
command -v go >/dev/null 2>&1 || fail "Go is not on PATH; install Go 1.26 or newer" 2
[[ -n "${DOCKER_HOST:-}" ]] || fail "DOCKER_HOST is not set; run \`eval \"\$(bash kind/ensure-docker.sh up)\"\` first" 2
export DOCKER_HOST
docker version >/dev/null 2>&1 || fail "no Docker daemon answers at $DOCKER_HOST" 2

# The Debian mirror apt already uses (deb822 .sources or one-line sources.list), unless given.
if [[ -z "$mirror" ]]; then
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}')"
  [[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
  [[ -n "$mirror" ]] || mirror="http://deb.debian.org/debian"
fi

# Packages of the rootfs: kind's base image's list (images/base/Dockerfile) without what an offline, single-machine
# cluster never uses (nfs-common, open-iscsi, fuse-overlayfs, e2fsprogs), plus containerd and runc, which kind
# builds from source but Debian packages.
packages=systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,bash,ca-certificates,curl,jq,procps,socat,containerd,runc

hash12() { sha256sum | cut -c1-12; }
# Source hash of a Go tool folder: go.mod, go.sum (when there is one) and every .go file, in byte order.
source_hash() {
  (cd "$1" && { cat go.mod; [[ -f go.sum ]] && cat go.sum; LC_ALL=C find . -name '*.go' -type f | LC_ALL=C sort | xargs -r cat; } | hash12)
}
nodeimage_hash="$(source_hash "$here/tools/nodeimage")"
workload_hash="$(source_hash "$here/tools/workload")"
coredns_hash="$(source_hash "$here/tools/coredns")"
k8s_node_hash="$(source_hash "$here/tools/kubernetes-node")"
base_hash="$(printf "%s\n" "$suite" "$mirror" "$packages" | hash12)"
image_hash="$(cat "$0" "$here/versions.env" "$here"/node-image/* | { cat; printf '%s\n' "$nodeimage_hash" "$coredns_hash" "$k8s_node_hash" "$base_hash"; } | hash12)"

node_image="burstlab.local/kind-node:$KUBERNETES_VERSION-$image_hash"
workload_image="burstlab.local/workload:$workload_hash"

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if have_image "$node_image" && have_image "$workload_image"; then
  log "node image $node_image and workload image $workload_image are built"
  printf 'NODE_IMAGE=%s\nWORKLOAD_IMAGE=%s\n' "$node_image" "$workload_image"
  exit 0
fi

mkdir -p "$work_root" "$bin_root"
exec 9>"$work_root/.build.lock"
flock 9
total_start=$SECONDS

# --- Go binaries -------------------------------------------------------------------------------------------------
bash "$here/build-tools.sh" --kind >&2 || fail "kind/build-tools.sh --kind failed" $?

export CGO_ENABLED=0 GOTOOLCHAIN=local
go_build() { nice -n 10 go "$@"; }
have_all() {
  local dir="$1"; shift
  local name
  for name in "$@"; do [[ -x "$dir/$name" ]] || return 1; done
}
# build_into DIR BINARY... -- COMMAND...: as in build-tools.sh, COMMAND fills $out, renamed to DIR when it succeeds.
build_into() {
  local dir="$1"; shift
  local names=()
  while [[ "$1" != "--" ]]; do names+=("$1"); shift; done
  shift
  if have_all "$dir" "${names[@]}"; then return; fi
  local start=$SECONDS
  out="$(mktemp -d "$dir.partial.XXXXXX")"
  chmod 755 "$out"
  log "building ${names[*]} into $dir"
  (while sleep 30; do log "still building ${names[*]} ($((SECONDS - start)) s)"; done) &
  local heartbeat=$!
  if ! "$@"; then
    kill "$heartbeat" 2>/dev/null || true
    rm -rf "$out"
    fail "build of ${names[*]} failed"
  fi
  kill "$heartbeat" 2>/dev/null || true
  rm -rf "$dir"
  mv "$out" "$dir"
  log "built ${names[*]} in $((SECONDS - start)) s"
}

minor="${KUBERNETES_VERSION#v1.}"
minor="${minor%%.*}"
k8s_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"

k8s_dir="$bin_root/kubernetes-$KUBERNETES_VERSION"
k8s_node_dir="$bin_root/kubernetes-node-$KUBERNETES_VERSION-$k8s_node_hash"
etcd_dir="$bin_root/etcd-$ETCD_VERSION"
kind_dir="$bin_root/kind-$KIND_VERSION"
coredns_dir="$bin_root/coredns-$COREDNS_VERSION-$coredns_hash"
cni_dir="$bin_root/cni-plugins-$CNI_PLUGINS_VERSION"
nodeimage_dir="$bin_root/nodeimage-$nodeimage_hash"
workload_dir="$bin_root/workload-$workload_hash"

build_k8s_node() {
  (cd "$here/tools/kubernetes-node" && GOFLAGS=-mod=readonly go_build build -trimpath -ldflags "$k8s_ldflags" -o "$out/" \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kube-proxy)
}
build_coredns() {
  (cd "$here/tools/coredns" && GOFLAGS=-mod=readonly go_build build -trimpath -ldflags '-s -w' -o "$out/coredns" .)
}
build_cni() {
  GOBIN="$out" GOFLAGS="" go_build install -trimpath -ldflags '-s -w' \
    "github.com/containernetworking/plugins/plugins/main/ptp@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/main/loopback@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/ipam/host-local@$CNI_PLUGINS_VERSION" \
    "github.com/containernetworking/plugins/plugins/meta/portmap@$CNI_PLUGINS_VERSION"
}
build_nodeimage() {
  (cd "$here/tools/nodeimage" && GOFLAGS=-mod=readonly go_build build -trimpath -ldflags '-s -w' -o "$out/" ./cmd/pause ./cmd/netd)
}
build_workload() {
  (cd "$here/tools/workload" && GOFLAGS=-mod=readonly go_build build -trimpath -ldflags '-s -w' -o "$out/burstlab-workload" .)
}

build_into "$k8s_node_dir" kubelet kubeadm kubectl kube-proxy -- build_k8s_node
build_into "$coredns_dir" coredns -- build_coredns
build_into "$cni_dir" ptp loopback host-local portmap -- build_cni
build_into "$nodeimage_dir" pause netd -- build_nodeimage
build_into "$workload_dir" burstlab-workload -- build_workload

# --- images from single binaries ---------------------------------------------------------------------------------
# import_binary_image TAG ENTRYPOINT_JSON SRC:DEST...: a one-layer image holding the given files, by `docker import`
# (no builder, no base image to pull).
import_binary_image() {
  local tag="$1" entrypoint="$2"; shift 2
  local dir
  dir="$(mktemp -d "$work_root/img.XXXXXX")"
  local pair
  for pair in "$@"; do
    install -D -m 0755 "${pair%%:*}" "$dir/${pair#*:}"
  done
  mkdir -p "$dir/tmp" "$dir/etc"
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
  tar -C "$dir" --numeric-owner --owner=0 --group=0 -c . | docker import --change "ENTRYPOINT $entrypoint" - "$tag" >/dev/null
  rm -rf "$dir"
}

if ! have_image "$workload_image"; then
  import_binary_image "$workload_image" '["/burstlab-workload"]' "$workload_dir/burstlab-workload:/burstlab-workload"
  log "workload image $workload_image"
fi

if have_image "$node_image"; then
  printf 'NODE_IMAGE=%s\nWORKLOAD_IMAGE=%s\n' "$node_image" "$workload_image"
  exit 0
fi

# The tags kubeadm asks for (`kubeadm config images list`), each built from the binary it names. etcd is the pinned
# ETCD_VERSION rather than kubeadm's default: the kind config burstlab writes sets etcd's imageTag to it.
registry=registry.k8s.io
coredns_tag="$registry/coredns/coredns:$COREDNS_VERSION"
pause_tag="$registry/pause:$PAUSE_VERSION"
etcd_tag="$registry/etcd:${ETCD_VERSION#v}-0"
netd_tag="burstlab.local/netd:$nodeimage_hash"
expected="$("$k8s_node_dir/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null)"
for want in "$coredns_tag" "$pause_tag"; do
  grep -qxF "$want" <<<"$expected" || fail "kubeadm $KUBERNETES_VERSION expects $(tr '\n' ' ' <<<"$expected"); versions.env's COREDNS_VERSION or PAUSE_VERSION disagree ($want)"
done

images_tar="$work_root/images-$image_hash.tar"
step_start=$SECONDS
# In the Docker daemon (perhaps the user's) the images carry burstlab.local/build-<hash>/... names, never the
# registry.k8s.io tags, so a user's own pulled images are never overwritten; they get their kubeadm tags inside the
# node's containerd, and leave the daemon once saved.
staging_prefix="burstlab.local/build-$image_hash"
component_tags=()
final_tags=()
# component TAG ENTRYPOINT_JSON SRC:DEST...
component() {
  local final="$1"; shift
  local staged="$staging_prefix/${final#*/}"
  import_binary_image "$staged" "$@"
  component_tags+=("$staged")
  final_tags+=("$final")
}
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  component "$registry/$c:$KUBERNETES_VERSION" "[\"/usr/local/bin/$c\"]" "$k8s_dir/$c:/usr/local/bin/$c"
done
component "$etcd_tag" '["/usr/local/bin/etcd"]' "$etcd_dir/etcd:/usr/local/bin/etcd"
component "$coredns_tag" '["/coredns"]' "$coredns_dir/coredns:/coredns"
component "$pause_tag" '["/pause"]' "$nodeimage_dir/pause:/pause"
component "$netd_tag" '["/netd"]' "$nodeimage_dir/netd:/netd"
log "component images in $((SECONDS - step_start)) s"

# --- the Debian rootfs -------------------------------------------------------------------------------------------
rootfs_tar="$work_root/rootfs-$base_hash.tar"
if [[ ! -f "$rootfs_tar" ]]; then
  command -v debootstrap >/dev/null 2>&1 || {
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 || fail "apt-get install debootstrap failed" 2
  }
  step_start=$SECONDS
  staging="$(mktemp -d "$work_root/debootstrap.XXXXXX")"
  log "debootstrap $suite from $mirror (a few minutes cold)"
  if ! nice -n 10 debootstrap --variant=minbase --include="$packages" "$suite" "$staging" "$mirror" >"$work_root/debootstrap.log" 2>&1; then
    tail -n 20 "$work_root/debootstrap.log" >&2
    rm -rf "$staging"
    fail "debootstrap failed; its log is $work_root/debootstrap.log"
  fi
  rm -rf "$staging/var/cache/apt/archives/"*.deb "$staging/var/lib/apt/lists/"*
  tar -C "$staging" --numeric-owner -cf "$rootfs_tar.partial" .
  mv "$rootfs_tar.partial" "$rootfs_tar"
  rm -rf "$staging"
  log "debootstrap done in $((SECONDS - step_start)) s ($(du -h "$rootfs_tar" | cut -f1))"
fi

# --- the node rootfs ---------------------------------------------------------------------------------------------
step_start=$SECONDS
kind_module="$(cd "$here/tools/coredns" && GOFLAGS= go mod download -json "sigs.k8s.io/kind@$KIND_VERSION" | jq -r .Dir)"
[[ -d "$kind_module/images/base/files" ]] || fail "the kind module at $KIND_VERSION has no images/base/files ($kind_module)"
files="$kind_module/images/base/files"
root="$(mktemp -d "$work_root/node.XXXXXX")"
cleanup_root() {
  # Nothing stays mounted in the rootfs, however the script ends.
  local m
  for m in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  if [[ -n "${containerd_pid:-}" ]]; then kill "$containerd_pid" 2>/dev/null || true; wait "$containerd_pid" 2>/dev/null || true; fi
  rm -rf "$root" "${ctr_state:-}"
}
trap 'cleanup_root; kill $(jobs -p) 2>/dev/null || true' EXIT
tar -C "$root" --numeric-owner -xf "$rootfs_tar"

install -m 0755 "$files/usr/local/bin/"* "$root/usr/local/bin/"
mkdir -p "$root/kind/bin" "$root/kind/manifests" "$root/etc/kubernetes/manifests" "$root/opt/cni/bin" "$root/LICENSES"
install -m 0644 "$files/kind/README.txt" "$root/kind/"
install -m 0755 "$files/kind/bin/"* "$root/kind/bin/"
install -m 0644 "$files/LICENSES/"* "$root/LICENSES/"
install -m 0644 "$files/etc/crictl.yaml" "$root/etc/"
install -m 0644 "$files/etc/containerd/config.toml" "$root/etc/containerd/"
install -m 0644 "$files/etc/default/kubelet" "$root/etc/default/"
install -m 0644 "$files/etc/sysctl.d/"* "$root/etc/sysctl.d/"
install -m 0644 "$files/etc/systemd/system/"*.service "$files/etc/systemd/system/"*.slice "$root/etc/systemd/system/"
mkdir -p "$root/etc/systemd/system/kubelet.service.d"
install -m 0644 "$files/etc/systemd/system/kubelet.service.d/"* "$root/etc/systemd/system/kubelet.service.d/"
# kind's units and scripts expect containerd under /usr/local/bin, where it installs its own build; Debian's is in
# /usr/bin.
ln -sf /usr/bin/containerd "$root/usr/local/bin/containerd"
# The sandbox image is the pause kubeadm expects.
sed -i "s|sandbox_image = .*|sandbox_image = \"$pause_tag\"|" "$root/etc/containerd/config.toml"
# Pod sandboxes ask for oom_score_adj -998, and lowering it needs CAP_SYS_RESOURCE, which sandboxes such as this
# project's CI withhold (kind/docker/runc-drop-caps): runc then dies with "can't get final child's PID from pipe".
# Restricted, containerd never asks for a score below its own (what kind does for rootless); where containerd does
# hold the capability its own score is -999 and nothing changes.
sed -i 's|restrict_oom_score_adj = false|restrict_oom_score_adj = true|' "$root/etc/containerd/config.toml"
grep -q 'restrict_oom_score_adj = true' "$root/etc/containerd/config.toml" || fail "kind's containerd config no longer sets restrict_oom_score_adj"

for b in kubelet kubeadm kubectl; do install -m 0755 "$k8s_node_dir/$b" "$root/usr/bin/$b"; done
install -m 0755 "$cni_dir/"* "$root/opt/cni/bin/"
printf '%s\n' "$KUBERNETES_VERSION" >"$root/kind/version"
sed "s|NODEIMAGE_TAG|$nodeimage_hash|" "$here/node-image/default-cni.yaml" >"$root/kind/manifests/default-cni.yaml"
install -m 0644 "$here/node-image/default-storage.yaml" "$root/kind/manifests/default-storage.yaml"
{
  printf '# burstlab offline kind node image %s, built %s\n' "$node_image" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'debian %s from %s\n' "$suite" "$mirror"
  chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' containerd runc systemd iptables
  printf 'kubernetes %s (kubelet kubeadm kubectl kube-proxy kube-apiserver kube-controller-manager kube-scheduler)\n' "$KUBERNETES_VERSION"
  printf 'etcd %s (tagged %s; kubeadm %s defaults to another 3.6 patch)\n' "$ETCD_VERSION" "$etcd_tag" "$KUBERNETES_VERSION"
  printf 'coredns %s (plugins of kubeadm'"'"'s Corefile only, kind/tools/coredns)\n' "$COREDNS_VERSION"
  printf 'pause: burstlab'"'"'s Go pause (kind/tools/nodeimage/cmd/pause), tagged %s\n' "$pause_tag"
  printf 'cni: burstlab-netd %s, CNI plugins %s (ptp host-local loopback portmap)\n' "$netd_tag" "$CNI_PLUGINS_VERSION"
} >"$root/kind/burstlab-image.txt"

# As kind's base image does: a spec template for containers, and only the units a node needs.
chroot "$root" sh -c 'ctr oci spec' \
  | jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
  | jq 'del(.process.rlimits)' >"$root/etc/containerd/cri-base.json"
find "$root/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
rm -f "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
  "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
  "$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >>"$root/etc/systemd/journald.conf"
chroot "$root" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
chroot "$root" systemctl mask systemd-binfmt.service >/dev/null 2>&1
log "node rootfs assembled in $((SECONDS - step_start)) s"

# kube-proxy runs iptables(-save, -restore), ip6tables, conntrack and nft: its image holds those from the node's
# Debian rootfs (symlinks through /etc/alternatives resolved), their shared libraries, and the iptables extensions
# they load at run time, beside the binary.
step_start=$SECONDS
proxy_tag="$staging_prefix/kube-proxy:$KUBERNETES_VERSION"
proxy_dir="$(mktemp -d "$work_root/proxy.XXXXXX")"
proxy_bins=(/usr/sbin/iptables /usr/sbin/iptables-save /usr/sbin/iptables-restore /usr/sbin/ip6tables
  /usr/sbin/ip6tables-save /usr/sbin/ip6tables-restore /usr/sbin/iptables-nft /usr/sbin/iptables-nft-save
  /usr/sbin/iptables-nft-restore /usr/sbin/ip6tables-nft /usr/sbin/ip6tables-nft-save /usr/sbin/ip6tables-nft-restore
  /usr/sbin/iptables-legacy /usr/sbin/iptables-legacy-save /usr/sbin/iptables-legacy-restore /usr/sbin/ip6tables-legacy
  /usr/sbin/ip6tables-legacy-save /usr/sbin/ip6tables-legacy-restore /usr/sbin/conntrack /usr/sbin/nft)
proxy_libs="$(for b in "${proxy_bins[@]}" /usr/lib/x86_64-linux-gnu/xtables/*.so; do chroot "$root" ldd "$b" 2>/dev/null; done \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib64\// {print $1}' | sort -u)"
(cd "$root" && tar -ch --numeric-owner "${proxy_bins[@]#/}" usr/lib/x86_64-linux-gnu/xtables etc/ethertypes etc/protocols \
  $(for l in $proxy_libs; do printf '%s\n' "${l#/}"; done) 2>/dev/null || true) | tar -C "$proxy_dir" -x
install -D -m 0755 "$k8s_node_dir/kube-proxy" "$proxy_dir/usr/local/bin/kube-proxy"
mkdir -p "$proxy_dir/tmp" "$proxy_dir/run" "$proxy_dir/var/run"
chmod 1777 "$proxy_dir/tmp"
[[ -x "$proxy_dir/usr/sbin/iptables-restore" && -x "$proxy_dir/usr/sbin/conntrack" ]] || fail "the kube-proxy image lacks iptables-restore or conntrack"
chroot "$proxy_dir" /usr/sbin/iptables-restore --version >/dev/null || fail "iptables-restore does not run in the kube-proxy image"
tar -C "$proxy_dir" --numeric-owner --owner=0 --group=0 -c . | docker import --change 'ENTRYPOINT ["/usr/local/bin/kube-proxy"]' - "$proxy_tag" >/dev/null
rm -rf "$proxy_dir"
component_tags+=("$proxy_tag")
final_tags+=("$registry/kube-proxy:$KUBERNETES_VERSION")
docker save -o "$images_tar" "${component_tags[@]}"
docker rmi "${component_tags[@]}" >/dev/null
log "kube-proxy image and the images archive ($(du -h "$images_tar" | cut -f1)) in $((SECONDS - step_start)) s"

# --- preload the images into the rootfs's containerd ------------------------------------------------------------
# The host's containerd binary (Debian's, the same package as the rootfs's) with its root in the rootfs: content only
# (--no-unpack), so no snapshotter runs here; kind nodes unpack on first use, as kind's own images do.
step_start=$SECONDS
ctr_state="$(mktemp -d /tmp/burstlab-ctr.XXXXXX)"
cat >"$ctr_state/config.toml" <<EOF
version = 2
root = "$root/var/lib/containerd"
state = "$ctr_state/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctr_state/containerd.sock"
EOF
"$root/usr/bin/containerd" --config "$ctr_state/config.toml" >"$ctr_state/containerd.log" 2>&1 &
containerd_pid=$!
for ((i = 0; i < 60; i++)); do
  "$root/usr/bin/ctr" --address "$ctr_state/containerd.sock" version >/dev/null 2>&1 && break
  sleep 0.5
done
"$root/usr/bin/ctr" --address "$ctr_state/containerd.sock" --namespace k8s.io images import --all-platforms --no-unpack "$images_tar" >&2 \
  || { tail -n 20 "$ctr_state/containerd.log" >&2; fail "importing the images into the node's containerd failed"; }
ctr_k8s() { "$root/usr/bin/ctr" --address "$ctr_state/containerd.sock" --namespace k8s.io "$@"; }
for i in "${!component_tags[@]}"; do
  # docker save names an image docker.io/... when its name has no registry part; burstlab.local/... has one.
  ctr_k8s images tag --force "${component_tags[$i]}" "${final_tags[$i]}" >/dev/null || fail "tagging ${final_tags[$i]} in the node's containerd failed"
  ctr_k8s images rm "${component_tags[$i]}" >/dev/null
done
ctr_k8s images list -q >"$root/kind/images.txt"
kill "$containerd_pid"
wait "$containerd_pid" 2>/dev/null || true
containerd_pid=""
rm -f "$images_tar"
log "images preloaded in $((SECONDS - step_start)) s: $(tr '\n' ' ' <"$root/kind/images.txt")"

step_start=$SECONDS
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV container=docker' \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
  - "$node_image-imported" >/dev/null
# `docker import` cannot set STOPSIGNAL, which systemd needs to shut down on `docker stop`; a one-line build adds it
# (the classic builder: no BuildKit or registry needed).
printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\n' "$node_image-imported" | DOCKER_BUILDKIT=0 docker build -q -t "$node_image" - >/dev/null 2>&1 \
  || fail "adding STOPSIGNAL to the node image failed (DOCKER_BUILDKIT=0 docker build)"
docker rmi "$node_image-imported" >/dev/null
log "node image $node_image imported in $((SECONDS - step_start)) s; whole build $((SECONDS - total_start)) s"
printf 'NODE_IMAGE=%s\nWORKLOAD_IMAGE=%s\n' "$node_image" "$workload_image"
