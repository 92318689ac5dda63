# Sourced by the .ci/*-up.sh scripts. Needs log() defined by the caller and
# APT_LOG set to a log file path.
#
# apt_install PKG...: apt-get update only when the lists don't know PKG yet,
# or when the install fails (stale lists can name .debs the mirror no longer
# has -> 404), then retry once.
apt_install() {
  local policy
  # capture first: `cmd | grep -q` under pipefail can fail via SIGPIPE
  policy="$(apt-cache policy "$1" 2>/dev/null || true)"
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    log "apt-get update"
    apt-get update -qq >"$APT_LOG" 2>&1 || { cat "$APT_LOG" >&2; return 1; }
  fi
  if apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$@" >"$APT_LOG" 2>&1; then
    return 0
  fi
  log "install failed; apt-get update and retry"
  apt-get update -qq >"$APT_LOG" 2>&1 || { cat "$APT_LOG" >&2; return 1; }
  apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$@" >"$APT_LOG" 2>&1 \
    || { tail -n 40 "$APT_LOG" >&2; return 1; }
}
