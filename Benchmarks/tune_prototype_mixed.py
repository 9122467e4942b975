#!/usr/bin/env python3
"""A Gaussian-process prototype for mixed spaces (issue 17, fourteenth round).

The project's default in spaces with ordered parameters (integers, float
grids, continuous floats) is the Bayesian quadratic regression on an
adaptive grid (docs/tuning.md). This prototype asks whether the neighbourhood
EI search that won on the boolean families carries over when the kernel sees
order: a Gaussian process with Optuna GP's kernel shape (Matern 5/2 on
r^2 = sum_i w_i d_i^2, d_i the difference of the values scaled to [0, 1]
for an ordered parameter (log-scaled for a log float), and 0/1 for a
categorical one), w_i and the noise fitted by tune_prototype_ard.py's MAP
fit, ten random start-up points, then the highest exact expected
improvement among

  - the unseen neighbours of every evaluated configuration, best first: one
    parameter moved by 1/2, 1/4, ... of its range down to one grid step,
    either way (a categorical: every other value);
  - --random K uniformly random configurations;
  - --climb K: from the K best of those, greedy moves of the same kind
    while EI grows (Optuna GP's local search, started from more places).

A continuous float is a grid of 1025 values here. Runs go to
results/prototype-runs.jsonl, compared by instance and seed with the
default's (anneal-tr) and Optuna GP's runs in runs.jsonl.

    ~/.cache/anneal-optuna/bin/python Benchmarks/tune_prototype_mixed.py \
        --families smooth6 --seeds 10 --jobs 2
"""
import argparse
import math
import multiprocessing
import os
import random
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tune_bench as tb  # noqa: E402
import tune_prototype_ard as ard  # noqa: E402
from tune_prototype import append_run, print_pairs, recorded  # noqa: E402

CONTINUOUS = 1025  # grid points of a continuous float
LIMIT = 8192  # neighbour candidates per step, best bases first


class Space:
    """Each parameter as an index 0..radix-1, ordered or not."""

    def __init__(self, params):
        self.params = params
        self.radix = [CONTINUOUS if q.kind == "float" else len(q.values) for q in params]
        self.ordered = np.array([q.kind in ("float", "ordered") for q in params])
        self.scale = np.array([1 / (r - 1) if o else 1.0 for r, o in zip(self.radix, self.ordered)])

    def value(self, k, i):
        q = self.params[k]
        if q.kind == "float":
            t = i / (CONTINUOUS - 1)
            if q.log:
                return math.exp(math.log(q.low) * (1 - t) + math.log(q.high) * t)
            return q.low + (q.high - q.low) * t
        if q.kind == "bool":
            return bool(i)
        return q.values[i]

    def values(self, x):
        return [self.value(k, i) for k, i in enumerate(x)]

    def random(self, rng):
        return tuple(rng.randrange(r) for r in self.radix)

    def moves(self, x):
        """Every configuration one parameter away (see the module comment)."""
        out = []
        for k, (r, o) in enumerate(zip(self.radix, self.ordered)):
            c = x[k]
            if not o or r <= 17:
                targets = [v for v in range(r) if v != c]
            else:
                steps, s = set(), (r - 1) // 2
                while s >= 1:
                    steps.add(s)
                    s //= 2
                steps.add(1)
                targets = sorted({min(max(c + d * s, 0), r - 1) for s in steps for d in (-1, 1)} - {c})
            for v in targets:
                z = list(x)
                z[k] = v
                out.append(tuple(z))
        return out

    def d2(self, a, b, squared=True):
        """Per-parameter squared distances (absolute ones if not `squared`),
        shape (len(a), len(b), p)."""
        a = np.asarray(a, float)[:, None, :]
        b = np.asarray(b, float)[None, :, :]
        diff = (a - b) * self.scale
        return np.where(self.ordered, diff * diff if squared else np.abs(diff),
                        (diff != 0).astype(float))


