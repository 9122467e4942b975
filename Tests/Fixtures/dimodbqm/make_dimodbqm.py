"""Writes the dimod binary BQM fixtures (`bqm.to_file()`) with the real dimod.

    ~/.cache/anneal-dimod/bin/python Tests/Fixtures/dimodbqm/make_dimodbqm.py

For each case NAME: NAME.bqm is what dimod's `to_file()` writes and
NAME.json is `bqm.to_serializable()` of the same model (the oracle the
Swift test compares against, read by Anneal's dimod JSON reader).
"""
import json
import os

import dimod
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261204)


def random_bqm(n, density, vartype, dtype=np.float64):
    bqm = dimod.BinaryQuadraticModel(vartype, dtype=dtype)
    bqm.add_linear_from_array(rng.normal(size=n))
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < density:
                bqm.add_quadratic(i, j, float(rng.integers(-5, 6)) / 2)
    bqm.offset = float(rng.normal())
    return bqm


cases = {}
cases["spin_int"] = random_bqm(12, 0.4, "SPIN")
cases["binary_int"] = random_bqm(9, 0.5, "BINARY")
b = random_bqm(7, 0.6, "SPIN")
b.relabel_variables({i: f"x{i}" for i in range(3)} | {3: "y", 4: 40, 5: "z", 6: -2})
cases["spin_mixed_labels"] = b
b = random_bqm(6, 0.7, "BINARY")
b.relabel_variables({i: "abcdef"[i] for i in range(6)})
cases["binary_str_labels"] = b
cases["binary_float32"] = random_bqm(8, 0.5, "BINARY", dtype=np.float32)
cases["spin_empty"] = dimod.BinaryQuadraticModel("SPIN")
cases["binary_isolated"] = dimod.BinaryQuadraticModel({0: 1.5, 1: -2.0, 2: 0.0}, {}, 0.25, "BINARY")
versions = {"spin_int_v1": ("spin_int", 1), "spin_mixed_labels_v1": ("spin_mixed_labels", 1)}

for name, bqm in cases.items():
    with open(os.path.join(here, f"{name}.bqm"), "wb") as f:
        f.write(bqm.to_file().read())
    with open(os.path.join(here, f"{name}.json"), "w") as f:
        json.dump(bqm.to_serializable(), f)
for name, (base, version) in versions.items():
    with open(os.path.join(here, f"{name}.bqm"), "wb") as f:
        f.write(cases[base].to_file(version=version).read())
print(len(cases) + len(versions), "files, dimod", dimod.__version__)
