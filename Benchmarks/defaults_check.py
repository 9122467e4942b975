#!/usr/bin/env python3
"""The default β rule of issue 22 against the one it replaced, at equal sweeps.

For every instance, runs `anneal solve FILE --reads R --sweeps S --seed k`
with the defaults (the new rule) and with the earlier rule's settings given
as flags (β range from the extreme biases, one sweep per β; for sqa the
earlier β and Γ range), and prints one markdown row per (instance, sampler):
mean and best energy of each arm over all reads, and the difference of the
means in units of its standard error.

  python3 Benchmarks/defaults_check.py [BENCHMARKS] [--anneal PATH]
      [--reads 32] [--sweeps 1000] [--seeds 1,2] [--samplers sa,sqa,pt]
      [--work DIR]

BENCHMARKS (default $ANNEAL_BENCHMARKS) holds gset/, k2000/ and beasley/.
Besides those files the script writes three instances of its own into WORK
(default a temporary directory), from fixed seeds: a planted frustrated-loop
instance on a 3-D lattice, a real-valued quantization QUBO (the rounding
problem of a dense layer, min ‖X δ‖², as Learning builds it), and a sparse
Gaussian Ising model (N(0, 1) fields and couplings, degree 8).

The earlier rule (DESIGN.md, "Default β range", before issue 22): hot
β = ln 2 / (2 max_i S_i), S_i the total |bias| touching spin i; cold
β = ln(N_min / 0.01) / (2 min_i m_i), m_i the smallest non-zero |bias|
touching i and N_min how many spins share the global minimum. SQA's earlier
defaults: β = min(that cold β, P/σ), Γ from max_i S_i to min(Γ_high, 0.01 P/β).
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile


def spin_form(anneal, path, fmt, work):
    """h, J (dict of pairs) of the model's spin form, via `anneal convert`."""
    out = os.path.join(work, os.path.basename(path) + ".spin.coo")
    if not os.path.exists(out):
        subprocess.run(
            [anneal, "convert", path, out, "--format", fmt, "--to", "coo", "--vartype", "SPIN"],
            check=True, capture_output=True)
    h, J = {}, {}
    with open(out) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            a, b, w = line.split()
            a, b, w = int(a), int(b), float(w)
            if a == b:
                h[a] = h.get(a, 0.0) + w
            else:
                key = (min(a, b), max(a, b))
                J[key] = J.get(key, 0.0) + w
    return h, J


def old_rule(h, J):
    nodes = set(h) | {u for e in J for u in e}
    S = {i: abs(h.get(i, 0.0)) for i in nodes}
    m = {i: (abs(h[i]) if h.get(i, 0.0) != 0 else math.inf) for i in nodes}
    var = {i: h.get(i, 0.0) ** 2 for i in nodes}
    for (u, v), w in J.items():
        a = abs(w)
        for i in (u, v):
            S[i] += a
            var[i] += a * a
            if 0 < a < m[i]:
                m[i] = a
    max_s = max(S.values())
    min_m = min(m.values())
    count = sum(1 for i in nodes if m[i] == min_m)
    hot = math.log(2) / (2 * max_s)
    cold = max(hot, math.log(count / 0.01) / (2 * min_m))
    sigma = math.sqrt(sum(var.values()) / len(nodes))
    return hot, cold, max_s, sigma


def solve(anneal, path, fmt, args, seed):
    cmd = [anneal, "solve", path, "--format", fmt, "--seed", str(seed), "--json"] + args
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"defaults_check: {' '.join(cmd)} failed:\n{r.stderr}")
    return json.loads(r.stdout)


def planted(path, L=10, loops=300, seed=5):
    """Frustrated loops on an L×L×L periodic lattice (planted all-up state)."""
    rng = random.Random(seed)
    idx = lambda x, y, z: (x % L) * L * L + (y % L) * L + (z % L)
    J = {}
    for _ in range(loops):
        # A random closed walk of length 4..12 that does not revisit a site.
        for _attempt in range(100):
            x, y, z = rng.randrange(L), rng.randrange(L), rng.randrange(L)
            walk, pos = [idx(x, y, z)], (x, y, z)
            ok = False
            for _step in range(12):
                d = rng.choice([(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)])
                pos = (pos[0] + d[0], pos[1] + d[1], pos[2] + d[2])
                k = idx(*pos)
                if k == walk[0] and len(walk) >= 4:
                    ok = True
                    break
                if k in walk:
                    break
                walk.append(k)
            if ok:
                break
        else:
            continue
        edges = [(walk[i], walk[(i + 1) % len(walk)]) for i in range(len(walk))]
        bad = rng.randrange(len(edges))
        for i, (u, v) in enumerate(edges):
            key = (min(u, v), max(u, v))
            # Ferromagnetic (−1 in E = Σ J s s) except one frustrated edge.
            J[key] = J.get(key, 0.0) + (1.0 if i == bad else -1.0)
    with open(path, "w") as f:
        f.write("# vartype=SPIN\n")
        for (u, v), w in sorted(J.items()):
            if w != 0:
                f.write(f"{u} {v} {w:g}\n")


