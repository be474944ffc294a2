#!/usr/bin/env bash
# The report tests drive Debian's Chromium through Playwright (its own browser download needs the internet).
# Installs it when missing; does nothing when /usr/bin/chromium (or $BURSTLAB_CHROMIUM) is already there.
set -euo pipefail
browser="${BURSTLAB_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
  echo "Chromium is missing at $browser and this user cannot install it: run 'apt-get install -y chromium' as root," >&2
  echo "or point BURSTLAB_CHROMIUM at a Chromium binary." >&2
  exit 2
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing Debian's chromium for the report tests..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
if [ ! -x "$browser" ]; then
  echo "installed Debian's chromium, but $browser is still missing: unset BURSTLAB_CHROMIUM or point it at /usr/bin/chromium" >&2
  exit 2
fi
"$browser" --version >&2
