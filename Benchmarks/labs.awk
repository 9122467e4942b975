# LABS sidelobe energy of a ±1 sequence given as n words true/false (or 1/0):
#   E = Σ_{k=1}^{n-1} C_k²,  C_k = Σ_{i=1}^{n-k} s_i s_{i+k}.
# Prints one line "energy: E". Used by Benchmarks/tune_labs.py through
# `anneal tune`.
BEGIN {
  n = ARGC - 1
  for (i = 1; i <= n; i++) s[i] = (ARGV[i] == "true" || ARGV[i] == "1") ? 1 : -1
  e = 0
  for (k = 1; k < n; k++) {
    c = 0
    for (i = 1; i <= n - k; i++) c += s[i] * s[i + k]
    e += c * c
  }
  print "energy: " e
  exit
}
