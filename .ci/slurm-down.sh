#!/usr/bin/env bash
# Stop the single-node Slurm cluster started by .ci/slurm-up.sh
# (slurmd, slurmctld, munged). Safe to run when nothing is running.
set -euo pipefail

log() { echo "[slurm-down] $*"; }

alive() { # alive PID NAME: process exists, is not a zombie, and is NAME
  local st; st="$(ps -o stat=,comm= -p "$1" 2>/dev/null || true)"
  [ -n "$st" ] && [ "${st:0:1}" != Z ] && [ "${st##* }" = "$2" ]
}

stop_pidfile() { # stop_pidfile NAME PIDFILE
  local pid
  pid="$(cat "$2" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! alive "$pid" "$1"; then rm -f "$2"; return 0; fi
  log "stopping $1 (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$pid" "$1" || break; sleep 0.2; done
  if alive "$pid" "$1"; then
    log "$1 did not stop in 10s; SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$2"
}

stop_pidfile slurmd    /run/slurm/slurmd.pid
stop_pidfile slurmctld /run/slurm/slurmctld.pid
stop_pidfile munged    /run/munge/munged.pid
log "stopped"
