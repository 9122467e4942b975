#!/usr/bin/env python3
"""The smooth6 objective of tune_bench.py as a program: `smooth6.py I v1..v6`
prints `loss: <value>` (instance I = 1..5)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tune_bench import smooth_value  # noqa: E402

print(f"loss: {smooth_value(int(sys.argv[1]), [float(v) for v in sys.argv[2:8]])!r}")
