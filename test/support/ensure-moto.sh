#!/usr/bin/env bash
# Installs the AWS API emulator the AWS tests run against: moto's server mode, pinned, in a virtualenv outside the
# repository (~/.cache/burstlab/venv-moto-<version>). Idempotent: a complete venv (marked by .installed) is reused,
# an interrupted install is removed and redone. Prints the path of the venv's moto_server on its last line.
set -euo pipefail
MOTO_VERSION=5.2.5
venv="${BURSTLAB_CACHE:-$HOME/.cache/burstlab}/venv-moto-$MOTO_VERSION"
if [[ ! -f "$venv/.installed" ]]; then
  python=$(command -v python3 || true)
  if [[ -z "$python" ]]; then
    echo "ensure-moto: python3 is required to run the AWS emulator (moto)" >&2
    exit 1
  fi
  rm -rf "$venv"
  start=$(date +%s)
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
  touch "$venv/.installed"
  echo "ensure-moto: installed moto $MOTO_VERSION in $(( $(date +%s) - start )) s" >&2
fi
echo "$venv/bin/moto_server"
