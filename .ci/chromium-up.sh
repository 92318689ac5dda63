#!/usr/bin/env bash
# Install Debian's Chromium if /usr/bin/chromium is missing; print its version.
# Usage: bash .ci/chromium-up.sh   (root required for the install)
set -euo pipefail

log() { echo "[chromium-up] $*"; }
die() { echo "!!! chromium-up FAILED: $*" >&2; exit 1; }

APT_LOG=/tmp/chromium-up-apt.log
# shellcheck source=.ci/apt.sh
source "$(dirname "$0")/apt.sh"

if [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" -eq 0 ] || die "must run as root to install chromium"
  export DEBIAN_FRONTEND=noninteractive
  log "installing chromium"
  # fonts-liberation: without recommends there may be no font for page text.
  apt_install chromium fonts-liberation || die "apt-get install chromium failed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after install"
# The wrapper's /etc/chromium.d/dev-shm prints "[: ...: unexpected operator"
# when /dev/shm is mounted twice (as on these VMs); harmless, so hide stderr.
/usr/bin/chromium --version 2>/dev/null || die "chromium --version failed"