def quantization(path, d=96, m=256, seed=7):
    """The rounding QUBO of one output of a dense layer: b ∈ {0,1}^d picks
    floor or ceil of w/Δ, δ = Δ(floor + b) − w, minimise ‖X δ‖²."""
    rng = random.Random(seed)
    X = [[rng.gauss(0, 1) for _ in range(d)] for _ in range(m)]
    w = [rng.gauss(0, 0.3) for _ in range(d)]
    step = 0.05
    lo = [math.floor(wj / step) * step - wj for wj in w]  # δ when b_j = 0
    H = [[sum(X[r][i] * X[r][j] for r in range(m)) / m for j in range(d)] for i in range(d)]
    # δ_j = lo_j + step b_j; ‖Xδ‖² = Σ_ij H_ij δ_i δ_j (constant dropped).
    with open(path, "w") as f:
        f.write("# vartype=BINARY\n")
        for i in range(d):
            lin = step * step * H[i][i] + 2 * step * sum(H[i][j] * lo[j] for j in range(d))
            f.write(f"{i} {i} {lin:.12g}\n")
            for j in range(i + 1, d):
                f.write(f"{i} {j} {2 * step * step * H[i][j]:.12g}\n")


def gaussian(path, n=2000, degree=8, seed=11):
    rng = random.Random(seed)
    J = {}
    while len(J) < n * degree // 2:
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v:
            J[(min(u, v), max(u, v))] = rng.gauss(0, 1)
    with open(path, "w") as f:
        f.write("# vartype=SPIN\n")
        for i in range(n):
            f.write(f"{i} {i} {rng.gauss(0, 1):.12g}\n")
        for (u, v), w in sorted(J.items()):
            f.write(f"{u} {v} {w:.12g}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", nargs="?", default=os.environ.get("ANNEAL_BENCHMARKS"))
    ap.add_argument("--anneal", default=".build/release/anneal")
    ap.add_argument("--reads", type=int, default=32)
    ap.add_argument("--sweeps", type=int, default=1000)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--samplers", default="sa")
    ap.add_argument("--trotter", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--instances", default=None, help="comma-separated names to run")
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    if not a.bench:
        sys.exit("defaults_check: give BENCHMARKS or set ANNEAL_BENCHMARKS")
    work = a.work or tempfile.mkdtemp(prefix="defaults-check-")
    os.makedirs(work, exist_ok=True)
    b = a.bench
    own = {
        "planted-3d": (os.path.join(work, "planted3d.coo"), planted),
        "quantization-qubo": (os.path.join(work, "quant.coo"), quantization),
        "gaussian-2000": (os.path.join(work, "gauss2000.coo"), gaussian),
    }
    for path, make in own.values():
        if not os.path.exists(path):
            make(path)
    instances = [
        ("G1 (random)", f"{b}/gset/G1", "gset"),
        ("G11 (toroidal)", f"{b}/gset/G11", "gset"),
        ("G14 (planar)", f"{b}/gset/G14", "gset"),
        ("G22 (random)", f"{b}/gset/G22", "gset"),
        ("G55 (random sparse)", f"{b}/gset/G55", "gset"),
        ("K2000", f"{b}/k2000/WK2000_1.rud", "gset"),
        ("bqp250_1", f"{b}/beasley/split/bqp250_1.txt", "bqp"),
        ("bqp1000_1", f"{b}/beasley/split/bqp1000_1.txt", "bqp"),
    ] + [(name, path, "coo") for name, (path, _) in own.items()]
    instances = [i for i in instances if i[1]]
    if a.instances:
        keep = a.instances.split(",")
        instances = [i for i in instances if any(i[0].startswith(k) for k in keep)]
    seeds = [int(s) for s in a.seeds.split(",")]
    print(f"reads {a.reads} × seeds {a.seeds}, {a.sweeps} sweeps, {a.threads} threads; "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    print("| instance | sampler | old β / Γ | new β / Γ | mean E old | mean E new | (new − old) / se | best old | best new |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, path, fmt in instances:
        if not os.path.exists(path):
            print(f"| {name} | skipped: {path} missing |", flush=True)
            continue
        h, J = spin_form(a.anneal, path, fmt, work)
        hot, cold, max_s, sigma = old_rule(h, J)
        for sampler in a.samplers.split(","):
            common = ["--sampler", sampler, "--reads", str(a.reads), "--sweeps", str(a.sweeps),
                      "--threads", str(a.threads)]
            if sampler == "sa":
                old = ["--beta-range", f"{hot!r},{cold!r}", "--parameters", '{"sweeps_per_beta": 1}']
                old_desc = f"β {hot:.3g}→{cold:.3g}"
            elif sampler == "pt":
                old = ["--beta-range", f"{hot!r},{cold!r}"]
                old_desc = f"β {hot:.3g}→{cold:.3g}"
            else:
                p = a.trotter
                beta = min(cold, p / sigma) if sigma > 0 else cold
                low = min(max_s, 0.01 * p / beta)
                common += ["--trotter", str(p)]
                old = ["--beta", f"{beta!r}", "--gamma-range", f"{max_s!r},{low!r}"]
                old_desc = f"β {beta:.3g}, Γ {max_s:.3g}→{low:.3g}"
            e_old, e_new, new_desc = [], [], ""
            for s in seeds:
                r_old = solve(a.anneal, path, fmt, common + old, s)
                r_new = solve(a.anneal, path, fmt, common, s)
                e_old += r_old["energies"]
                e_new += r_new["energies"]
                info = r_new.get("info", {})
                if "beta_range" in info:
                    lo, hi = info["beta_range"]
                    new_desc = f"β {lo:.3g}→{hi:.3g}"
                elif sampler == "sqa":
                    new_desc = "defaults"
            mo, mn = statistics.mean(e_old), statistics.mean(e_new)
            se = math.sqrt(statistics.pvariance(e_old) / len(e_old) + statistics.pvariance(e_new) / len(e_new))
            z = (mn - mo) / se if se > 0 else 0.0
            print(f"| {name} | {sampler} | {old_desc} | {new_desc} | {mo:.6g} | {mn:.6g} | {z:+.1f} | "
                  f"{min(e_old):.6g} | {min(e_new):.6g} |", flush=True)


if __name__ == "__main__":
    main()
