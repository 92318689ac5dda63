#!/usr/bin/env bash
# Smoke test for the cluster of .ci/slurm-up.sh: a 4-task job array plus a
# job that depends on it (afterok), waited for with `sbatch --wait`.
set -euo pipefail

out="$(mktemp -d /tmp/slurm-smoke.XXXXXX)"
trap 'rm -rf "$out"' EXIT
chmod 0777 "$out"

# --parsable prints "<jobid>" (or "<jobid>;<cluster>"); keep the id only.
arr="$(sbatch --parsable --array=0-3 --chdir="$out" --output="$out/arr_%A_%a.log" \
  --wrap "echo \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT > $out/x_\$SLURM_ARRAY_TASK_ID")"
arr="${arr%%;*}"
echo "[slurm-smoke] array job $arr submitted"

# --wait blocks until the job ends and exits with its exit code. With
# afterok on an array the job starts only after *all* tasks succeeded, and
# DependencyParameters=kill_invalid_depend cancels it if any task failed
# (instead of leaving it PENDING forever). GOTCHA: for such a cancelled job
# `sbatch --wait` still exits 0, so check the final JobState too.
rc=0
dep="$(timeout 120 sbatch --parsable --wait --dependency="afterok:$arr" --chdir="$out" \
  --output="$out/dep.log" --wrap "cat $out/x_0 $out/x_1 $out/x_2 $out/x_3 > $out/all")" || rc=$?
dep="${dep%%;*}"
state="$(squeue -h -j "$dep" -t all -o '%T' 2>/dev/null || true)"
if [ "$rc" -ne 0 ] || [ "$state" != COMPLETED ]; then
  echo "!!! slurm-smoke FAILED: dependent job $dep: sbatch rc=$rc state=${state:-?}" >&2
  squeue -h -j "$arr,$dep" -t all -o '%i %T %r' >&2 || true
  exit 1
fi
want=$'0/4\n1/4\n2/4\n3/4'
got="$(cat "$out/all" 2>/dev/null || true)"
if [ "$got" != "$want" ]; then
  echo "!!! slurm-smoke FAILED: got '$got' want '$want'" >&2
  exit 1
fi
echo "[slurm-smoke] OK: array tasks wrote 0/4..3/4, dependent job ran after them"
