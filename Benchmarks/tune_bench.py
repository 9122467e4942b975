#!/usr/bin/env python3
"""Hyperparameter-search samplers at equal evaluation budgets (issue 10).

Samplers, each given the same search space and the same budget:
  anneal-tr         the default (`trust-region`: Bayesian quadratic regression,
                    posterior mean, in a trust region; issue 17, second round;
                    localised to the windows of continuous parameters, third;
                    with fine parameters a success needs a gain of 10⁻³ of the
                    incumbent and the region collapses at 0.4 % of the range,
                    fourth; a collapsed region regrows around the incumbent
                    where every parameter is shown whole, sixth; in spaces of
                    booleans and categoricals, a Hamming-kernel GP's expected
                    improvement over the annealed reads of its mean and the
                    unseen one-parameter neighbours of every evaluated
                    configuration, twelfth; where a parameter is ordered, a
                    Matérn GP, fifteenth; the Hamming kernel a fitted weight
                    per parameter when its Laplace evidence beats the fixed
                    kernel's, up to 64 parameters, seventeenth)
  anneal-tr-r16     the default of rounds 15–16 (`model: gp-ei`: the fixed
                    Hamming kernel): its runs on the boolean families of at
                    most 64 parameters (the only ones the seventeenth round
                    changed), renamed from anneal-tr, and rerunnable under
                    this name
  anneal-tr-r11     the eleventh round's default, the regression everywhere
                    (`model: bqr`): its runs on the boolean families (the
                    only ones the twelfth round changed), renamed from
                    anneal-tr, and rerunnable under this name
  anneal-tr-r5      records only: the fifth round's default, before a collapse
                    regrew the region where every parameter is shown whole
                    (the same proposals on spaces with windowed parameters,
                    so only its boolean families' runs are kept under this
                    name)
  anneal-tr-ard     records only: `model: hamming-ard` of commit 854a05a
                    (reverted): the booleans' neighbourhood search ranked
                    with a weight per parameter (prior width 0.75), scale
                    and noise fitted; cubic24 and labs40 (sixteenth round)
  anneal-tr-r2      records only: the second round's default, without the third
                    round's localised noise (the same proposals on spaces
                    without continuous or fine parameters, so only its
                    smooth6, mlp and hgb runs are kept under this name)
  anneal-tr-r4a     records only: the fourth round's first default (success
                    margin, collapse at ±0.4 %, noise down to 10⁻⁸, prior
                    scales up to 1, for continuous floats); smooth6 and hgb
  anneal-tr-r3      records only: the third round's default, before the fourth
                    round's success margin and earlier collapse for fine
                    parameters (the same proposals on spaces without fine
                    parameters, so only its smooth6, mlp and hgb runs are kept
                    under this name)
  anneal-tr-switch  `trust-region` with `model: bqr-switch`: a posterior draw
                    instead of the mean when the fit's leave-one-out rank
                    correlation is below 0.5 (issue 17, fourth round; an
                    option, measured on LABS, cubic and MaxSAT)
  anneal-tr-near    `trust-region` with `nearest_first_below: 0.5`: when the
                    fit's leave-one-out rank correlation is below 0.5, the
                    unseen candidates nearest the incumbent first, each shell
                    in the model's order (issue 17, fifth round; measured on
                    LABS, cubic and MaxSAT)
  anneal-tr-regrow  `trust-region` with `regrow_at_best: true`: a collapsed
                    region regrows to its initial radius around the incumbent
                    instead of restarting at random (issue 17, fifth round;
                    the default since the sixth where every parameter is
                    shown whole; its mlp runs predate that limit)
  anneal-tr-near-regrow  both: `nearest_first_below: 0.5, regrow_at_best: true`
  anneal-tr-hamq    `trust-region` with `hamming_noise: quadratic`: an
                    observation's noise times 1 + (d_H / r)², d_H its Hamming
                    distance from the incumbent over the parameters shown
                    whole, r the region's radius (issue 17, sixth round)
  anneal-tr-hame    `trust-region` with `hamming_noise: exponential`: exp(d_H / r)
  anneal-tr-hgp     `trust-region` with `model: hamming-gp`: a Gaussian process
                    with the kernel exp(-θ d_H / p), its mean expanded to second
                    order around the incumbent as the QUBO (issue 17, seventh
                    round; spaces of parameters shown whole)
  anneal-tr-bqrh    `trust-region` with `model: bqr-hamming`: the regression's
                    kernel plus h exp(-θ d_H / p) when the evidence rises, the
                    local term's mean expanded around the incumbent (seventh round)
  anneal-tr-r8      `trust-region` with `initial_radius: 0.125`: the region starts
                    (and regrows) at p/8 parameters instead of p/4 (seventh round)
  anneal-tr-ei      `trust-region` with `model: hamming-gp-ei`: the Hamming-kernel
                    GP's -log expected improvement, expanded to second order
                    around the incumbent, as the QUBO (seventh round)
  anneal-tr-cubic   `trust-region` with `model: bqr-cubic`: the regression's kernel
                    plus c C(s, 3) (every triple of bits) when the evidence rises,
                    the cubic part expanded around the incumbent (seventh round)
  anneal-tr-spin3, anneal-tr-spin34  the same with every triple of spins
                    (`model: bqr-spin3`), or triples and quadruples
                    (`model: bqr-spin34`): kernels of the bits' Hamming distance
  anneal-tr-jump2   `trust-region` with `jump_after: 2`: the second collapse at one
                    incumbent moves the region to the best evaluated configuration
                    beyond the initial radius of every incumbent it left (issue 17,
                    eighth round)
  anneal-tr-jump1   the same with `jump_after: 1`: at the first collapse
  anneal-tr-caution `trust-region` with `caution: 1`: candidates ranked by the
                    posterior mean plus one posterior standard deviation (ninth round)
  anneal-tr-s1      `trust-region` with `start_radius: 1`: the first region starts
                    at one changed parameter (not p/4) and grows by the usual
                    rule; collapses regrow to p/4 (tenth round)
  anneal-tr-s2      the same with `start_radius: 2`
  anneal-tr-rone    `trust-region` with `initial_radius: 0.001`: the region starts
                    and regrows at one changed parameter (tenth round)
  anneal-tr-s1r8    `start_radius: 1, initial_radius: 0.125`: the first region at
                    one parameter, regrowths at p/8 (tenth round)
  anneal-tr-polish  `trust-region` with `polish_starts: 4`: the 4 best-predicted
                    candidates' continuous parameters polished on the model
                    between the grid's levels (issue 17, third round; worse
                    on smooth6, so not the default)
  anneal-tr-r1      records only: the first round's default (4 bootstrap FMs
                    averaged, one-hot windows for fine parameters); not re-run
  anneal-trfm       `trust-region` with `model: fm` (4 bootstrap FMs averaged, the
                    continuous features of this round)
  anneal-random, anneal-fm, anneal-bocs  `anneal tune` (release build), one
                    process per evaluation (awk, or `anneal train`)
  optuna-random, optuna-tpe (multivariate=True),
  optuna-gp (deterministic_objective=True where the objective is; needs torch)
  sa                plain simulated annealing on the black-box objective
                    (below: one-parameter moves, Metropolis on evaluated values)

Problems (every parameter boolean unless said):
  labs-N       low-autocorrelation binary sequences, N = 20..24 (the five
               "instances" are the five lengths); minimise the sidelobe energy;
               exact optima by enumeration (numpy)
  cubic24-I    random sparse cubic pseudo-Boolean functions of 24 spins
               (I = 1..5): 24 linear, 24 pairwise and 32 cubic terms with
               normal coefficients; exact optima by enumeration
  sparse64-I   random sparse Ising spin glasses of 64 spins (I = 1..5): 96
               random couplings and fields, normal; best known value from long
               `anneal solve` runs (SA and parallel tempering, several seeds)
  smooth6-I    a smooth function of six continuous parameters (I = 1..5): two
               on log scales, four linear, a shifted quadratic bowl in the
               unit coordinates with a cross term and a cosine ripple; given
               to every sampler as continuous floats (no grid: `anneal tune`
               gets `{type: float, low, high[, log]}` without steps, Optuna
               `suggest_float`); optimum 0 by construction. Plain SA moves on
               a 64-point grid per parameter.
  smooth12-I   the same form over 12 continuous parameters (smooth 6's six
               twice, its own centres and scales; I = 1..5)
  smooth6n-I   smooth6-I plus Gaussian noise of sd 0.01 per evaluation (drawn
               from the run's seed and the values, so a rerun is the same run;
               Optuna's GP without deterministic_objective, ours without
               `deterministic: true`); regret is the noiseless value of the
               configuration with the best observed value
  mlp-wine     `anneal train` on wine: hidden width, activation, L2 weight and
               BFGS iteration cap; metric test_loss (cross-entropy on the
               held-out 25%); training seed fixed, so the objective is
               deterministic; "regret" is the gap to the best value any run found

Each run is one study of --budget evaluations; the best value after 50 and
after 100 evaluations comes from the same run (no sampler knows the budget).
Runs append to Benchmarks/results/runs.jsonl and a rerun skips those already
there, so an interrupted benchmark resumes. Then the summary (mean regret with
95% t-intervals, paired differences of --ours against every other sampler over
the same instance and seed, seconds per proposal) goes to
Benchmarks/results/summary.json (with TUNE_BENCH_RUNS=FILE: FILE's runs and a
summary beside it) and a markdown table to stdout.

  python3 Benchmarks/tune_bench.py [--jobs 2] [--seeds 5] [--max-minutes 60]
  python3 Benchmarks/tune_bench.py --report      # summary of what is there

The script makes a virtual environment with optuna, numpy and torch (the CPU
wheel index first, PyPI when that index is unreachable) in
~/.cache/anneal-optuna when it has none, and re-runs itself there.

Plain SA on the objective: the state is one index per parameter; a move
changes one parameter chosen uniformly (a boolean flips, an ordered parameter
steps to a neighbouring grid value, a categorical takes another value). A
configuration already evaluated is looked up, not evaluated again, so the
budget counts distinct evaluations as for the other samplers. The temperature
makes a typical uphill step (the median of the uphill differences seen so far)
accepted with probability 0.5 at the first evaluation, falling geometrically
to 0.01 at the last: T_k = med / ln(1 / p_k), p_k = 0.5 · 0.02^(k / (B - 1)).
"""
import argparse
import copy
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

