#!/usr/bin/env bash
# Install Debian's base R (r-base-core) if Rscript is missing; print its version.
# Usage: bash .ci/r-up.sh   (root required for the install)
set -euo pipefail

log() { echo "[r-up] $*"; }
die() { echo "!!! r-up FAILED: $*" >&2; exit 1; }

APT_LOG=/tmp/r-up-apt.log
# shellcheck source=.ci/apt.sh
source "$(dirname "$0")/apt.sh"

if ! command -v Rscript >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "must run as root to install r-base-core"
  export DEBIAN_FRONTEND=noninteractive
  log "installing r-base-core"
  apt_install r-base-core || die "apt-get install r-base-core failed"
fi
Rscript --version 2>&1 | head -n 1 || die "Rscript --version failed"
