#!/usr/bin/env bash
# G55 per read at equal sweeps: the default β rule against tuned ranges (issue 22).
# 32 reads x 30000 sweeps, one thread, seeds 1-2; prints mean cut per read and CPU seconds.
# Usage: ANNEAL=.build/release/anneal ANNEAL_BENCHMARKS=DIR bash Benchmarks/g55_beta_ranges.sh
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
A="${ANNEAL:-.build/release/anneal}"
G="${ANNEAL_BENCHMARKS:?set ANNEAL_BENCHMARKS}/gset/G55"
for seed in 1 2; do
for arm in default 0.3,3 0.194,3 0.3,2.3 0.194,4.6; do
  if [ $arm = default ]; then extra=""; else extra="--beta-range $arm"; fi
  /usr/bin/time -f "%U %S" -o "$tmp/t.txt" nice -n 15 $A solve $G --format gset --reads 32 --sweeps 30000 --threads 1 --seed $seed $extra --json > "$tmp/out.json"
  python3 -c "
import json,statistics as st
d=json.load(open('$tmp/out.json')); c=[(12498-e)/2 for e in d['energies']]
u,s=open('$tmp/t.txt').read().split()
print('$seed','$arm', 'mean %.2f sd %.2f max %d n>=10296 %d cpu %.1f' % (st.mean(c), st.stdev(c), max(c), sum(x>=10296 for x in c), float(u)+float(s)), d['parameters'].get('beta_range'), flush=True)"
done; done