VENV = os.path.expanduser("~/.cache/anneal-optuna")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
RUNS = os.environ.get("TUNE_BENCH_RUNS", os.path.join(RESULTS, "runs.jsonl"))
KNOWN = os.path.join(RESULTS, "optima.json")
SAMPLERS = [
    "anneal-tr", "anneal-tr-gp", "anneal-tr-gpd", "anneal-tr-r13", "anneal-tr-r16", "anneal-tr-ard", "anneal-tr-r5", "anneal-tr-r4a", "anneal-tr-r3", "anneal-tr-r2", "anneal-tr-r1", "anneal-tr-switch", "anneal-tr-near", "anneal-tr-regrow", "anneal-tr-near-regrow", "anneal-tr-hamq", "anneal-tr-hame", "anneal-tr-hgp", "anneal-tr-bqrh", "anneal-tr-r8", "anneal-tr-ei", "anneal-tr-cubic", "anneal-tr-spin3", "anneal-tr-spin34", "anneal-tr-polish", "anneal-tr-caution", "anneal-tr-s1", "anneal-tr-s2", "anneal-tr-rone", "anneal-tr-s1r8", "anneal-tr-r11", "anneal-trfm", "anneal-tr1", "anneal-fm-diag", "anneal-random",
    "anneal-fm", "anneal-bocs",
    "optuna-random", "optuna-tpe", "optuna-gp", "sa",
]
FAMILIES = {
    "labs": "LABS n=20..24 (exact optima)",
    "cubic24": "sparse cubic, 24 bits (exact optima)",
    "sparse64": "sparse Ising, 64 bits (best known)",
    "sparse128": "sparse Ising, 128 bits (best known)",
    "sparse256": "sparse Ising, 256 bits (best known)",
    "mlp": "MLP on wine, test loss (gap to best found)",
    "smooth6": "smooth, 6 continuous parameters (optimum 0)",
    "smooth12": "smooth, 12 continuous parameters (optimum 0)",
    "smooth6n": "smooth 6 plus Gaussian noise (sd 0.01), regret of the incumbent's noiseless value",
    "maxsat60": "weighted MaxSAT, 60 variables (exact optima, HiGHS MILP)",
    "labs40": "LABS n=40,45,50,55,60 (optimal energies, Packebusch & Mertens 2016)",
    "hgb": "HistGradientBoosting on breast cancer, 5-fold CV log loss (gap to best found)",
}

# Optimal LABS energies E*(n), Packebusch & Mertens, "Low autocorrelation
# binary sequences", J. Phys. A 49 (2016) 165001, table 1 (exhaustive search).
LABS_OPTIMA = {40: 108, 45: 118, 50: 153, 55: 171, 60: 218}


# ---------------------------------------------------------------- environment

def pip(*args):
    py = os.path.join(VENV, "bin", "python")
    return subprocess.call([py, "-m", "pip", "install", "-q", *args]) == 0


def ensure_env():
    """Runs in the venv with optuna and numpy; installs torch when missing."""
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        py = os.path.join(VENV, "bin", "python")
        if not os.path.exists(py):
            subprocess.check_call([sys.executable, "-m", "venv", VENV])
        os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])
    try:
        import numpy  # noqa: F401
        import optuna  # noqa: F401
        import scipy  # noqa: F401  (GPSampler's acquisition search over continuous floats)
    except ImportError:
        if not pip("optuna", "numpy", "scipy"):
            sys.exit("could not install optuna, numpy and scipy into " + VENV)
    try:
        import greenlet  # noqa: F401  (GPSampler's batched L-BFGS-B; without it, sequential and slower)
    except ImportError:
        if not pip("greenlet"):
            print("greenlet could not be installed: optuna-gp runs its slower sequential "
                  "acquisition search", file=sys.stderr)
    try:
        import sklearn  # noqa: F401  (the hgb family)
    except ImportError:
        if not pip("scikit-learn"):
            print("scikit-learn could not be installed: the hgb family fails", file=sys.stderr)
    try:
        import torch  # noqa: F401
    except ImportError:
        cpu = "https://download.pytorch.org/whl/cpu"
        ok = pip("--timeout", "20", "--retries", "1", "torch", "--index-url", cpu)
        if not ok:
            print("torch: the CPU wheel index is unreachable; trying PyPI", file=sys.stderr)
            ok = pip("torch")
        if not ok:
            print("torch could not be installed: optuna-gp is skipped", file=sys.stderr)


def have_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


# ------------------------------------------------------------------- problems

class Param:
    """One parameter: its name, grid of values (as given to the command) and
    kind: bool, ordered (int or float grid), categorical or float (continuous:
    `low`, `high`, `log`; `values` is then the grid plain SA walks on)."""

    def __init__(self, name, values, kind, spec, low=None, high=None, log=False):
        self.name, self.values, self.kind, self.spec = name, values, kind, spec
        self.low, self.high, self.log = low, high, log


class Problem:
    def __init__(self, name, family, params, command, metric, evaluate, optimum, truth=None):
        self.name, self.family, self.params = name, family, params
        self.command, self.metric = command, metric
        self.evaluate = evaluate  # list of values -> float
        self.optimum = optimum  # None: best found by any run
        # A noisy problem's noiseless value (list of values -> float): the
        # samplers see `evaluate`, regret is `truth` at their incumbent. The
        # noise depends on the run's seed (NOISE_SEED here, @SEED@ in the
        # command), so the samplers see the same noise for the same seed
        # and configuration.
        self.truth = truth
        self.deterministic = truth is None


def incumbent_values(r, b):
    """The value a run's incumbent after b evaluations has: the best of its
    values, or for a noisy run the noiseless value of the configuration
    with the best observed one."""
    if "observed" not in r:
        return min(r["values"][:b])
    obs = r["observed"][:b]
    return r["values"][min(range(len(obs)), key=lambda k: obs[k])]


def bool_params(n):
    return [Param(f"x{i}", [False, True], "bool", "{type: bool}") for i in range(n)]


def labs_energy(bits):
    s = [1 if b else -1 for b in bits]
    n = len(s)
    return float(sum(sum(s[i] * s[i + k] for i in range(n - k)) ** 2 for k in range(1, n)))


def labs_optimum(n):
    import numpy as np
    best = None
    chunk = 1 << 16
    for start in range(0, 1 << n, chunk):
        idx = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        s = (1 - 2 * ((idx[:, None] >> np.arange(n)) & 1)).astype(np.int32)
        e = np.zeros(len(idx), dtype=np.int64)
        for k in range(1, n):
            c = (s[:, : n - k] * s[:, k:]).sum(axis=1)
            e += c * c
        m = int(e.min())
        best = m if best is None else min(best, m)
    return float(best)


def random_terms(n, seed, linear, pairs, triples):
    import numpy as np
    rng = np.random.default_rng(seed)
    terms = []
    for i in rng.choice(n, size=linear, replace=False):
        terms.append((round(float(rng.normal(0, 0.5)), 4), (int(i),)))
    for order, count in ((2, pairs), (3, triples)):
        seen = set()
        while len(seen) < count:
            t = tuple(sorted(int(v) for v in rng.choice(n, size=order, replace=False)))
            if t not in seen:
                seen.add(t)
                terms.append((round(float(rng.normal(0, 1)), 4), t))
    return terms


