#!/usr/bin/env bash
# A Docker daemon for the kind target.
#
#   ensure-docker.sh up     prints DOCKER_HOST=<url> of a daemon that answers: the user's own (DOCKER_HOST, else the
#                           default socket) when one does, else a private dockerd this script starts and owns; and
#                           DOCKER_OWNED=user or DOCKER_OWNED=private (the one `down` stops)
#   ensure-docker.sh down   stops the private dockerd, if this script started one; never touches the user's daemon
#   ensure-docker.sh status exit 0 and DOCKER_HOST=<url> when a daemon answers, 3 otherwise
#
# The private daemon is Debian's docker.io (installed with apt-get when dockerd is missing) with everything of its own
# under $BURSTLAB_DOCKER_DIR (default ~/.cache/burstlab/docker): --data-root (images and containers, kept across
# runs as a cache), --exec-root, the unix socket, the pidfile and the log, and its containerd's state. Its default
# runtime is kind/docker/runc-drop-caps, runc after dropping from each container's spec the capabilities the
# sandbox's bounding set lacks, without which no --privileged container (a kind node) starts where CAP_SYS_RESOURCE
# is withheld. It listens on no TCP port and uses its own bridge name, so it never collides with a system daemon.
#
# Exit codes: 2 when docker.io cannot be installed (no apt-get, or not root), 3 when the daemon does not come up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${BURSTLAB_DOCKER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/burstlab/docker}"
sock="$state/docker.sock"
pidfile="$state/dockerd.pid"
private_host="unix://$sock"

log() { printf '[ensure-docker %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

answers() { DOCKER_HOST="$1" timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

user_daemon() {
  if [[ -n "${DOCKER_HOST:-}" && "$DOCKER_HOST" != "$private_host" ]]; then
    answers "$DOCKER_HOST" && { printf '%s\n' "$DOCKER_HOST"; return 0; }
    return 1
  fi
  [[ -S /var/run/docker.sock ]] && answers unix:///var/run/docker.sock && { printf 'unix:///var/run/docker.sock\n'; return 0; }
  return 1
}

private_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] && printf '%s\n' "$pid"
}

install_docker() {
  command -v dockerd >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1 || [[ "$(id -u)" != 0 ]]; then
    log "dockerd is missing and cannot be installed here (needs apt-get as root): install Docker, or set DOCKER_HOST"
    exit 2
  fi
  log "installing Debian's docker.io and jq"
  local start=$SECONDS
  # Installing docker.io must not start a system daemon beside ours (no systemd here; sysvinit scripts obey this).
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d.burstlab
  chmod +x /usr/sbin/policy-rc.d.burstlab
  local had_policy=false
  [[ -e /usr/sbin/policy-rc.d ]] && had_policy=true
  $had_policy || mv /usr/sbin/policy-rc.d.burstlab /usr/sbin/policy-rc.d
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io jq iptables; } >&2 || {
    $had_policy || rm -f /usr/sbin/policy-rc.d
    log "apt-get install docker.io failed"
    exit 2
  }
  $had_policy || rm -f /usr/sbin/policy-rc.d
  rm -f /usr/sbin/policy-rc.d.burstlab
  log "installed docker.io in $((SECONDS - start)) s"
}

up() {
  local host
  if host="$(user_daemon)"; then
    log "using the Docker daemon at $host"
    printf 'DOCKER_HOST=%s\nDOCKER_OWNED=user\n' "$host"
    return 0
  fi
  install_docker
  mkdir -p "$state/data" "$state/exec" "$state/containerd"
  exec 9>"$state/.lock"
  flock 9
  if private_pid >/dev/null && answers "$private_host"; then
    log "reusing the private dockerd (pid $(private_pid))"
    printf 'DOCKER_HOST=%s\nDOCKER_OWNED=private\n' "$private_host"
    return 0
  fi
  rm -f "$sock" "$pidfile"
  local start=$SECONDS
  # --bridge=none on docker0 avoids taking the system's docker0; kind makes its own network. setsid so that the daemon
  # outlives this script but not by accident: `down` stops it by the pid in its pidfile. Not with the lock's fd 9:
  # the daemon would hold the lock as long as it runs, and the next `up` would wait on it for ever.
  setsid dockerd \
    --host "$private_host" \
    --data-root "$state/data" \
    --exec-root "$state/exec" \
    --pidfile "$pidfile" \
    --add-runtime "burstlab-runc=$here/docker/runc-drop-caps" \
    --default-runtime burstlab-runc \
    --bridge none \
    --storage-driver overlay2 \
    >"$state/dockerd.log" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 120; i++)); do
    answers "$private_host" && break
    if ! kill -0 $! 2>/dev/null; then
      log "dockerd exited at start; its log ($state/dockerd.log) ends:"
      tail -n 20 "$state/dockerd.log" >&2
      exit 3
    fi
    sleep 0.5
  done
  if ! answers "$private_host"; then
    log "dockerd did not answer on $sock within 60 s; see $state/dockerd.log"
    exit 3
  fi
  log "started a private dockerd (pid $(cat "$pidfile")) in $((SECONDS - start)) s"
  printf 'DOCKER_HOST=%s\nDOCKER_OWNED=private\n' "$private_host"
}

down() {
  local pid
  if ! pid="$(private_pid)"; then
    rm -f "$pidfile"
    log "no private dockerd running"
    return 0
  fi
  # Its user-defined networks (kind's `kind` network) outlive a daemon restart as bridge interfaces on the host;
  # removed first, nothing of this daemon stays in `ip link`.
  # Only burstlab uses this daemon: kind node containers still there (a cluster not deleted) go with it, volumes too,
  # or it would restart them when it next starts.
  local c
  for c in $(DOCKER_HOST="$private_host" timeout 20 docker ps -aq --filter label=io.x-k8s.kind.cluster 2>/dev/null); do
    DOCKER_HOST="$private_host" timeout 60 docker rm --force --volumes "$c" >/dev/null 2>&1 || log "container $c could not be removed"
  done
  local net
  for net in $(DOCKER_HOST="$private_host" timeout 20 docker network ls --filter type=custom -q 2>/dev/null); do
    DOCKER_HOST="$private_host" timeout 20 docker network rm "$net" >/dev/null 2>&1 || log "network $net is still in use; left in place"
  done
  kill -TERM "$pid"
  local i
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "dockerd (pid $pid) ignored SIGTERM for 30 s; killing it"
    kill -KILL "$pid"
  fi
  # dockerd's containerd is its child; both gone, their mounts under exec-root and data-root go too.
  local m
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v s="$state/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r)
  rm -f "$pidfile" "$sock"
  log "stopped the private dockerd (pid $pid)"
}

status() {
  local host
  if host="$(user_daemon)"; then printf 'DOCKER_HOST=%s\n' "$host"; return 0; fi
  if private_pid >/dev/null && answers "$private_host"; then printf 'DOCKER_HOST=%s\n' "$private_host"; return 0; fi
  return 3
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) printf 'usage: %s up|down|status\n' "$0" >&2; exit 2 ;;
esac
