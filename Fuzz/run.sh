#!/usr/bin/env bash
# Builds the harness and fuzzes each reader for SECONDS (default 600), one
# after another, in one process at low priority:
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     TARGET: json coo qubo gset bqp auto jsonvalue dimodbqm sweepspec tunespec
#
# Each run starts from a scratch copy of the broken-file corpus, the seeds
# in seeds/<target>/ and earlier findings (Tests/.../Fixtures/fuzz/<target>/
# and regressions/<target>/), with the dictionary anneal.dict; a new
# crash, leak, timeout or out-of-memory input is written to
# regressions/<target>/ (libFuzzer stops at the first). Prints one summary
# line per target from libFuzzer's final stats; logs stay in the scratch dir.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json coo qubo gset bqp auto jsonvalue dimodbqm sweepspec tunespec)

swift build -c release --sanitize=fuzzer >&2 || exit 1
bin="$(swift build -c release --sanitize=fuzzer --show-bin-path)/AnnealFuzz"
broken=../Tests/QUBOModelTests/Fixtures/broken
scratch="$(mktemp -d "${TMPDIR:-/tmp}/anneal-fuzz.XXXXXX")"
echo "logs and corpora in $scratch" >&2

status=0
for t in "${targets[@]}"; do
  corpus="$scratch/$t"
  mkdir -p "$corpus" "regressions/$t"
  case "$t" in
    auto) seeds=("$broken"/*/* seeds/*/*) ;;
    jsonvalue) seeds=("$broken"/json/* seeds/json/* seeds/jsonvalue/*) ;;
    sweepspec) seeds=(seeds/sweepspec/* ../Tests/SweepsTests/Fixtures/fuzz/sweepspec/*) ;;
    tunespec) seeds=(seeds/tunespec/*) ;;
    *) seeds=("$broken/$t"/* "seeds/$t"/*) ;;
  esac
  # Flat names: the same file name occurs in several formats.
  for f in "${seeds[@]}" ../Tests/QUBOModelTests/Fixtures/fuzz/"$t"/* regressions/"$t"/*; do
    [ -f "$f" ] && cp "$f" "$corpus/$(echo "${f#../}" | tr / _)"
  done
  before=$(ls "regressions/$t" | wc -l)
  # Swift's own backtracer would take the trap before libFuzzer can save it.
  SWIFT_BACKTRACE=enable=no ANNEAL_FUZZ_TARGET="$t" nice -n 10 "$bin" "$corpus" \
    -max_total_time="$secs" -print_final_stats=1 -timeout=10 -dict=anneal.dict \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix="regressions/$t/" >"$scratch/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$t.log" | tail -1)
  found=$(($(ls "regressions/$t" | wc -l) - before))
  printf '%-10s executions %10s  exec/s %6s  crashes %d  (exit %d, log %s)\n' \
    "$t" "${execs:-?}" "${rate:-?}" "$found" "$rc" "$scratch/$t.log"
  [ "$rc" -eq 0 ] || status=1
done
exit $status
