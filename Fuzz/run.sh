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

source ./fuzz-target.sh
status=0
for t in "${targets[@]}"; do
  case "$t" in
    auto) seeds=("$broken"/*/* seeds/*/*) ;;
    jsonvalue) seeds=("$broken"/json/* seeds/json/* seeds/jsonvalue/*) ;;
    sweepspec) seeds=(seeds/sweepspec/* ../Tests/SweepsTests/Fixtures/fuzz/sweepspec/*) ;;
    tunespec) seeds=(seeds/tunespec/*) ;;
    *) seeds=("$broken/$t"/* "seeds/$t"/*) ;;
  esac
  seeds+=(../Tests/QUBOModelTests/Fixtures/fuzz/"$t"/*)
  fuzz_target "$t" "$bin" "$secs" "$scratch" -dict=anneal.dict || status=1
done
exit $status
