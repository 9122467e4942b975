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

source ./fuzz-target.sh
status=0
for t in "${targets[@]}"; do
  seeds=(seeds/"$t"/* ../Tests/LearningTests/Fixtures/fuzz/"$t"/*)
  fuzz_target "$t" "$bin" "$secs" "$scratch" || status=1
done
exit $status