def terms_energy(terms, bits):
    e = 0.0
    for c, idx in terms:
        for i in idx:
            c = c if bits[i] else -c
        e += c
    return e


def terms_optimum(terms, n):
    import numpy as np
    best = math.inf
    chunk = 1 << 20
    for start in range(0, 1 << n, chunk):
        idx = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        s = np.where(((idx[:, None] >> np.arange(n)) & 1) == 1, 1.0, -1.0)
        e = np.zeros(len(idx))
        for c, t in terms:
            e += c * np.prod(s[:, list(t)], axis=1)
        best = min(best, float(e.min()))
    return best


def write_atomic(path, text):
    """Writes an instance file by renaming a finished copy over it: every
    run of this script rewrites the instances, and a study of another run
    that read one while it was truncated scored a configuration 0 (issue
    17, eighth round: three runs, found by their exact zeros)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def write_terms(path, terms, header):
    write_atomic(path, f"# {header}\n" + "".join(f"{c} {' '.join(map(str, t))}\n"
                                                for c, t in terms))


def best_known_ising(path_coo, anneal):
    """The lowest energy of several long `anneal solve` runs (SA and PT)."""
    best = math.inf
    for sampler, seed in (("sa", 1), ("sa", 2), ("pt", 3)):
        out = subprocess.run(
            [anneal, "solve", path_coo, "--sampler", sampler, "--reads", "64",
             "--sweeps", "4000", "--seed", str(seed), "--threads", "1", "--json"],
            check=True, capture_output=True, text=True).stdout
        best = min(best, float(json.loads(out)["best_energy"]))
    return best


def log_grid(lo, hi, steps):
    return [lo if i == 0 else hi if i == steps - 1 else
            math.exp(math.log(lo) * (1 - i / (steps - 1)) + math.log(hi) * (i / (steps - 1)))
            for i in range(steps)]


def mlp_problem(anneal):
    widths = list(range(4, 65, 4))
    l2s = log_grid(1e-5, 1.0, 16)
    iters = list(range(25, 401, 25))
    params = [
        Param("width", widths, "ordered", "{type: int, low: 4, high: 64, step: 4}"),
        Param("act", ["tanh", "relu"], "categorical", "{type: categorical, values: [tanh, relu]}"),
        Param("l2", l2s, "ordered", "{type: float, low: 0.00001, high: 1.0, log: true, steps: 16}"),
        Param("iters", iters, "ordered", "{type: int, low: 25, high: 400, step: 25}"),
    ]
    base = [anneal, "train", "--dataset", "wine", "--seed", "1", "--json"]

    def evaluate(v):
        out = subprocess.run(
            base + ["--hidden", str(v[0]), "--activation", v[1], "--l2", repr(v[2]),
                    "--iterations", str(v[3])],
            capture_output=True, text=True)
        if out.returncode != 0:
            return math.inf
        return float(json.loads(out.stdout.strip().splitlines()[-1])["test_loss"])

    command = (f"{anneal} train --dataset wine --seed 1 --json --hidden {{width}} "
               "--activation {act} --l2 {l2} --iterations {iters}")
    return Problem("mlp-wine", "mlp", params, command, "test_loss", evaluate, None)


SMOOTH_BOUNDS = [("lr", 1e-5, 1.0, True), ("wd", 1e-6, 1e-1, True), ("a", 0.0, 1.0, False),
                 ("b", -2.0, 2.0, False), ("c", 0.0, 10.0, False), ("d", -1.0, 1.0, False)]


def smooth_bounds(d):
    """The parameters of a smooth function of d = 6 or 12 parameters: 12 is
    smooth 6's six twice (the second six named with a 2)."""
    return SMOOTH_BOUNDS if d == 6 else SMOOTH_BOUNDS + [
        (name + "2", lo, hi, log) for name, lo, hi, log in SMOOTH_BOUNDS]


def smooth_value(i, v):
    """The smooth6-I objective at parameter values v (pure Python, so that
    Benchmarks/smooth6.py starts fast as a trial's program); with 12 values,
    smooth12-I (the same form over 12 parameters, its own centres and
    scales)."""
    d = len(v)
    rng = random.Random(6000 + i if d == 6 else 1000 * d + i)
    center = [rng.uniform(0.15, 0.85) for _ in range(d)]
    scale = [rng.uniform(1.0, 4.0) for _ in range(d)]
    bounds = smooth_bounds(d)
    u = []
    for k, x in enumerate(v):
        _, lo, hi, log = bounds[k]
        t = ((math.log(x) - math.log(lo)) / (math.log(hi) - math.log(lo)) if log
             else (x - lo) / (hi - lo))
        u.append(t - center[k])
    bowl = sum(scale[k] * u[k] ** 2 for k in range(d)) + 1.5 * u[0] * u[1]
    return float(bowl + 0.05 * (1 - math.cos(6 * math.pi * u[2])))


# The noise of smooth6n: one standard deviation, about 0.5 % of the spread
# of smooth 6's values over the space (0.2–3), and about a hundred times the regret the
# best samplers reach there by 100 evaluations, so a sampler that believes
# its luckiest observation keeps a poor incumbent.
SMOOTH_NOISE = 0.01
NOISE_SEED = [0]  # the running run's seed, for the in-process samplers


def noisy_smooth_value(i, v, seed):
    """smooth6-I plus Gaussian noise of SMOOTH_NOISE, drawn from a generator
    seeded by the instance, the run's seed and the values (sha512 of the
    string: the same in every process)."""
    rng = random.Random(f"smooth6n {i} {seed} " + " ".join(repr(float(x)) for x in v))
    return smooth_value(i, v) + SMOOTH_NOISE * rng.gauss(0.0, 1.0)


def smooth_problem(i, noisy=False, d=6):
    params = []
    for name, lo, hi, log in smooth_bounds(d):
        grid = log_grid(lo, hi, 64) if log else [lo + (hi - lo) * t / 63 for t in range(64)]
        spec = f"{{type: float, low: {lo!r}, high: {hi!r}" + (", log: true}" if log else "}")
        params.append(Param(name, grid, "float", spec, lo, hi, log))
    args = " ".join(f"{{{p.name}}}" for p in params)
    if noisy:
        return Problem(f"smooth6n-{i}", "smooth6n", params,
                       f"python3 -S {HERE}/smooth6.py {i} {args} @SEED@", "loss",
                       lambda v: noisy_smooth_value(i, v, NOISE_SEED[0]), 0.0,
                       truth=lambda v: smooth_value(i, v))
    if d == 12:
        return Problem(f"smooth12-{i}", "smooth12", params,
                       f"python3 -S {HERE}/smooth6.py --dim 12 {i} {args}", "loss",
                       lambda v: smooth_value(i, v), 0.0)
    command = f"python3 -S {HERE}/smooth6.py {i} {args}"
    return Problem(f"smooth6-{i}", "smooth6", params, command, "loss",
                   lambda v: smooth_value(i, v), 0.0)


def maxsat_instance(i, n=60, m=300):
    """A random weighted 3-SAT formula (300 clauses over 60 variables, so
    over-constrained; weights 1..10), seed 60000 + i."""
    rng = random.Random(60000 + i)
    clauses = []
    for _ in range(m):
        vs = rng.sample(range(1, n + 1), 3)
        clauses.append((rng.randint(1, 10), [v if rng.random() < 0.5 else -v for v in vs]))
    return clauses


def maxsat_cost(clauses, bits):
    return float(sum(w for w, lits in clauses
                     if not any((bits[abs(l) - 1] if l > 0 else not bits[abs(l) - 1])
                                for l in lits)))


