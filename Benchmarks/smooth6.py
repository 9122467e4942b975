#!/usr/bin/env python3
"""The smooth6 objective of tune_bench.py as a program: `smooth6.py I v1..v6`
prints `loss: <value>` (instance I = 1..5)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tune_bench  # noqa: E402

problem = tune_bench.smooth_problem(int(sys.argv[1]))
print(f"loss: {problem.evaluate([float(v) for v in sys.argv[2:8]])!r}")
