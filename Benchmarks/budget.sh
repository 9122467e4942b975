#!/usr/bin/env bash
# Quality under a budget: the best cut that sa, pt and tabu reach on Gset and
# K2000 instances in SECONDS of wall clock on THREADS threads each, against the
# best-known cut (best_known.csv of the benchmark directory).
#   bash Benchmarks/budget.sh [SECONDS] [THREADS] [BENCHMARKS]
# BENCHMARKS (default $ANNEAL_BENCHMARKS) is a directory holding gset/G<k>,
# k2000/WK2000_1.rud and best_known.csv; these sets are not in the repository.
# Prints one row per instance: the cut of each sampler, the best of the three,
# the best-known cut and the gap.
set -euo pipefail
secs="${1:-10}"
threads="${2:-2}"
bench="${3:-${ANNEAL_BENCHMARKS:-}}"
if [ -z "$bench" ]; then
  echo "budget.sh: no benchmark directory: pass it as the third argument or set ANNEAL_BENCHMARKS" >&2
  exit 2
fi
[ -d "$bench" ] && bench="$(cd "$bench" && pwd)"  # before the cd below
cd "$(dirname "$0")/.."
for f in best_known.csv gset/G1 k2000/WK2000_1.rud; do
  if [ ! -e "$bench/$f" ]; then
    echo "budget.sh: $bench/$f is missing (expected gset/, k2000/ and best_known.csv in $bench)" >&2
    exit 2
  fi
done
bin="${ANNEAL:-.build/release/anneal}"
[ -x "$bin" ] || swift build -c release --product anneal >&2
cut() {  # file sampler extra-args...
  local f="$1" s="$2"
  shift 2
  "$bin" solve "$f" --format gset --sampler "$s" --threads "$threads" --time-limit "$secs" \
    --seed 1 --json "$@" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["objective"]["best"]))'
}
printf "%-7s %7s %7s %7s %7s %10s %5s\n" instance sa pt tabu best "best-known" gap
for g in G1 G11 G22 G43 G14 G55 K2000; do
  if [ "$g" = K2000 ]; then f="$bench/k2000/WK2000_1.rud"; sweeps=2500; else f="$bench/gset/$g"; sweeps=20000; fi
  name="$g"; [ "$g" = K2000 ] && name=WK2000_1
  known=$(awk -F, -v g="$name" '$2==g {print $6}' "$bench/best_known.csv")
  a=$(cut "$f" sa --reads 2000 --sweeps "$sweeps")
  p=$(cut "$f" pt --reads "$threads" --sweeps 1000000)
  t=$(cut "$f" tabu --reads "$threads")
  best=$(printf "%s\n%s\n%s\n" "$a" "$p" "$t" | sort -n | tail -1)
  printf "%-7s %7s %7s %7s %7s %10s %5s\n" "$g" "$a" "$p" "$t" "$best" "$known" $((known - best))
done