def maxsat_optimum(clauses, n):
    """The exact optimum as a 0/1 program solved by HiGHS (scipy.optimize.milp):
    x_i the assignment, z_c = 1 when clause c is given up; minimise Σ w_c z_c
    subject to Σ_{l ∈ c} lit(x) + z_c ≥ 1."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    m = len(clauses)
    cost = np.concatenate([np.zeros(n), [float(w) for w, _ in clauses]])
    a = np.zeros((m, n + m))
    lb = np.ones(m)
    for c, (_, lits) in enumerate(clauses):
        for l in lits:
            if l > 0:
                a[c, l - 1] += 1
            else:  # (1 - x) moves a constant 1 to the right-hand side
                a[c, -l - 1] -= 1
                lb[c] -= 1
        a[c, n + c] = 1
    res = milp(cost, constraints=LinearConstraint(a, lb, np.inf), integrality=np.ones(n + m),
               bounds=Bounds(0, 1))
    if not res.success:
        raise RuntimeError(f"HiGHS failed: {res.message}")
    x = [bool(round(v)) for v in res.x[:n]]
    value = maxsat_cost(clauses, x)
    assert abs(value - res.fun) < 1e-6, (value, res.fun)
    return value


HGB_PARAMS = [  # name, kind, spec pieces
    ("lr", "float", 0.01, 0.5, True),
    ("iters", "int", 20, 200, 10),
    ("leaves", "int", 4, 64, 1),
    ("min_leaf", "int", 2, 60, 1),
    ("l2", "float", 1e-6, 10.0, True),
    ("max_features", "float", 0.2, 1.0, False),
    ("bins", "categorical", ["32", "64", "128", "255"]),
]
_HGB_DATA = []


def hgb_value(args):
    """5-fold cross-validated log loss of HistGradientBoostingClassifier on
    scikit-learn's breast-cancer data (stratified folds, shuffled with seed
    0; the model's own seed fixed), so the objective is deterministic."""
    import warnings
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    warnings.filterwarnings("ignore")
    if not _HGB_DATA:
        _HGB_DATA.append(load_breast_cancer(return_X_y=True))
    x, y = _HGB_DATA[0]
    lr, iters, leaves, min_leaf, l2, mf, bins = args
    model = HistGradientBoostingClassifier(
        learning_rate=float(lr), max_iter=int(iters), max_leaf_nodes=int(leaves),
        min_samples_leaf=int(min_leaf), l2_regularization=float(l2),
        max_features=float(mf), max_bins=int(bins), early_stopping=False, random_state=0)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return float(-cross_val_score(model, x, y, cv=folds, scoring="neg_log_loss").mean())


def hgb_problem():
    params = []
    for name, kind, *rest in HGB_PARAMS:
        if kind == "float":
            lo, hi, log = rest
            grid = log_grid(lo, hi, 64) if log else [lo + (hi - lo) * t / 63 for t in range(64)]
            spec = f"{{type: float, low: {lo!r}, high: {hi!r}" + (", log: true}" if log else "}")
            params.append(Param(name, grid, "float", spec, lo, hi, log))
        elif kind == "int":
            lo, hi, step = rest
            params.append(Param(name, list(range(lo, hi + 1, step)), "ordered",
                                f"{{type: int, low: {lo}, high: {hi}, step: {step}}}"))
        else:
            params.append(Param(name, rest[0], "categorical",
                                "{type: categorical, values: [" + ", ".join(rest[0]) + "]}"))
    args = " ".join(f"{{{p.name}}}" for p in params)
    command = f"{sys.executable} {HERE}/hgb.py {args}"
    return Problem("hgb-cancer", "hgb", params, command, "loss",
                   lambda v: hgb_value([str(x) for x in v]), None)


def problems(anneal, families):
    """Every problem instance, with its optimum (cached in optima.json)."""
    os.makedirs(os.path.join(RESULTS, "instances"), exist_ok=True)
    known = json.load(open(KNOWN)) if os.path.exists(KNOWN) else {}
    out = []

    def remember(key, compute):
        if key not in known:
            t0 = time.time()
            known[key] = round(compute(), 6)
            print(f"{key}: optimum {known[key]} ({time.time() - t0:.0f} s)", file=sys.stderr)
            with open(KNOWN, "w") as f:
                json.dump(known, f, indent=1, sort_keys=True)
        return known[key]

    if "labs" in families:
        for n in range(20, 25):
            args = " ".join(f"{{x{i}}}" for i in range(n))
            out.append(Problem(
                f"labs-{n}", "labs", bool_params(n), f"awk -f {HERE}/labs.awk {args}", "energy",
                labs_energy, remember(f"labs-{n}", lambda: labs_optimum(n))))
    for fam, n, lin, pairs, triples in (("cubic24", 24, 24, 24, 32), ("sparse64", 64, 64, 96, 0),
                                        ("sparse128", 128, 128, 192, 0),
                                        ("sparse256", 256, 256, 384, 0)):
        if fam not in families:
            continue
        for i in range(1, 6):
            name = f"{fam}-{i}"
            terms = random_terms(n, 1000 * n + i, lin, pairs, triples)
            path = os.path.join(RESULTS, "instances", name + ".txt")
            write_terms(path, terms, f"{name}: coef i [j [k]] over spins s = ±1 (x = true is +1)")
            if fam == "cubic24":
                opt = remember(name, lambda: terms_optimum(terms, n))
            else:
                coo = os.path.join(RESULTS, "instances", name + ".coo")
                write_atomic(coo, "# vartype=SPIN\n" + "".join(f"{t[0]} {t[-1]} {c}\n"
                                                               for c, t in terms))
                opt = remember(name, lambda: best_known_ising(coo, anneal))
            args = " ".join(f"{{x{j}}}" for j in range(n))
            out.append(Problem(
                name, fam, bool_params(n), f"awk -f {HERE}/pbf.awk {path} {args}", "energy",
                (lambda tt: lambda bits: terms_energy(tt, bits))(terms), opt))
    if "labs40" in families:
        for n, e in LABS_OPTIMA.items():
            args = " ".join(f"{{x{i}}}" for i in range(n))
            out.append(Problem(
                f"labs-{n}", "labs40", bool_params(n), f"awk -f {HERE}/labs.awk {args}",
                "energy", labs_energy, remember(f"labs-{n}", lambda: float(e))))
    if "maxsat60" in families:
        for i in range(1, 6):
            name = f"maxsat60-{i}"
            clauses = maxsat_instance(i)
            path = os.path.join(RESULTS, "instances", name + ".wcnf")
            write_atomic(path, f"# {name}: weight then literals ±(variable+1), 60 variables\n"
                         + "".join(f"{w} {' '.join(map(str, lits))}\n" for w, lits in clauses))
            opt = remember(name, lambda: maxsat_optimum(clauses, 60))
            args = " ".join(f"{{x{j}}}" for j in range(60))
            out.append(Problem(
                name, "maxsat60", bool_params(60), f"awk -f {HERE}/maxsat.awk {path} {args}",
                "cost", (lambda cc: lambda bits: maxsat_cost(cc, bits))(clauses), opt))
    if "hgb" in families:
        out.append(hgb_problem())
    if "mlp" in families:
        out.append(mlp_problem(anneal))
    if "smooth6" in families:
        out += [smooth_problem(i) for i in range(1, 6)]
    if "smooth12" in families:
        out += [smooth_problem(i, d=12) for i in range(1, 6)]
    if "smooth6n" in families:
        out += [smooth_problem(i, noisy=True) for i in range(1, 6)]
    return out


# ------------------------------------------------------------------- samplers

# The `trust-region` samplers run: each one's `surrogate` options in the spec.
# Since the twelfth round the default (`anneal-tr`) ranks neighbourhoods by
# expected improvement in spaces of booleans and categoricals; the variants
# measured before pin `model: bqr`, the regression they were measured with.
# Variants measured before `regrow_at_best` became the default (sixth round)
# pin it off, so that rerunning a name reproduces its records (checked on
# labs-20 seed 1; anneal-tr1's five runs also predate an earlier change and
# part from a rerun at evaluation 82).
TRUST_REGION = {
    "anneal-tr": "startup_trials: 10",  # the default (and `deterministic: true` where the objective is)
    "anneal-tr1": "model: fm, startup_trials: 10, members: 1, regrow_at_best: false",  # one bootstrap fit (a Thompson draw)
    "anneal-tr-switch": "startup_trials: 10, model: bqr-switch, regrow_at_best: false",  # a posterior draw when the held-out fit is poor
    "anneal-tr-near": "startup_trials: 10, nearest_first_below: 0.5, regrow_at_best: false, model: bqr",  # nearest the incumbent first when the fit ranks badly
    "anneal-tr-regrow": "startup_trials: 10, regrow_at_best: true, model: bqr",  # a collapse regrows the region at the incumbent
    "anneal-tr-near-regrow": "startup_trials: 10, nearest_first_below: 0.5, regrow_at_best: true, model: bqr",  # both of the fifth round's options
    "anneal-tr-hamq": "startup_trials: 10, hamming_noise: quadratic, regrow_at_best: false, model: bqr",  # noise grows with Hamming distance, 1 + (d/r)^2
    "anneal-tr-hame": "startup_trials: 10, hamming_noise: exponential, regrow_at_best: false, model: bqr",  # noise grows with Hamming distance, exp(d/r)
    "anneal-tr-hgp": "startup_trials: 10, model: hamming-gp",  # a Hamming-kernel GP expanded around the incumbent
    "anneal-tr-bqrh": "startup_trials: 10, model: bqr-hamming",  # the regression plus a local Hamming residual term
    "anneal-tr-r8": "startup_trials: 10, initial_radius: 0.125, model: bqr",  # the region starts at p/8 parameters (p/4 by default)
    "anneal-tr-ei": "startup_trials: 10, model: hamming-gp-ei",  # the Hamming-kernel GP's -log EI, expanded around the incumbent
    "anneal-tr-cubic": "startup_trials: 10, model: bqr-cubic",  # the regression plus a cubic term over the bits
    "anneal-tr-spin3": "startup_trials: 10, model: bqr-spin3",  # the regression plus every triple of spins
    "anneal-tr-spin34": "startup_trials: 10, model: bqr-spin34",  # the regression plus triples and quadruples of spins
    "anneal-tr-jump2": "startup_trials: 10, jump_after: 2, model: bqr",  # the region moves to another basin after two collapses at one incumbent
    "anneal-tr-jump1": "startup_trials: 10, jump_after: 1, model: bqr",  # the same at the first collapse
    "anneal-tr-gp": "startup_trials: 10, model: gp-ei",  # fourteenth round: a Matérn GP over ordered distances (floats and integers)
    "anneal-tr-gpd": "startup_trials: 10, model: gp-ei, deterministic: true",  # the same, its noise pinned (the objective is deterministic)
    "anneal-tr-caution": "startup_trials: 10, caution: 1, model: bqr",  # candidates ranked by the posterior mean + 1 posterior sd
    "anneal-tr-s1": "startup_trials: 10, start_radius: 1, model: bqr",  # the first region starts at one parameter, regrows to p/4
    "anneal-tr-s2": "startup_trials: 10, start_radius: 2, model: bqr",  # the same at two
    "anneal-tr-rone": "startup_trials: 10, initial_radius: 0.001, model: bqr",  # the region starts and regrows at one parameter
    "anneal-tr-s1r8": "startup_trials: 10, start_radius: 1, initial_radius: 0.125, model: bqr",  # first region at one parameter, regrowths at p/8
    "anneal-tr-polish": "startup_trials: 10, polish_starts: 4, model: bqr",  # windowed parameters polished between levels
    "anneal-trfm": "model: fm, startup_trials: 10",  # the previous default: 4 bootstrap FMs averaged
    "anneal-tr-r11": "startup_trials: 10, model: bqr",  # the default until the twelfth round: the regression everywhere
    "anneal-tr-r13": "startup_trials: 10, model: hamming-ei",  # the default of rounds 12–14: the regression where a parameter is ordered
    "anneal-tr-r16": "startup_trials: 10, model: gp-ei",  # the default of rounds 15–16: the fixed Hamming kernel in spaces of booleans and categoricals
}


