#!/usr/bin/env python3
"""The hgb objective of tune_bench.py as a program: `hgb.py lr iters leaves
min_leaf l2 max_features bins` prints `loss: <5-fold CV log loss>` of
scikit-learn's HistGradientBoostingClassifier on the breast-cancer data set
that scikit-learn ships (569 samples, 30 features)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tune_bench import hgb_value  # noqa: E402

print(f"loss: {hgb_value(sys.argv[1:8])!r}")
