#!/bin/bash
# Submit an entrench sweep to Slurm as an N-task job array plus a merge job
# that runs when every task has succeeded.
#
#   docs/slurm/submit.sh EXPERIMENT ROOT N [SWEEP FLAGS...]
#
# Shards go to ROOT/shard-K-of-N, the merged outputs to ROOT/merged, and
# the logs to ROOT/logs. Prints "ARRAY_JOB_ID MERGE_JOB_ID". Extra sbatch
# options for both jobs (partition, account, time, cpus) can be given in
# SBATCH_OPTS, e.g. SBATCH_OPTS="--partition=short --time=02:00:00".
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: $0 EXPERIMENT ROOT N [SWEEP FLAGS...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
experiment="$1"
root="$2"
n="$3"
shift 3
case "$n" in '' | *[!0-9]* | 0) echo "N must be a positive integer, got '$n'" >&2; exit 2 ;; esac
mkdir -p "$root/logs"
# shellcheck disable=SC2086  # SBATCH_OPTS is a list of options
array="$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((n - 1))" \
  --output="$root/logs/sweep_%A_%a.log" \
  "$here/sweep.sbatch" "$experiment" "$root" "$@")"
array="${array%%;*}"
# shellcheck disable=SC2086
merge="$(sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$root/logs/merge_%j.log" \
  "$here/merge.sbatch" "$root" "$root/merged")"
merge="${merge%%;*}"
echo "$array $merge"