def anneal_run(problem, sampler, seed, budget, anneal, work):
    lines = "\n".join(f"  {p.name}: {p.spec}" for p in problem.params)
    if sampler in TRUST_REGION:
        model = "trust-region"
        options = TRUST_REGION[sampler]
        # The default is told what Optuna's GP is told: whether the
        # objective is deterministic (only the gp-ei search of ordered
        # spaces reads it).
        if sampler == "anneal-tr" and problem.deterministic:
            options += ", deterministic: true"
        surrogate = f"surrogate: {{{options}}}\n"
    else:
        model = {"anneal-random": None, "anneal-fm": "fm", "anneal-bocs": "bocs",
                 "anneal-fm-diag": "fm"}[sampler]
        surrogate = ""
        if model:
            enc = "binary" if all(p.kind == "bool" for p in problem.params) else "one-hot"
            surrogate = f"surrogate: {{model: {model}, encoding: {enc}, startup_trials: 10}}\n"
    name = "random" if model is None else model
    spec = (
        f"name: {problem.name}\ndirection: minimize\ntrials: {budget}\nseed: {seed}\n"
        f"sampler: {name}\n{surrogate}parameters:\n{lines}\n"
        f"command: {problem.command.replace('@SEED@', str(seed))}\n"
        f"metric: {problem.metric}\ntimeout: 120\n")
    path = os.path.join(work, f"{problem.name}-{sampler}-{seed}.yaml")
    with open(path, "w") as f:
        f.write(spec)
    out = subprocess.run(
        [anneal, "tune", path, "--json"], check=True, capture_output=True, text=True).stdout
    trials = sorted(json.loads(out)["trials"], key=lambda t: t["number"])
    values = [t["value"] if t["state"] == "complete" else math.inf for t in trials]
    props = [t.get("user_attrs", {}).get("propose_seconds") for t in trials]
    configs = [[t["params"].get(p.name) for p in problem.params] for t in trials]
    predicted = [t.get("user_attrs", {}).get("predicted") for t in trials]
    if problem.truth:
        TRUTHS.extend(problem.truth([float(x) for x in c]) for c in configs)
    return values, [p for p in props[10:] if p is not None], diagnose(problem, configs, values,
                                                                     predicted)


def spearman(a, b):
    """Spearman's rank correlation (average ranks for ties)."""
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    if len(a) < 3:
        return None
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.mean(ra), statistics.mean(rb)
    num = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    den = math.sqrt(sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))
    return num / den if den > 0 else None


def diagnose(problem, configs, values, predicted, startup=10):
    """Per run, over the proposals after the start-up design: the mean number
    of parameters changed from the incumbent of the moment, the share of
    near-duplicates (at most one parameter away from an earlier trial; for
    continuous parameters, "the same" is within 1 % of the range), and the
    rank correlation between the model's prediction (when the sampler notes
    one) and the value then measured."""
    def same(p, x, y):
        if p.kind == "float" and x is not None and y is not None:
            if p.log:
                x, y = math.log(x), math.log(y)
                return abs(x - y) <= 0.01 * (math.log(p.high) - math.log(p.low))
            return abs(x - y) <= 0.01 * (p.high - p.low)
        return x == y

    def dist(a, b):
        return sum(0 if same(p, x, y) else 1 for p, x, y in zip(problem.params, a, b))

    moves, near = [], 0
    for k in range(startup, len(configs)):
        done = [i for i in range(k) if math.isfinite(values[i])]
        if not done:
            continue
        inc = min(done, key=lambda i: values[i])
        moves.append(dist(configs[k], configs[inc]))
        if min(dist(configs[k], configs[i]) for i in range(k)) <= 1:
            near += 1
    pairs = [(p, v) for p, v in zip(predicted[startup:], values[startup:])
             if p is not None and math.isfinite(v)]
    rho = spearman([p for p, _ in pairs], [v for _, v in pairs]) if len(pairs) >= 3 else None
    n = max(1, len(configs) - startup)
    return {"incumbent_distance": statistics.mean(moves) if moves else None,
            "near_duplicate_rate": near / n, "rank_correlation": rho}


def optuna_run(problem, sampler, seed, budget):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if sampler == "optuna-tpe":
        s = optuna.samplers.TPESampler(multivariate=True, seed=seed)
    elif sampler == "optuna-gp":
        import torch
        torch.set_num_threads(1)
        s = optuna.samplers.GPSampler(seed=seed, deterministic_objective=problem.deterministic)
    else:
        s = optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=s)
    values, seconds = [], []
    # A journal of the trials so far (TUNE_BENCH_JOURNAL, a directory): a
    # long run (GP at 300 evaluations and 128 bits takes hours) that is
    # stopped resumes from its trials instead of starting again. A resumed
    # run is a valid run of the sampler but not the same run as an
    # uninterrupted one (the sampler's random state restarts).
    journal = None
    if os.environ.get("TUNE_BENCH_JOURNAL"):
        os.makedirs(os.environ["TUNE_BENCH_JOURNAL"], exist_ok=True)
        journal = os.path.join(os.environ["TUNE_BENCH_JOURNAL"],
                               f"{problem.name}-{sampler}-{seed}-{budget}.jsonl")
        if os.path.exists(journal):
            from optuna.distributions import (CategoricalDistribution, FloatDistribution,
                                              IntDistribution)
            dist = {}
            for p in problem.params:
                if p.kind == "float":
                    dist[p.name] = FloatDistribution(p.low, p.high, log=p.log)
                elif p.kind == "bool":
                    dist[p.name] = CategoricalDistribution([False, True])
                elif p.kind == "categorical":
                    dist[p.name] = CategoricalDistribution(p.values)
                else:
                    dist[p.name] = IntDistribution(0, len(p.values) - 1)
            with open(journal) as f:
                done = [json.loads(line) for line in f if line.strip()]
            study.add_trials([
                optuna.trial.create_trial(params=d["params"], distributions=dist,
                                          value=d["value"]) if d["value"] is not None else
                optuna.trial.create_trial(params=d["params"], distributions=dist,
                                          state=optuna.trial.TrialState.FAIL)
                for d in done])
            values += [d["value"] if d["value"] is not None else math.inf for d in done]
            seconds += [d["seconds"] for d in done]
    while len(values) < budget:
        t0 = time.perf_counter()
        trial = study.ask()
        config = []
        for p in problem.params:
            if p.kind == "float":
                config.append(trial.suggest_float(p.name, p.low, p.high, log=p.log))
            elif p.kind == "bool":
                config.append(trial.suggest_categorical(p.name, [False, True]))
            elif p.kind == "categorical":
                config.append(trial.suggest_categorical(p.name, p.values))
            else:  # an ordered grid: its index, so both samplers see the order
                config.append(p.values[trial.suggest_int(p.name, 0, len(p.values) - 1)])
        seconds.append(time.perf_counter() - t0)
        v = problem.evaluate(config)
        t0 = time.perf_counter()
        study.tell(trial, v if math.isfinite(v) else None,
                   state=None if math.isfinite(v) else optuna.trial.TrialState.FAIL)
        seconds[-1] += time.perf_counter() - t0
        values.append(v)
        if journal:
            with open(journal, "a") as f:
                f.write(json.dumps({"params": trial.params,
                                    "value": v if math.isfinite(v) else None,
                                    "seconds": seconds[-1]}) + "\n")
    if journal and os.path.exists(journal):
        os.remove(journal)
    return values, seconds[10:]


