# A pseudo-Boolean function of ±1 spins, one term a line in FILE:
#   coef i [j [k ...]]      (0-based indices; the term is coef · s_i s_j s_k)
# Called as `awk -f pbf.awk FILE b0 b1 ... b(n-1)` with each b true/false
# (or 1/0; true is s = +1). Prints one line "energy: E". Used by
# Benchmarks/tune_bench.py through `anneal tune`.
BEGIN {
  n = ARGC - 2
  for (i = 0; i < n; i++) s[i] = (ARGV[i + 2] == "true" || ARGV[i + 2] == "1") ? 1 : -1
  e = 0
  while ((getline line < ARGV[1]) > 0) {
    if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
    m = split(line, f, " ")
    t = f[1]
    for (q = 2; q <= m; q++) t *= s[f[q]]
    e += t
  }
  printf "energy: %.10g\n", e
  exit
}
