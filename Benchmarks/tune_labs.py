#!/usr/bin/env python3
"""Hyperparameter-search samplers on LABS: anneal tune against Optuna.

Low-autocorrelation binary sequences: choose s in {-1,+1}^n to minimise the
sidelobe energy E = sum_k C_k^2 (C_k = sum_i s_i s_{i+k}); each of the n
signs is one boolean parameter. The exact optimum comes from enumerating all
2^n sequences (numpy). Every sampler gets the same budget of evaluations per
seed; the best value after 50 and after 100 evaluations is read from one run
of 100 (the samplers do not know the budget). Regret = best - optimum.

  anneal tune: random, qubo-surrogate (fm) and bocs, each trial running
               Benchmarks/labs.awk (one awk process per evaluation)
  Optuna:      TPESampler(multivariate=True), RandomSampler; GPSampler when
               torch is importable (it is not installed by this script)

Usage (from the repository root, after `swift build -c release`):
  python3 Benchmarks/tune_labs.py [--n 20] [--seeds 5] [--budget 100]
The script makes a virtual environment with optuna in ~/.cache/anneal-optuna
when it has none, and re-runs itself there.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

VENV = os.path.expanduser("~/.cache/anneal-optuna")


def ensure_optuna():
    try:
        import optuna  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "optuna"])
    os.execv(py, [py] + sys.argv)


def labs_energy(bits):
    s = [1 if b else -1 for b in bits]
    n = len(s)
    return sum(sum(s[i] * s[i + k] for i in range(n - k)) ** 2 for k in range(1, n))


def labs_optimum(n):
    import numpy as np
    best = None
    chunk = 1 << 16
    for start in range(0, 1 << n, chunk):
        idx = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        s = 1 - 2 * ((idx[:, None] >> np.arange(n)) & 1)
        e = np.zeros(len(idx), dtype=np.int64)
        for k in range(1, n):
            c = (s[:, : n - k] * s[:, k:]).sum(axis=1)
            e += c * c
        m = int(e.min())
        best = m if best is None else min(best, m)
    return best


def anneal_run(binary, sampler, n, seed, budget, workdir):
    params = "\n".join(f"  x{i}: {{type: bool}}" for i in range(n))
    args = " ".join(f"{{x{i}}}" for i in range(n))
    surrogate = ""
    if sampler == "bocs":
        surrogate = "surrogate: {model: bocs, encoding: binary, startup_trials: 10}\n"
    elif sampler == "qubo-surrogate":
        surrogate = "surrogate: {model: fm, encoding: binary, startup_trials: 10}\n"
    spec = (
        f"name: labs\ndirection: minimize\ntrials: {budget}\nseed: {seed}\n"
        f"sampler: {sampler}\n{surrogate}parameters:\n{params}\n"
        f"command: awk -f Benchmarks/labs.awk {args}\nmetric: energy\n"
    )
    path = os.path.join(workdir, f"labs-{sampler}-{seed}.yaml")
    with open(path, "w") as f:
        f.write(spec)
    out = subprocess.run(
        [binary, "tune", path, "--json"], check=True, capture_output=True, text=True
    ).stdout
    trials = sorted(json.loads(out)["trials"], key=lambda t: t["number"])
    values = [t["value"] if t["state"] == "complete" else float("inf") for t in trials]
    props = [t.get("user_attrs", {}).get("propose_seconds") for t in trials]
    props = [p for p in props[10:] if p is not None]
    return values, props


def optuna_run(kind, n, seed, budget):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if kind == "optuna-tpe":
        sampler = optuna.samplers.TPESampler(multivariate=True, seed=seed)
    elif kind == "optuna-gp":
        sampler = optuna.samplers.GPSampler(seed=seed, deterministic_objective=True)
    else:
        sampler = optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    seconds = []

    def objective(trial):
        return labs_energy([trial.suggest_categorical(f"x{i}", [False, True]) for i in range(n)])

    for _ in range(budget):
        t0 = time.perf_counter()
        trial = study.ask()
        for i in range(n):
            trial.suggest_categorical(f"x{i}", [False, True])
        seconds.append(time.perf_counter() - t0)
        study.tell(trial, objective(trial))
    values = [t.value for t in study.trials]
    return values, seconds[10:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--anneal", default=".build/release/anneal")
    args = ap.parse_args()
    ensure_optuna()
    optimum = labs_optimum(args.n)
    kinds = ["anneal-random", "anneal-fm", "anneal-bocs", "optuna-random", "optuna-tpe"]
    try:
        import torch  # noqa: F401
        kinds.append("optuna-gp")
    except ImportError:
        print("optuna-gp skipped: torch is not installed", file=sys.stderr)
    budgets = [b for b in (50, 100) if b <= args.budget]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for kind in kinds:
            regrets = {b: [] for b in budgets}
            props = []
            for seed in range(1, args.seeds + 1):
                if kind.startswith("anneal-"):
                    name = {"random": "random", "fm": "qubo-surrogate", "bocs": "bocs"}[kind[7:]]
                    values, p = anneal_run(args.anneal, name, args.n, seed, args.budget, work)
                else:
                    values, p = optuna_run(kind, args.n, seed, args.budget)
                for b in budgets:
                    regrets[b].append(min(values[:b]) - optimum)
                props += p
            rows.append((kind, regrets, statistics.median(props) if props else float("nan")))
            print(kind, {b: regrets[b] for b in budgets}, file=sys.stderr)
    print(f"LABS n={args.n}, optimum E={optimum}, {args.seeds} seeds; regret = best E - optimum")
    head = " | ".join(f"regret@{b} mean (min-max)" for b in budgets)
    print(f"| sampler | {head} | median s per proposal |")
    print("|---|" + "---|" * len(budgets) + "---|")
    for kind, regrets, prop in rows:
        cells = " | ".join(
            f"{statistics.mean(regrets[b]):.1f} ({min(regrets[b])}-{max(regrets[b])})"
            for b in budgets
        )
        print(f"| {kind} | {cells} | {prop:.4f} |")


if __name__ == "__main__":
    main()
