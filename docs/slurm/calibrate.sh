#!/bin/bash
# Submit the next round of an entrench calibration to Slurm: an N-task job
# array that evaluates the round's attempts of the next generation, and an
# assemble job that runs when every task has succeeded. The assemble job
# writes the generation when it is complete and calls this script again
# for the next round, so one call runs the whole calibration as a chain of
# jobs, one generation (or a few rounds) at a time.
#
#   docs/slurm/calibrate.sh CALIBRATION.yaml ROOT N [CALIBRATE FLAGS...]
#
# ROOT is the calibration's output folder (--out), shared by every job;
# logs go to ROOT/logs. When the calibration ends, the assemble job writes
# the outputs into ROOT and "done STOP" into ROOT/chain.done. Prints the
# job ids "ARRAY_JOB_ID ASSEMBLE_JOB_ID", or "done STOP" if there is
# nothing left to do. Extra sbatch options (partition, account, time) can
# be given in SBATCH_OPTS. ENTRENCH names the program (default: entrench
# on the PATH).
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: $0 CALIBRATION.yaml ROOT N [CALIBRATE FLAGS...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
ENTRENCH="${ENTRENCH:-entrench}"
cal="$1"
root="$2"
n="$3"
shift 3
case "$n" in '' | *[!0-9]* | 0) echo "N must be a positive integer, got '$n'" >&2; exit 2 ;; esac
mkdir -p "$root/logs"
export ENTRENCH_SLURM_DIR="$here" # found by the assemble job, whose script Slurm runs from a copy
state="$("$ENTRENCH" calibrate "$cal" --out "$root" --step)"
case "$state" in
  done*)
    echo "$state" > "$root/chain.done"
    echo "$state"
    exit 0 ;;
esac
# state is "generation G first F"
read -r _ gen _ first <<< "$state"
# shellcheck disable=SC2086  # SBATCH_OPTS is a list of options
array="$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((n - 1))" \
  --output="$root/logs/gen${gen}_from${first}_%A_%a.log" \
  "$here/calibrate-shard.sbatch" "$cal" "$root" "$first" "$@")"
array="${array%%;*}"
# shellcheck disable=SC2086
assemble="$(sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$root/logs/gen${gen}_assemble_%j.log" \
  "$here/calibrate-assemble.sbatch" "$cal" "$root" "$n" "$@")"
assemble="${assemble%%;*}"
echo "$array $assemble"
