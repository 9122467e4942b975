#!/usr/bin/env bash
# Instruction counts of the SA and SQA kernels under callgrind, for checking
# that a refactor of a kernel keeps its speed (a ratio measured in one run,
# immune to machine load). One row a configuration: the program's total
# instructions, the kernel's (inclusive cost of the SQA sweep function, or
# of the read loop for SA), and the best energy with a hash of the returned
# energies and sample, which must not change for a refactor.
#   bash Benchmarks/kernel_callgrind.sh ANNEAL_BINARY TAG [OUTDIR]
# ANNEAL_BINARY is a release build (swift build -c release --product anneal);
# the instance is problems/G1.gset, seed 7, one thread. Valgrind 3.19 cannot
# read the DWARF of Swift release builds, so a copy without debug sections is
# profiled (symbols stay).
set -eu  # no pipefail: grep -m1 closes the pipe on callgrind_annotate
bin="${1:?usage: kernel_callgrind.sh ANNEAL_BINARY TAG [OUTDIR]}"
tag="${2:?usage: kernel_callgrind.sh ANNEAL_BINARY TAG [OUTDIR]}"
out="${3:-${TMPDIR:-/tmp}/anneal-callgrind}"
mkdir -p "$out"
cd "$(dirname "$0")/.."
strip --strip-debug -o "$out/$tag-anneal" "$bin"
run() {
  local name=$1 kernel=$2
  shift 2
  local prefix="$out/$tag-$name"
  valgrind --tool=callgrind --callgrind-out-file="$prefix.out" "$out/$tag-anneal" \
    solve problems/G1.gset "$@" --seed 7 --threads 1 --json >"$prefix.json" 2>/dev/null
  local total kernelIr result
  total=$(callgrind_annotate "$prefix.out" | grep -m1 "PROGRAM TOTALS" | awk '{print $1}')
  kernelIr=$(callgrind_annotate --inclusive=yes "$prefix.out" | grep -m1 "$kernel" | awk '{print $1}')
  result=$(python3 -c '
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
digest = hashlib.md5((str(d["energies"]) + str(d["best_sample"])).encode()).hexdigest()[:8]
print(d["best_energy"], digest)' "$prefix.json")
  echo "$tag $name total_Ir=$total kernel_Ir=$kernelIr best_energy,hash=$result"
}
for p in 4 5 8 12 16 32; do
  run "sqa-P$p" 'sweep5scale5jPerp' --sampler sqa --reads 1 --sweeps 1000 --trotter "$p"
done
run sa-1read 'ReadRunV3run5items' --sampler sa --reads 1 --sweeps 4000
run sa-8reads 'ReadRunV3run5items' --sampler sa --reads 8 --sweeps 1000
