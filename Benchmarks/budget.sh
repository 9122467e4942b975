#!/usr/bin/env bash
# Quality under a budget: the best cut that sa, pt and tabu reach on Gset and
# K2000 instances in SECONDS of wall clock on THREADS threads each, against the
# best-known cut (../shared/benchmarks/best_known.csv).
#   bash Benchmarks/budget.sh [SECONDS] [THREADS]      (from the package root)
# Prints one row per instance: the cut of each sampler, the best of the three,
# the best-known cut and the gap.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
threads="${2:-2}"
bin="${ANNEAL:-.build/release/anneal}"
[ -x "$bin" ] || swift build -c release --product anneal >&2
bench=../shared/benchmarks
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
