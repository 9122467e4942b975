#!/usr/bin/env python3
"""A Python prototype for issue 17, not a sampler of the project.

A Gaussian process over boolean configurations with the kernel
exp(-theta * d_H / p) (d_H the Hamming distance, p the number of bits),
expected improvement as the acquisition, and as candidates the unseen
one-flip neighbours of EVERY configuration evaluated so far (not only of
the incumbent). Ten random configurations start it, as Optuna GP's
start-up does. It runs on tune_bench.py's boolean families (same
instances, same optima) and writes its runs in runs.jsonl's format to
Benchmarks/results/prototype-runs.jsonl (sampler "proto-gp-nbhd"), then
prints, per family, its mean regret and the paired difference (by
instance and seed, mean +- 95 % t half-width) against the default sampler
("anneal-tr") and Optuna GP ("optuna-gp") as recorded in runs.jsonl.

    python3 Benchmarks/tune_prototype.py --families cubic24,labs,labs40,maxsat60,sparse64 \
        --seeds 20 [--theta 8] [--scope all|K]

--scope K takes the neighbours of the K best configurations only (1: the
incumbent's, as the project's samplers do). The acquisition here is
evaluated on an explicit candidate list; the project's samplers anneal a
QUBO instead (docs/tuning.md, "eleventh round").
"""
import argparse
import json
import math
import os
import random
import statistics
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tune_bench as tb  # noqa: E402

OUT = os.path.join(HERE, "results", "prototype-runs.jsonl")
NAME = "proto-gp-nbhd"
# The grid for --theta 0 (θ by the marginal likelihood).
THETAS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


def normal_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))


def normal_pdf(z):
    return np.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def unseen_neighbours(xs, bases, seen):
    """The unseen one-flip neighbours (rows of +-1) of xs[b] for b in bases,
    in that order, each once."""
    cands, listed = [], set()
    for b in bases:
        base = list(xs[int(b)])
        for i in range(len(base)):
            z = base.copy()
            z[i] = -z[i]
            t = tuple(z)
            if t not in seen and t not in listed:
                listed.add(t)
                cands.append(z)
    return cands


def run(evaluate, p, seed, budget, theta, scope, startup=10, noise=1e-4, far=0):
    rng = random.Random(seed)
    far_rng = random.Random(1_000_003 * seed + 17)  # the start-up design stays the same
    seen, xs, ys = set(), [], []

    def evaluate_new(x):
        x = tuple(x)
        seen.add(x)
        xs.append(x)
        ys.append(evaluate(x))

    for _ in range(startup):
        evaluate_new([rng.choice((-1, 1)) for _ in range(p)])

    def kernel(a, b):  # a, b: rows of +-1; d_H = (p - a.b) / 2
        return np.exp(-theta * (p - a @ b.T) / (2 * p))

    def fit(a, yn, th):
        k = np.exp(-th * (p - a @ a.T) / (2 * p)) + noise * np.eye(len(yn))
        chol = np.linalg.cholesky(k)
        alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, yn))
        evidence = -0.5 * yn @ alpha - np.log(np.diag(chol)).sum()
        return evidence, chol, alpha

    while len(ys) < budget:
        a = np.asarray(xs, float)
        y = np.asarray(ys)
        mu, sd = y.mean(), y.std() + 1e-12
        yn = (y - mu) / sd
        if theta > 0:
            _, chol, alpha = fit(a, yn, theta)
        else:  # θ by the marginal likelihood over a grid
            best = max((fit(a, yn, th) + (th,) for th in THETAS), key=lambda r: r[0])
            _, chol, alpha, th = best
            kernel = (lambda t: lambda u, w: np.exp(-t * (p - u @ w.T) / (2 * p)))(th)
        order = np.argsort(y, kind="stable")
        cands = unseen_neighbours(xs, order if scope == "all" else order[:int(scope)], seen)
        # --far K: K uniformly random configurations join the candidates
        # (Optuna GP's quasi-random candidates are of this kind).
        for _ in range(far):
            z = [far_rng.choice((-1, 1)) for _ in range(p)]
            if tuple(z) not in seen:
                cands.append(z)
        if not cands:
            cands = [[rng.choice((-1, 1)) for _ in range(p)]]
        c = np.asarray(cands, float)
        k = kernel(c, a)
        mean = k @ alpha
        v = np.linalg.solve(chol, k.T)
        s = np.sqrt(np.maximum(1 - np.sum(v * v, 0), 1e-12))
        z = (yn.min() - mean) / s
        ei = s * (z * normal_cdf(z) + normal_pdf(z))
        evaluate_new(cands[int(np.argmax(ei))])
    return ys


