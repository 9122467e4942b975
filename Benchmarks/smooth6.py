#!/usr/bin/env python3
"""The smooth6 objective of tune_bench.py as a program: `smooth6.py I v1..v6`
prints `loss: <value>` (instance I = 1..5); `smooth6.py I v1..v6 SEED`, the
noisy smooth6n's value for the run with that seed; `smooth6.py --dim 12 I
v1..v12`, smooth12's."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tune_bench import noisy_smooth_value, smooth_value  # noqa: E402

if sys.argv[1] == "--dim":
    d, args = int(sys.argv[2]), sys.argv[3:]
else:
    d, args = 6, sys.argv[1:]
i, v = int(args[0]), [float(x) for x in args[1:d + 1]]
value = noisy_smooth_value(i, v, int(args[d + 1])) if len(args) > d + 1 else smooth_value(i, v)
print(f"loss: {value!r}")
