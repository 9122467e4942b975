#!/usr/bin/env bash
# run.sh for the learning front end's readers (the LearningFuzz harness):
#
#   Fuzz/run-learning.sh [SECONDS] [TARGET...]     TARGET: onnx dataset features
#
# Seeds: seeds/<target>/ and earlier findings in
# Tests/LearningTests/Fixtures/fuzz/<target>/ and regressions/<target>/.
# The first crash of a target is written to regressions/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(onnx dataset features)

nice -n 15 swift build -c release --sanitize=fuzzer --product LearningFuzz >&2 || exit 1
bin="$(swift build -c release --sanitize=fuzzer --show-bin-path)/LearningFuzz"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/anneal-fuzz.XXXXXX")"
echo "logs and corpora in $scratch" >&2

status=0
for t in "${targets[@]}"; do
  corpus="$scratch/$t"
  mkdir -p "$corpus" "regressions/$t"
  for f in seeds/"$t"/* ../Tests/LearningTests/Fixtures/fuzz/"$t"/* regressions/"$t"/*; do
    [ -f "$f" ] && cp "$f" "$corpus/$(echo "${f#../}" | tr / _)"
  done
  before=$(ls "regressions/$t" | wc -l)
  SWIFT_BACKTRACE=enable=no ANNEAL_FUZZ_TARGET="$t" nice -n 15 "$bin" "$corpus" \
    -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
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