def recorded(family, sampler, budget, path=os.path.join(HERE, "results", "runs.jsonl")):
    """{(problem, seed): values} of `sampler`'s runs in `path` (none if the
    file does not exist)."""
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        d = json.loads(line)
        if d.get("family") == family and d.get("sampler") == sampler and d.get("budget") == budget:
            out[(d["problem"], d["seed"])] = d["values"]
    return out


def append_run(family, label, problem, seed, budget, values):
    """One run in runs.jsonl's format, appended to OUT."""
    with open(OUT, "a") as out:
        out.write(json.dumps({"problem": problem, "family": family, "sampler": label,
                              "seed": seed, "budget": budget, "values": values}) + "\n")


def print_pairs(family, label, mine, optimum, budget, references):
    """Mean regret of `mine` ({(problem, seed): values}) at 25, 50 and
    `budget`, and the paired difference (mean +- 95 % t half-width) against
    each (name, {(problem, seed): values}) in `references` that shares runs."""
    print(f"{family} ({len(mine)} runs, {label}):")
    for k in (25, 50, budget):
        regret = [best_at(v, k) - optimum[key[0]] for key, v in mine.items()]
        row = f"  at {k}: regret {statistics.mean(regret):.4g}"
        for name, rec in references:
            diffs = [best_at(v, k) - best_at(rec[key], k) for key, v in mine.items() if key in rec]
            m, h = tb.mean_ci(diffs) if diffs else (math.nan, math.nan)
            row += f"; minus {name} {m:+.3g} ± {h:.2g} ({len(diffs)} pairs)"
        print(row, flush=True)


def best_at(values, k):
    return min(v for v in values[:k] if v is not None and math.isfinite(v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="cubic24,labs,labs40,maxsat60,sparse64")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--theta", type=float, default=8.0,
                    help="kernel scale; 0 chooses it by the marginal likelihood each step")
    ap.add_argument("--scope", default="all")
    ap.add_argument("--far", type=int, default=0,
                    help="this many random configurations join the candidates each step")
    ap.add_argument("--anneal", default=os.path.join(HERE, "..", ".build", "release", "anneal"))
    args = ap.parse_args()
    label = NAME if (args.theta, args.scope) == (8.0, "all") else \
        f"{NAME}-t{args.theta:g}-s{args.scope}"
    if args.far:
        label += f"-far{args.far}"
    for family in args.families.split(","):
        probs = [q for q in tb.problems(args.anneal, [family]) if q.family == family]
        if any(q_.kind != "bool" for q in probs for q_ in q.params):
            sys.exit(f"{family}: the prototype takes boolean parameters only")
        mine = {}
        for q in probs:
            p = len(q.params)
            f = (lambda prob: lambda x: prob.evaluate([v > 0 for v in x]))(q)
            for seed in range(1, args.seeds + 1):
                values = run(f, p, seed, args.budget, args.theta, args.scope, far=args.far)
                mine[(q.name, seed)] = values
                append_run(family, label, q.name, seed, args.budget, values)
        print_pairs(family, label, mine, {q.name: q.optimum for q in probs}, args.budget,
                    [(o, recorded(family, o, args.budget)) for o in ("anneal-tr", "optuna-gp")]
                    + [(NAME, recorded(family, NAME, args.budget, OUT))])


if __name__ == "__main__":
    main()