def sa_run(problem, seed, budget):
    rng = random.Random(seed)
    ps = problem.params
    space = math.prod(len(p.values) for p in ps)
    state = tuple(rng.randrange(len(p.values)) for p in ps)
    seen = {}
    values, seconds, uphill = [], [], []

    def value(idx):
        if idx not in seen:
            seen[idx] = problem.evaluate([p.values[i] for p, i in zip(ps, idx)])
            values.append(seen[idx])
        return seen[idx]

    current = value(state)
    t0 = time.perf_counter()
    tries = 0
    while len(values) < min(budget, space):
        tries += 1
        k = len(values)
        j = rng.randrange(len(ps))
        p, i = ps[j], state[j]
        if p.kind in ("ordered", "float"):
            i = i + rng.choice((-1, 1)) if 0 < i < len(p.values) - 1 else (1 if i == 0 else i - 1)
        elif p.kind == "bool" or len(p.values) == 2:
            i = 1 - i
        else:
            i = rng.choice([v for v in range(len(p.values)) if v != i])
        cand = state[:j] + (i,) + state[j + 1:]
        if tries > 50 * budget:  # stuck among evaluated states: a random unseen one
            cand = tuple(rng.randrange(len(q.values)) for q in ps)
        fresh = cand not in seen
        if fresh:
            seconds.append(time.perf_counter() - t0)
        v = value(cand)
        t0 = time.perf_counter()
        delta = v - current
        if delta > 0 and math.isfinite(delta):
            uphill.append(delta)
        if delta <= 0 or not uphill:
            accept = math.isfinite(v)
        else:
            pk = 0.5 * 0.02 ** (k / max(budget - 1, 1))
            temp = statistics.median(uphill) / math.log(1 / pk)
            accept = math.isfinite(v) and rng.random() < math.exp(-delta / temp)
        if accept:
            state, current = cand, v
    return values, seconds


_PROBLEMS = {}
TRUTHS = []  # a noisy run's noiseless values, in evaluation order


def run_one(task):
    name, family, sampler, seed, budget, anneal = task
    if family not in _PROBLEMS:  # rebuilt in the worker: evaluators are closures
        _PROBLEMS[family] = {p.name: p for p in problems(anneal, [family])}
    problem = _PROBLEMS[family][name]
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    NOISE_SEED[0] = seed
    TRUTHS.clear()
    if problem.truth and not sampler.startswith("anneal-"):
        noisy, truth = problem.evaluate, problem.truth
        problem = copy.copy(problem)  # the cached problem keeps its evaluator
        problem.evaluate = lambda v: TRUTHS.append(truth(v)) or noisy(v)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as work:
        diag = None
        if sampler.startswith("anneal-"):
            values, props, diag = anneal_run(problem, sampler, seed, budget, anneal, work)
        elif sampler == "sa":
            values, props = sa_run(problem, seed, budget)
        else:
            values, props = optuna_run(problem, sampler, seed, budget)
    rec = {
        "problem": problem.name, "family": problem.family, "sampler": sampler, "seed": seed,
        "budget": budget, "values": values, "propose_seconds": props,
        "wall_seconds": round(time.time() - t0, 3),
    }
    if problem.truth:
        assert len(TRUTHS) == len(values), (len(TRUTHS), len(values))
        rec["observed"], rec["values"] = values, list(TRUTHS)
    if diag:
        rec["diagnostics"] = diag
    return rec


# -------------------------------------------------------------------- summary

T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def mean_ci(xs):
    """Mean and the half-width of its 95% t-interval."""
    n = len(xs)
    m = statistics.mean(xs)
    if n < 2:
        return m, math.nan
    t = T975[n - 2] if n - 1 <= len(T975) else 1.96
    return m, t * statistics.stdev(xs) / math.sqrt(n)


def load_runs():
    runs = []
    if os.path.exists(RUNS):
        with open(RUNS) as f:
            for line in f:
                line = line.strip()
                if line:
                    runs.append(json.loads(line))
    return runs


def summarize(runs, ours, budgets):
    known = json.load(open(KNOWN)) if os.path.exists(KNOWN) else {}
    best = {}
    for r in runs:
        best[r["problem"]] = min(best.get(r["problem"], math.inf), incumbent_values(r, len(r["values"])))
    ref = {}
    for p, b in best.items():
        # The smooth families' optimum is 0 by construction (a noisy run's
        # best noiseless incumbent is well above it).
        ref[p] = known[p] if p in known else 0.0 if p.startswith("smooth") else b
        if p in known and b < known[p] - 1e-9:
            print(f"note: a run found {b} < best known {known[p]} on {p}; using it",
                  file=sys.stderr)
            ref[p] = b
    regret = {}  # (family, sampler) -> {(problem, seed): [regret@b]}
    props = {}
    # A sampler's budgets in a family are those its shortest run there
    # reaches (the hgb runs have 50 evaluations; Optuna GP's 128-bit runs
    # 100 where the others have 300).
    length = {}
    for r in runs:
        key = (r["family"], r["sampler"])
        length[key] = min(length.get(key, 10 ** 9), len(r["values"]))
    for r in runs:
        key = (r["family"], r["sampler"])
        regret.setdefault(key, {})[(r["problem"], r["seed"])] = [
            incumbent_values(r, b) - ref[r["problem"]] for b in budgets if b <= length[key]]
        props.setdefault(key, []).extend(r["propose_seconds"])
    out = {"reference": ref, "budgets": budgets, "ours": {}, "families": {}}
    for fam in FAMILIES:
        rows = {}
        mine_name = ours
        if ours == "auto" and regret.get((fam, "anneal-tr")):
            mine_name = "anneal-tr"
        elif ours == "auto" and regret.get((fam, "anneal-tr-r4a")):
            mine_name = "anneal-tr-r4a"
        elif ours == "auto" and regret.get((fam, "anneal-tr-r3")):
            mine_name = "anneal-tr-r3"
        elif ours == "auto" and regret.get((fam, "anneal-tr-r2")):
            mine_name = "anneal-tr-r2"
        elif ours == "auto":  # the surrogate with the lower mean regret at the largest budget
            got = [(statistics.mean(v[-1] for v in regret[(fam, s)].values()), s)
                   for s in ("anneal-fm", "anneal-bocs") if regret.get((fam, s))]
            mine_name = min(got)[1] if got else "anneal-bocs"
        out["ours"][fam] = mine_name
        for s in SAMPLERS:
            got = regret.get((fam, s))
            if not got:
                continue
            pp = props.get((fam, s), [])
            diags = [r.get("diagnostics") for r in runs
                     if r["family"] == fam and r["sampler"] == s and r.get("diagnostics")]
            rows[s] = {
                "diagnostics": {
                    k: mean_ci([d[k] for d in diags if d.get(k) is not None])
                    if any(d.get(k) is not None for d in diags) else None
                    for k in ("incumbent_distance", "near_duplicate_rate", "rank_correlation")
                } if diags else None,
                "runs": len(got),
                "regret": {str(b): mean_ci([v[i] for v in got.values()])
                           for i, b in enumerate(budgets) if b <= length[(fam, s)]},
                "seconds_per_proposal_median": statistics.median(pp) if pp else math.nan,
                "seconds_per_proposal_mean": statistics.mean(pp) if pp else math.nan,
            }
            if s != mine_name and (fam, mine_name) in regret:
                mine = regret[(fam, mine_name)]
                pairs = [k for k in got if k in mine]
                if pairs:
                    rows[s]["paired_difference"] = {
                        str(b): mean_ci([mine[k][i] - got[k][i] for k in pairs]) + (len(pairs),)
                        for i, b in enumerate(budgets)
                        if b <= min(length[(fam, s)], length[(fam, mine_name)])}
        if rows:
            out["families"][fam] = rows
    return out


def finite(o):
    """The summary with NaN and ∞ as null, so that it is strict JSON."""
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [finite(v) for v in o]
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


