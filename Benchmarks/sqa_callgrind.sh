#!/usr/bin/env bash
# SQA against OpenJij at equal settings in instructions (issue 22): callgrind
# instruction counts per proposal of both kernels on the peers' dense ±1
# instance (800 spins, degree 48, seed 1), 2 reads, one thread, OpenJij's
# β = 5, Γ = 1 and quartic schedule (ours: --beta 5 --parameters
# '{"schedule":"openjij"}'). Each count is the difference of a 250- and a
# 50-sweep run divided by n·P·200·2, so start-up and set-up drop out; the
# load does not move it.
#   bash Benchmarks/sqa_callgrind.sh ANNEAL_BINARY [P ...] [--no-openjij]
# ANNEAL_BINARY is a release build; a copy without debug sections is
# profiled (valgrind 3.19 cannot read the DWARF of Swift release builds).
# OpenJij runs from the peers venv (~/.cache/anneal-peers) with
# OMP_NUM_THREADS=1; compare_peers.py is read from ../shared/bench.
set -eu  # no pipefail: grep -m1 closes the pipe on callgrind_annotate
bin="${1:?usage: sqa_callgrind.sh ANNEAL_BINARY [P ...] [--no-openjij]}"
shift
openjij=1
ps=()
for a in "$@"; do
  if [ "$a" = --no-openjij ]; then openjij=0; else ps+=("$a"); fi
done
[ ${#ps[@]} -gt 0 ] || ps=(4 8 12 16 32)
# Paths given relative to where the script is called from stay valid.
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
if [ -n "${BENCH_DIR:-}" ]; then BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"; fi
cd "$(dirname "$0")/.."
# A directory of its own, so that two runs at once do not share files.
out="$(mktemp -d "${TMPDIR:-/tmp}/anneal-sqa-callgrind.XXXXXX")"
trap 'rm -rf "$out"' EXIT
python="${PEERS_PYTHON:-$HOME/.cache/anneal-peers/bin/python}"
bench="${BENCH_DIR:-../shared/bench}"
"$python" - "$bench" "$out/r800_48.coo" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import compare_peers as cp
cp.write_coo(cp.random_model(800, 48, 1), sys.argv[2])
PY
strip --strip-debug -o "$out/anneal" "$bin"
total() { callgrind_annotate "$1" | grep -m1 "PROGRAM TOTALS" | awk '{gsub(",", "", $1); print $1}'; }
per() { python3 -c "print(f'{($2 - $1) / (800 * $3 * 200 * 2):.1f}')"; }
echo "| P | anneal Ir/proposal | OpenJij Ir/proposal | ratio |"
echo "|---|---|---|---|"
for p in "${ps[@]}"; do
  declare -A ours theirs
  for s in 50 250; do
    valgrind --tool=callgrind --callgrind-out-file="$out/ours-$p-$s.out" "$out/anneal" \
      solve "$out/r800_48.coo" --format coo --sampler sqa --trotter "$p" --sweeps "$s" \
      --reads 2 --threads 1 --seed 1 --beta 5 --parameters '{"schedule":"openjij"}' \
      --json >/dev/null 2>&1
    ours[$s]=$(total "$out/ours-$p-$s.out")
    if [ $openjij = 1 ]; then
      OMP_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out/oj-$p-$s.out" \
        "$python" -c "
import sys; sys.path.insert(0, '$bench')
import compare_peers as cp, openjij as oj
oj.SQASampler().sample(cp.random_model(800, 48, 1), num_reads=2, num_sweeps=$s, trotter=$p, seed=1)
" >/dev/null 2>&1
      theirs[$s]=$(total "$out/oj-$p-$s.out")
    fi
  done
  a=$(per "${ours[50]}" "${ours[250]}" "$p")
  if [ $openjij = 1 ]; then
    o=$(per "${theirs[50]}" "${theirs[250]}" "$p")
    echo "| $p | $a | $o | ×$(python3 -c "print(f'{$o / $a:.1f}')") |"
  else
    echo "| $p | $a | – | – |"
  fi
done
