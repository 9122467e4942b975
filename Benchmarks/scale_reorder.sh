#!/usr/bin/env bash
# SA past the cache (issue 22, item 5): spin updates per wall-clock second on
# random 3-regular ±1 graphs of 10⁴, 10⁵ and 10⁶ spins, one thread, with the
# spins renumbered (reverse Cuthill–McKee, "always") or not ("never"). Each
# rate is the difference of a short and a five-times-longer run, so parsing,
# buffers and the renumbering itself drop out. Run it on a quiet machine.
#
#   bash Benchmarks/scale_reorder.sh [ANNEAL_BINARY] [PASSES]
set -euo pipefail
anneal="${1:-.build/release/anneal}"
passes="${2:-1}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# Instances: random.Random(n); 3n stubs shuffled and paired; self-loops and
# repeated pairs dropped; weights ±1 from the same generator.
for n in 10000 100000 1000000; do
  python3 - "$n" "$dir/r3_$n.coo" <<'PY'
import random, sys
n = int(sys.argv[1]); r = random.Random(n)
stubs = [i for i in range(n) for _ in range(3)]; r.shuffle(stubs)
seen = set()
with open(sys.argv[2], "w") as f:
    for k in range(0, len(stubs) - 1, 2):
        a, b = stubs[k], stubs[k + 1]
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        f.write(f"{key[0]} {key[1]} {r.choice((-1, 1))}\n")
PY
done
run() {  # spins reads mode sweeps -> "updates seconds"
  "$anneal" solve "$dir/r3_$1.coo" --format coo --reads "$2" --sweeps "$4" --threads 1 --seed 1 \
    --parameters "{\"reorder\": \"$3\"}" --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["spin_updates"], d["info"]["sample_seconds"])'
}
rate() {  # spins reads mode short-sweeps
  local a b
  a=$(run "$1" "$2" "$3" "$4"); b=$(run "$1" "$2" "$3" $(($4 * 5)))
  python3 -c "a='$a'.split(); b='$b'.split(); print('%.0f' % ((int(b[0]) - int(a[0])) / (float(b[1]) - float(a[1])) / 1e6))"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-6s %-7s %s\n' spins reads reorder "M updates/s"
for p in $(seq "$passes"); do
  for n in 10000 100000 1000000; do
    case $n in 10000) s1=5000; s8=2500 ;; 100000) s1=500; s8=250 ;; 1000000) s1=50; s8=20 ;; esac
    for mode in never always; do
      printf '%-8s %-6s %-7s %s\n' "$n" 1 "$mode" "$(rate "$n" 1 "$mode" "$s1")"
      printf '%-8s %-6s %-7s %s\n' "$n" 8 "$mode" "$(rate "$n" 8 "$mode" "$s8")"
    done
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
