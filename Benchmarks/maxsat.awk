# Weighted MaxSAT: the total weight of the clauses a 0/1 assignment leaves
# unsatisfied. FILE has one clause a line, "w l1 l2 ... lk" with literals
# ±(i+1) (DIMACS-like, 1-based variables; negative = negated), "#" comments.
# Called as `awk -f maxsat.awk FILE b0 b1 ... b(n-1)` with each b true/false
# (or 1/0). Prints one line "cost: C". Used by Benchmarks/tune_bench.py
# through `anneal tune`.
BEGIN {
  n = ARGC - 2
  for (i = 1; i <= n; i++) x[i] = (ARGV[i + 1] == "true" || ARGV[i + 1] == "1") ? 1 : 0
  cost = 0
  while ((getline line < ARGV[1]) > 0) {
    if (line ~ /^#/ || line ~ /^[ \t]*$/) continue
    m = split(line, f, " ")
    sat = 0
    for (q = 2; q <= m; q++) {
      l = f[q] + 0
      if ((l > 0 && x[l] == 1) || (l < 0 && x[-l] == 0)) { sat = 1; break }
    }
    if (!sat) cost += f[1]
  }
  printf "cost: %.10g\n", cost
  exit
}