class MixedModel(ard.Model):
    """tune_prototype_ard.Model with the space's distances in place of the
    mismatch."""

    def __init__(self, space, noise="fit", shape="matern"):
        super().__init__(len(space.radix), shape, "ard", noise, 8.0)
        self.space = space

    def dist(self, a, b):
        return self.space.d2(a, b, squared=self.shape == "matern")


def run(evaluate, space, seed, budget, opts, startup=10):
    rng = random.Random(seed)
    seen, xs, ys = set(), [], []
    model = MixedModel(space, opts.noise, opts.shape)

    def evaluate_new(x):
        seen.add(x)
        xs.append(x)
        ys.append(evaluate(space.values(x)))

    while len(ys) < startup:
        x = space.random(rng)
        if x not in seen:
            evaluate_new(x)
    while len(ys) < budget:
        y = np.asarray(ys, float)
        finite = np.isfinite(y)
        y = np.where(finite, y, y[finite].max() if finite.any() else 0.0)
        yn = (y - y.mean()) / (y.std() + 1e-12)
        X = np.asarray(xs, float)
        model.fit(X, yn, opts.steps)
        model.condition(X, yn)
        cands, listed = [], set(seen)
        for b in np.argsort(y, kind="stable"):
            for z in space.moves(xs[int(b)]):
                if z not in listed:
                    listed.add(z)
                    cands.append(z)
            if len(cands) >= LIMIT:
                break
        for _ in range(opts.random):
            z = space.random(rng)
            if z not in listed:
                listed.add(z)
                cands.append(z)
        if not cands:
            cands = [space.random(rng)]
        lei = model.log_ei(cands)
        for start in np.argsort(-lei, kind="stable")[:opts.climb]:
            x, v = ard.ei_climb(cands[start], lei[start], space.moves, model.log_ei, seen, 50)
            if x not in listed:
                listed.add(x)
                cands.append(x)
                lei = np.append(lei, v)
        evaluate_new(cands[int(np.argmax(lei))])
    return ys


def job(args):
    family, name, seed, opts = args
    q = [q for q in tb.problems(opts.anneal, [family]) if q.name == name][0]
    return family, name, seed, run(q.evaluate, Space(q.params), seed, opts.budget, opts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="smooth6")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--noise", default="fit")
    ap.add_argument("--shape", default="matern", choices=("matern", "exp"),
                    help="Matern 5/2 of squared distances, or exp of absolute ones")
    ap.add_argument("--random", type=int, default=0)
    ap.add_argument("--climb", type=int, default=0)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--problems", default=None, help="only these instances (comma-separated)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--label", default=None)
    ap.add_argument("--anneal", default=os.path.join(HERE, "..", ".build", "release", "anneal"))
    opts = ap.parse_args()
    label = opts.label or (f"proto14-mixed-{opts.shape}-n{opts.noise}"
                          f"-r{opts.random}-c{opts.climb}")
    for family in opts.families.split(","):
        probs = [q for q in tb.problems(opts.anneal, [family]) if q.family == family
                 and (opts.problems is None or q.name in opts.problems.split(","))]
        tasks = [(family, q.name, s, opts) for q in probs
                 for s in range(opts.first_seed, opts.first_seed + opts.seeds)]
        mine = {}
        with multiprocessing.Pool(opts.jobs) as pool:
            for fam, name, seed, values in pool.imap_unordered(job, tasks):
                mine[(name, seed)] = values
                append_run(fam, label, name, seed, opts.budget, values)
                print(f"{name} seed {seed}: best {min(values):.6g}", flush=True)
        optimum = {}
        for q in probs:
            runs = [v for o in ("anneal-tr", "optuna-gp") for k, v in
                    recorded(family, o, opts.budget).items() if k[0] == q.name]
            runs += [v for k, v in mine.items() if k[0] == q.name]
            optimum[q.name] = q.optimum if q.optimum is not None else min(min(v) for v in runs)
        print_pairs(family, label, mine, optimum, opts.budget,
                    [(o, recorded(family, o, opts.budget)) for o in ("anneal-tr", "optuna-gp")])


if __name__ == "__main__":
    main()
