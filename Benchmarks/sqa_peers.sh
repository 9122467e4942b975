#!/usr/bin/env bash
# SA and SQA throughput against dwave-samplers and OpenJij at several Trotter
# slice counts, through the comparison harness (the `peers` script you have
# beside this repository), one markdown row per (instance, P).
#   bash Benchmarks/sqa_peers.sh PEERS [BENCHMARKS] [P...]
# PEERS is the harness script; BENCHMARKS (default $ANNEAL_BENCHMARKS) holds
# gset/G22. Defaults: P = 4 8 12 16 32. The harness runs 1000 sweeps; the
# sparse instances take OpenJij minutes a run (its SQA keeps a dense n×n
# matrix), so they run 4 reads, the dense one 10.
set -euo pipefail
peers="${1:?usage: sqa_peers.sh PEERS [BENCHMARKS] [P...]}"
bench="${2:-${ANNEAL_BENCHMARKS:-}}"
shift $(( $# >= 2 ? 2 : 1 ))
ps=("$@")
[ ${#ps[@]} -eq 0 ] && ps=(4 8 12 16 32)
cd "$(dirname "$0")/.."
[ -x .build/release/anneal ] || swift build -c release --product anneal >&2
instances=("--random 800 --degree 48 --reads 10" "--random 2000 --degree 4 --reads 4")
if [ -n "$bench" ] && [ -e "$bench/gset/G22" ]; then
  instances+=("--file $bench/gset/G22 --format gset --reads 4")
else
  echo "sqa_peers.sh: no gset/G22 under '$bench': G22 skipped" >&2
fi
echo "| instance | P | anneal sqa | OpenJij | ratio | mean E, anneal / OpenJij | sa ratio vs dwave |"
echo "|---|---|---|---|---|---|---|"
for inst in "${instances[@]}"; do
  for p in "${ps[@]}"; do
    # shellcheck disable=SC2086
    out=$("$peers" $inst --sqa --trotter "$p" --anneal .build/release/anneal 2>&1)
    echo "$out" | python3 -c '
import re, sys
text = sys.stdin.read()
inst, p = sys.argv[1], sys.argv[2]
rows = {m.group(1).strip(): m.groups()[1:] for m in re.finditer(
    r"^(anneal sa|dwave-samplers sa|anneal sqa P=\d+|openjij sqa P=\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", text, re.M)}
try:
    a, o = rows[f"anneal sqa P={p}"], rows[f"openjij sqa P={p}"]
    sa, dw = rows["anneal sa"], rows["dwave-samplers sa"]
except KeyError:
    sys.exit(f"sqa_peers.sh: the harness printed no result for {inst} P={p}:\n{text[-2000:]}")
name = inst.replace("--random ", "random n=").replace(" --degree ", ", degree ").split(" --reads")[0]
name = re.sub(r"--file \S*/", "", name).replace(" --format gset", "")
reads = inst.split("--reads ")[1]
print(f"| {name}, {reads} reads | {p} | {float(a[1]):.0f} M/s | {float(o[1]):.1f} M/s | "
      f"×{float(a[1]) / float(o[1]):.1f} | {float(a[3]):.1f} / {float(o[3]):.1f} | "
      f"×{float(sa[1]) / float(dw[1]):.1f} |")
' "$inst" "$p"
  done
done
