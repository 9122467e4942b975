# Sourced by run.sh and run-learning.sh: the one loop that fuzzes a target.
#
#   fuzz_target TARGET BIN SECONDS SCRATCH [LIBFUZZER_OPTION...]
#
# The caller puts the target's seed files in the array `seeds`. They are
# copied, with earlier findings in regressions/TARGET/, into a scratch corpus
# under flat names (the same file name occurs in several formats); libFuzzer
# runs at low priority for SECONDS and writes a new crash, leak, timeout or
# out-of-memory input to regressions/TARGET/ (it stops at the first). Prints
# one summary line from libFuzzer's final stats; returns libFuzzer's status.
fuzz_target() {
  local t="$1" bin="$2" secs="$3" scratch="$4"
  shift 4
  local corpus="$scratch/$t" f
  mkdir -p "$corpus" "regressions/$t"
  for f in "${seeds[@]}" regressions/"$t"/*; do
    [ -f "$f" ] && cp "$f" "$corpus/$(echo "${f#../}" | tr / _)"
  done
  local before
  before=$(ls "regressions/$t" | wc -l)
  # Swift's own backtracer would take the trap before libFuzzer can save it.
  SWIFT_BACKTRACE=enable=no ANNEAL_FUZZ_TARGET="$t" nice -n 15 "$bin" "$corpus" \
    -max_total_time="$secs" -print_final_stats=1 -timeout=10 "$@" \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix="regressions/$t/" >"$scratch/$t.log" 2>&1
  local rc=$?
  local execs rate found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$t.log" | tail -1)
  found=$(($(ls "regressions/$t" | wc -l) - before))
  printf '%-10s executions %10s  exec/s %6s  crashes %d  (exit %d, log %s)\n' \
    "$t" "${execs:-?}" "${rate:-?}" "$found" "$rc" "$scratch/$t.log"
  return "$rc"
}