def fmt(m, h, digits):
    if math.isnan(h):
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} ± {h:.{digits}f}"


def print_tables(summary):
    for fam, rows in summary["families"].items():
        budgets = sorted({int(k) for r in rows.values() for k in r["regret"]})
        ours = summary["ours"][fam]
        d = 3 if fam.startswith("smooth") else 1
        unit = ""
        if fam in ("mlp", "hgb"):  # test losses of 1e-4 .. 1e-2 nats: shown in units of 1e-3
            d, unit = 2, " (×10⁻³ nats)"
            rows = json.loads(json.dumps(rows))
            for r in rows.values():
                for k in ("regret", "paired_difference"):
                    for b, v in r.get(k, {}).items():
                        r[k][b] = [x * 1e3 if x is not None else math.nan for x in v[:2]] + v[2:]
        print(f"\n**{FAMILIES[fam]}** — mean regret{unit} ± 95% t-interval; "
              f"paired: {ours} minus the row's sampler, same instance and seed "
              f"(negative: {ours} better)\n")
        head = " | ".join(f"regret@{b}" for b in budgets)
        pair = " | ".join(f"paired Δ@{b}" for b in budgets)
        print(f"| sampler | runs | {head} | {pair} | s / proposal (median) |")
        print("|---|---:|" + "---:|" * (2 * len(budgets)) + "---:|")
        for s, r in rows.items():
            cells = " | ".join(
                fmt(*r["regret"][str(b)], d) if str(b) in r["regret"] else "—" for b in budgets)
            pd = r.get("paired_difference") or {}
            pcells = " | ".join(
                fmt(pd[str(b)][0], pd[str(b)][1], d) if str(b) in pd else "—" for b in budgets)
            sp = r["seconds_per_proposal_median"]
            sps = ("—" if math.isnan(sp) else "<0.0001" if sp < 5e-5
                   else f"{sp:.4f}" if sp < 10 else f"{sp:.1f}")
            print(f"| {s} | {r['runs']} | {cells} | {pcells} | {sps} |")


def print_diagnostics(summary):
    """Per family and anneal sampler: how far proposals move from the
    incumbent, how often they nearly repeat a trial, how well the model's
    predictions rank the values then measured."""
    print("\n| family | sampler | parameters changed from the incumbent | near-duplicates "
          "| rank correlation, prediction vs value |")
    print("|---|---|---:|---:|---:|")
    for fam, rows in summary["families"].items():
        for s, r in rows.items():
            d = r.get("diagnostics")
            if not d:
                continue
            cell = [fmt(*d[k], 2) if d.get(k) else "—"
                    for k in ("incumbent_distance", "near_duplicate_rate", "rank_correlation")]
            print(f"| {fam} | {s} | " + " | ".join(cell) + " |")


def regret_curves(runs, summary, family):
    """Mean regret after each evaluation, with its 95 % t-interval, per sampler."""
    ref = summary["reference"]
    curves = []
    # The default, the gp-ei options, the old defaults and the controls (the palette has 8 colours).
    for s in ("anneal-tr", "anneal-tr-r16", "anneal-tr-gp", "anneal-tr-gpd", "anneal-tr-r13", "anneal-tr-r5", "anneal-tr-r4a", "anneal-tr-r3", "anneal-tr-r2", "optuna-gp", "optuna-tpe",
              "sa", "optuna-random"):
        mine = [r for r in runs if r["family"] == family and r["sampler"] == s]
        if not mine:
            continue
        n = min(len(r["values"]) for r in mine)
        pts = []
        for b in range(1, n + 1):
            m, h = mean_ci([incumbent_values(r, b) - ref[r["problem"]] for r in mine])
            if not math.isfinite(m):
                continue
            # Regret is never negative, so neither is the mean's lower end.
            pts.append({"x": b, "y": m, "low": max(m - h, 0.0) if math.isfinite(h) else m,
                        "high": m + h if math.isfinite(h) else m})
        curves.append({"name": f"{s} ({len(mine)} run{'' if len(mine) == 1 else 's'})", "points": pts,
                       "sampler": s})
    # More than 8 would repeat a colour: the oldest defaults go first.
    for old in ("anneal-tr-r2", "anneal-tr-r3", "anneal-tr-r4a", "anneal-tr-r5", "anneal-tr-gp",
                "anneal-tr-gpd"):
        if len(curves) > 8:
            curves = [c for c in curves if c["sampler"] != old]
    for c in curves:
        del c["sampler"]
    return curves


def log_axis_if_wide(spec, decades=2):
    """A log y axis when the positive means span `decades` or more (smooth 6:
    plain SA's 1.2 against 10⁻⁴ for the surrogates, which a linear axis
    flattens into one line). Means and interval ends below half the smallest
    positive mean (a regret of 0, an interval clipped at 0) are drawn at that
    floor, and the axis label says so."""
    ys = [p["y"] for c in spec["series"] for p in c["points"] if p["y"] > 0]
    if not ys or max(ys) / min(ys) < 10 ** decades:
        return
    floor = min(ys) / 2
    spec["yLog"] = True
    spec["yLabel"] = f"mean regret (log; below {floor:.1g} drawn at it)"
    for c in spec["series"]:
        for p in c["points"]:
            for k in ("y", "low", "high"):
                p[k] = max(p[k], floor)


def write_plots(runs, summary):
    """regret-<family>.svg in results/, drawn by Plots' LinePlot (its sources
    compiled with Benchmarks/tune_plot.swift into a small tool)."""
    tool = os.path.join(tempfile.gettempdir(), "anneal-tune-plot")
    plots = os.path.join(ROOT, "Sources", "Plots")
    srcs = [os.path.join(plots, f) for f in sorted(os.listdir(plots)) if f.endswith(".swift")]
    subprocess.check_call(["swiftc", "-O", "-parse-as-library", "-module-name", "TunePlot", "-o", tool,
                           *srcs, os.path.join(HERE, "tune_plot.swift")])
    for fam in summary["families"]:
        noisy = any("observed" in r for r in runs if r["family"] == fam)
        spec = {"title": f"{FAMILIES[fam].split(' (')[0]}: mean regret, 95 % intervals every 10",
                "xLabel": "evaluations",
                "yLabel": "mean regret (the incumbent's noiseless value − optimum)" if noisy
                else "mean regret (best so far − reference)",
                "series": regret_curves(runs, summary, fam)}
        for c in spec["series"]:  # error bars every 10 evaluations keep it legible
            for p in c["points"]:
                if p["x"] % 10:
                    p["low"] = p["high"] = p["y"]
        log_axis_if_wide(spec)
        path = os.path.join(RESULTS, f"regret-{fam}.svg")
        subprocess.run([tool, path], input=json.dumps(spec), text=True, check=True)
        print(f"wrote {path}", file=sys.stderr)
    # Benchmarks/tune_workers.py: regret against wall-clock (workers.json is
    # smooth 6; workers-FAMILY.json another family's).
    for name in sorted(os.listdir(RESULTS)):
        if not (name.startswith("workers") and name.endswith(".json")):
            continue
        data = json.load(open(os.path.join(RESULTS, name)))
        family = data.get("family", "smooth6")
        series = []
        for w in sorted({r["workers"] for r in data["runs"]}):
            rs = [r for r in data["runs"] if r["workers"] == w]
            end = max(r["wall"] for r in data["runs"])
            pts = []
            for t in range(1, int(end) + 2):
                got = [[v for s, v in r["points"] if s <= t] for r in rs]
                if any(not g for g in got):
                    continue
                m, h = mean_ci([min(g) for g in got])
                # log axis: an interval's lower end is clipped at 1e-4
                pts.append({"x": t, "y": m, "low": max(m - h, 1e-4) if t % 10 == 0 else m,
                            "high": m + h if t % 10 == 0 else m})
            series.append({"name": f"{w} worker{'s' if w > 1 else ''} ({len(rs)} runs)",
                           "points": pts})
        title = FAMILIES[family].split(" (")[0] if family in FAMILIES else family
        spec = {"title": f"{title}, {data['sleep']:g} s per evaluation: mean regret against "
                         "wall-clock (95 % intervals every 10 s)",
                "xLabel": "seconds", "yLabel": "mean regret (best so far)", "yLog": True,
                "series": series}
        path = os.path.join(RESULTS, "regret-" + name.replace(".json", ".svg"))
        subprocess.run([tool, path], input=json.dumps(spec), text=True, check=True)
        print(f"wrote {path}", file=sys.stderr)

