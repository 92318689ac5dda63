#!/usr/bin/env bash
# Byte-identity check for refactors: build entrench at BASE (a git revision,
# default the merge base with origin or HEAD~1) and at the working tree, run
# run, compare, sweep and claims on built-ins at small counts with both,
# and diff every output file. Manifests are compared with their volatile
# keys (times, version, arguments, Go version, paths) removed.
#
#   bash .ci/same-outputs.sh BASE        # exit 0: identical
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: same-outputs.sh BASE-REVISION}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1
(cd "$work/base-src" && go build -o "$work/base" ./cmd/entrench)
go build -o "$work/head" ./cmd/entrench

run_all() { # $1 binary, $2 output root
  local b=$1 o=$2
  mkdir -p "$o"
  "$b" run baseline --runs 24 --workers 2 --quiet --out "$o/run-baseline" >/dev/null
  "$b" run backcast-1997-2016 --runs 12 --workers 1 --quiet --out "$o/run-backcast" >/dev/null
  "$b" run tiny --runs 8 --quiet --out "$o/run-tiny" --set levers.tapi_stake.value=0.5 >/dev/null
  "$b" compare baseline tapi-only --runs 16 --quiet --out "$o/compare" >/dev/null
  "$b" sweep grid-demo --replicates 2 --quiet --out "$o/sweep-grid" >/dev/null
  "$b" sweep sobol-levers --replicates 2 --quiet --no-figures --out "$o/sweep-sobol" >/dev/null
  "$b" sweep morris-levers --replicates 2 --quiet --no-figures --out "$o/sweep-morris" >/dev/null
  "$b" claims --runs 12 --quiet --out "$o/claims" >/dev/null
}
run_all "$work/base" "$work/out-base"
run_all "$work/head" "$work/out-head"

# strip drops the keys that differ between any two runs (times, version,
# the command line, paths) and folds the binaries' and folders' names.
strip() {
  sed -e "s#$work/out-base#OUT#g; s#$work/out-head#OUT#g" "$1" |
    awk '/"args": \[/{skip=1} skip{if(/\]/)skip=0; next} {print}' |
    grep -v -E '"(started|finished|version|args|go_version|elapsed[a-z_]*|host)"' | sed -e 's/,$//'
}
status=0
while IFS= read -r f; do
  rel=${f#"$work/out-base/"}
  g="$work/out-head/$rel"
  if [ ! -f "$g" ]; then echo "missing in head: $rel"; status=1; continue; fi
  case "$rel" in
    *manifest.json|*sweep.json)
      if ! diff <(strip "$f") <(strip "$g") >/dev/null; then echo "differs: $rel"; diff <(strip "$f") <(strip "$g") | head -20 || true; status=1; fi ;;
    *.lock|*.journal) ;;
    *) if ! cmp -s "$f" "$g"; then echo "differs: $rel"; status=1; fi ;;
  esac
done < <(find "$work/out-base" -type f | sort)
while IFS= read -r g; do
  rel=${g#"$work/out-head/"}
  [ -f "$work/out-base/$rel" ] || { echo "new in head: $rel"; }
done < <(find "$work/out-head" -type f | sort)
n=$(find "$work/out-base" -type f | wc -l)
if [ $status -eq 0 ]; then echo "same outputs: $n files identical to $base"; fi
exit $status
