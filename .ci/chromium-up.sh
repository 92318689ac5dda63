#!/usr/bin/env bash
# Install Debian's Chromium if /usr/bin/chromium is missing; print its version.
# Usage: bash .ci/chromium-up.sh   (root required for the install)
set -euo pipefail

log() { echo "[chromium-up] $*"; }
die() { echo "!!! chromium-up FAILED: $*" >&2; exit 1; }

# apt_install PKG...: apt-get update only when the lists don't know PKG yet,
# or when the install fails (stale lists can name .debs the mirror no longer
# has -> 404), then retry once.
apt_install() {
  local policy
  # capture first: `cmd | grep -q` under pipefail can fail via SIGPIPE
  policy="$(apt-cache policy "$1" 2>/dev/null || true)"
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    log "apt-get update"
    apt-get update -qq >/tmp/chromium-up-apt.log 2>&1 || { cat /tmp/chromium-up-apt.log >&2; return 1; }
  fi
  if apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$@" >/tmp/chromium-up-apt.log 2>&1; then
    return 0
  fi
  log "install failed; apt-get update and retry"
  apt-get update -qq >/tmp/chromium-up-apt.log 2>&1 || { cat /tmp/chromium-up-apt.log >&2; return 1; }
  apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$@" >/tmp/chromium-up-apt.log 2>&1 \
    || { tail -n 40 /tmp/chromium-up-apt.log >&2; return 1; }
}

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