def print_compact(summary):
    """One line per sampler: mean regret at the largest budget in every
    family (runs in brackets where fewer than the most), and the median
    seconds per proposal on the 64-bit problem."""
    fams = list(summary["families"])
    names = {"labs": "LABS 20–24", "cubic24": "cubic 24", "sparse64": "Ising 64",
             "mlp": "MLP wine (10⁻³)", "smooth6": "smooth 6 (cont.)", "smooth6n": "smooth 6 + noise",
             "smooth12": "smooth 12 (cont.)", "sparse128": "Ising 128",
             "sparse256": "Ising 256", "maxsat60": "MaxSAT 60", "labs40": "LABS 40–60",
             "hgb": "HGB cancer (10⁻³)"}
    # Each family at the largest budget its runs reach (hgb: 50).
    top = {f: str(max(int(k) for r in summary["families"][f].values() for k in r["regret"]))
           for f in fams}
    print("\n| sampler | " + " | ".join(
        names[f] + ("" if top[f] == "100" else f" @{top[f]}") for f in fams)
          + " | s / proposal, 64 bits |")
    print("|---|" + "---:|" * (len(fams) + 1))
    most = {f: max(r["runs"] for r in summary["families"][f].values()) for f in fams}
    for s in SAMPLERS:
        cells = []
        for f in fams:
            r = summary["families"][f].get(s)
            b = top[f]
            if not r or b not in r["regret"]:
                cells.append("—")
                continue
            m = r["regret"][b][0] * (1e3 if f in ("mlp", "hgb") else 1)
            best = min(v["regret"][b][0] for v in summary["families"][f].values()
                       if b in v["regret"])
            cell = f"{m:.2f}" if f in ("mlp", "hgb") else f"{m:.3f}" if f.startswith("smooth") else f"{m:.1f}"
            if r["regret"][b][0] == best:
                cell = f"**{cell}**"
            if r["runs"] < most[f]:
                cell += f" ({r['runs']} runs)"
            cells.append(cell)
        sp = summary["families"].get("sparse64", {}).get(s, {}).get(
            "seconds_per_proposal_median", math.nan)
        sps = "—" if math.isnan(sp) else "<0.0001" if sp < 5e-5 else f"{sp:.4f}"
        print(f"| {s} | " + " | ".join(cells) + f" | {sps} |")


def print_goal(summary):
    """Issue 17's goal, one line per family at the largest budget: our
    default's mean regret against Optuna GP's, the paired differences (ours
    minus GP, plain SA, TPE: mean ± 95 % t half-width, pairs), and whether
    ours is at or below GP (the paired mean difference ≤ 0 where there are
    pairs), entirely below it, and below plain SA."""
    print("\n| family | budget | ours (runs) | GP (runs) | ours − GP | ours − plain SA "
          "| ours − TPE | ≤ GP | interval < 0 | < SA |")
    print("|---|---:|---:|---:|---:|---:|---:|:-:|:-:|:-:|")
    scale = {"mlp": 1e3, "hgb": 1e3}
    for fam, rows in summary["families"].items():
        ours = summary["ours"].get(fam)
        if ours not in rows:
            continue
        # The largest budget ours reaches, and Optuna GP too where it ran
        # (the goal is at 100 evaluations; the 128-bit GP runs stop there).
        gp_budgets = rows.get("optuna-gp", {}).get("regret", rows[ours]["regret"])
        b = str(max(int(k) for k in rows[ours]["regret"] if k in gp_budgets))
        k = scale.get(fam, 1)
        digits = 4 if fam.startswith("smooth") else 2 if fam in scale else 1

        def mean(s):
            r = rows.get(s)
            return f"{r['regret'][b][0] * k:.{digits}f} ({r['runs']})" if r else "—"

        def diff(s):
            d = rows.get(s, {}).get("paired_difference", {}).get(b)
            if not d:
                return "—", None
            m, h, n = d
            hs = "" if not math.isfinite(h) else f" ± {h * k:.{digits}f}"
            return f"{m * k:+.{digits}f}{hs} ({n})", (m, h)

        gp, gpd = diff("optuna-gp")
        sa, sad = diff("sa")
        tpe, _ = diff("optuna-tpe")
        mine = rows[ours]["regret"][b][0]
        gpm = rows.get("optuna-gp", {}).get("regret", {}).get(b, [math.nan])[0]
        yes = lambda c: "—" if c is None else "yes" if c else "no"  # noqa: E731
        # At or below GP: over the pairs (same instance and seed) where there
        # are any, so that runs only one side has do not tip the comparison.
        le = (None if not math.isfinite(gpm) else mine <= gpm) if gpd is None else gpd[0] <= 0
        below = None if gpd is None else math.isfinite(gpd[1]) and gpd[0] + gpd[1] < 0
        under_sa = None if sad is None else sad[0] < 0
        print(f"| {fam} | {b} | {mean(ours)} | {mean('optuna-gp')} | {gp} | {sa} | {tpe} "
              f"| {yes(le)} | {yes(below)} | {yes(under_sa)} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--families", default="labs,cubic24,sparse64,mlp,smooth6")
    ap.add_argument("--samplers", default=",".join(SAMPLERS))
    ap.add_argument("--problems", default=None, help="only these instances (comma-separated)")
    ap.add_argument("--seed-limit", action="append", default=[],
                    help="SAMPLER[@FAMILY]=K: at most K seeds for that sampler (and family)")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="start no new run after this many minutes")
    ap.add_argument("--ours", default="auto",
                    help="the sampler the paired differences are taken from (auto: of "
                    "anneal-fm and anneal-bocs, the one with the lower mean regret at the "
                    "largest budget, per family)")
    ap.add_argument("--anneal", default=os.path.join(ROOT, ".build/release/anneal"))
    ap.add_argument("--report", action="store_true", help="only summarise runs.jsonl")
    ap.add_argument("--plots", action="store_true",
                    help="also draw results/regret-<family>.svg (needs swiftc)")
    args = ap.parse_args()
    ensure_env()
    # Regret is reported at every budget a family's runs all reach (the
    # 128- and 256-bit families' runs have 300 evaluations, HGB's 50), also
    # by --report, whatever --budget says.
    budgets = [25, 50, 100, 300]
    os.makedirs(RESULTS, exist_ok=True)
    if not args.report:
        start = time.time()
        anneal = os.path.abspath(args.anneal)
        fams = args.families.split(",")
        probs = problems(anneal, fams)
        if args.problems:
            probs = [p for p in probs if p.name in args.problems.split(",")]
        samplers = args.samplers.split(",")
        if "optuna-gp" in samplers and not have_torch():
            samplers.remove("optuna-gp")
            print("optuna-gp skipped: torch is not installed", file=sys.stderr)
        limits = {}
        for item in args.seed_limit:
            k, v = item.split("=")
            limits[k] = int(v)
        done = {(r["problem"], r["sampler"], r["seed"]) for r in load_runs()}
        tasks = []
        for seed in range(1, args.seeds + 1):
            for p in probs:
                for s in samplers:
                    lim = limits.get(f"{s}@{p.family}", limits.get(s, args.seeds))
                    if seed <= lim and (p.name, s, seed) not in done:
                        tasks.append((p.name, p.family, s, seed, args.budget, anneal))
        print(f"{len(tasks)} runs to do ({len(done)} already in {RUNS})", file=sys.stderr)
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            pending = set()
            it = iter(tasks)
            finished = 0
            while True:
                late = args.max_minutes and time.time() - start > 60 * args.max_minutes
                while len(pending) < args.jobs and not late:
                    t = next(it, None)
                    if t is None:
                        break
                    pending.add(pool.submit(run_one, t))
                if not pending:
                    break
                for f in as_completed(pending):
                    pending.remove(f)
                    rec = f.result()
                    with open(RUNS, "a") as out:
                        out.write(json.dumps(rec) + "\n")
                    finished += 1
                    print(f"[{time.time() - start:6.0f} s] {finished}/{len(tasks)} "
                          f"{rec['problem']} {rec['sampler']} seed {rec['seed']}: "
                          f"best {incumbent_values(rec, len(rec['values'])):g} "
                          f"({rec['wall_seconds']:.1f} s)",
                          file=sys.stderr, flush=True)
                    break
            if late:
                print("--max-minutes reached: the remaining runs are left for a rerun",
                      file=sys.stderr)
    summary = summarize(load_runs(), args.ours, budgets)
    # The summary sits beside its runs: an experiment kept apart with
    # TUNE_BENCH_RUNS writes <runs>.summary.json, not the shipped summary.
    default_runs = os.path.join(RESULTS, "runs.jsonl")
    summary_path = (os.path.join(RESULTS, "summary.json") if os.path.abspath(RUNS) == default_runs
                    else os.path.splitext(RUNS)[0] + ".summary.json")
    with open(summary_path, "w") as f:
        json.dump(finite(summary), f, indent=1)
    print("Mean regret at the largest budget each family's runs reach (lowest in bold):")
    print_compact(summary)
    print_goal(summary)
    print_tables(summary)
    print_diagnostics(summary)
    if args.plots:
        write_plots(load_runs(), summary)


if __name__ == "__main__":
    main()
