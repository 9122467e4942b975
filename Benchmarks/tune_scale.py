#!/usr/bin/env python3
"""Seconds per proposal at 300 observations: Anneal's default against Optuna GP.

Running GP for 300 evaluations at 128 or 256 bits takes hours, but its cost
per proposal depends on how many trials it is fitted to, not on how it got
them. So, per instance (tune_bench.py's sparse128-I / sparse256-I spin
glasses):

1. ours: the default sampler (`trust-region`, through libAnnealC's
   `anneal_propose`, in this process) runs --history + --proposals
   evaluations (300 by default), one proposal at a time, each timed; its
   regret at the end is recorded;
2. GP: a fresh Optuna study with GPSampler (deterministic_objective, one
   torch thread, as in tune_bench.py) is given our first --history trials
   through `add_trials`, then asked for --proposals proposals, each timed
   (ask plus tell, as tune_bench.py times it) and evaluated;
3. both sides' last --proposals proposals are therefore made from the same
   --history observations on, on the same machine in the same run: the
   ratio of the medians is the measurement.

Results go to Benchmarks/results/scale.json and a markdown table to stdout.

  python3 Benchmarks/tune_scale.py [--families sparse128,sparse256] [--instances 1]
      [--history 290] [--proposals 10] [--gp-proposals N] [--seed 1]

Needs libAnnealC (`swift build -c release --product AnnealC`; or
$ANNEAL_LIBRARY) and the venv tune_bench.py makes (~/.cache/anneal-optuna,
with optuna and torch); the script re-runs itself there.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.expanduser("~/.cache/anneal-optuna")
OUT = os.path.join(HERE, "results", "scale.json")


def ensure_env():
    # One thread for numpy's BLAS and torch: a spinning BLAS thread would
    # count as CPU time of either side.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        py = os.path.join(VENV, "bin", "python")
        if not os.path.exists(py):
            sys.exit(f"{py} is missing: run Benchmarks/tune_bench.py --report once to make it")
        os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])
    lib = os.environ.get("ANNEAL_LIBRARY",
                         os.path.join(ROOT, ".build", "release", "libAnnealC.so"))
    if not os.path.exists(lib):
        sys.exit(f"{lib} is missing: run `swift build -c release --product AnnealC` "
                 "or set ANNEAL_LIBRARY")
    os.environ["ANNEAL_LIBRARY"] = lib
    sys.path.insert(0, os.path.join(ROOT, "python"))
    sys.path.insert(0, HERE)


def ours(problem, evaluations, seed):
    """Our default, one proposal at a time: (configurations, values, seconds,
    CPU seconds)."""
    import numpy as np
    from anneal._lib import propose
    names = [p.name for p in problem.params]
    request = {"sampler": "trust-region", "parameters": {n: {"type": "bool"} for n in names},
               "parameter_order": names, "direction": "minimize"}
    rng = np.random.default_rng(seed)
    configs, values, seconds, cpu = [], [], [], []
    for _ in range(evaluations):
        rows = np.asarray(configs, dtype=np.int32).reshape(len(configs), len(names))
        t0, c0 = time.perf_counter(), time.process_time()
        x = propose(request, rows, np.asarray(values, dtype=np.float64), 1,
                    int(rng.integers(0, 2**63)))[0]
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        configs.append([int(v) for v in x])
        values.append(problem.evaluate([bool(v) for v in x]))
    return configs, values, seconds, cpu


def gp(problem, configs, values, proposals, seed):
    """GP seeded with (configs, values), then `proposals` timed proposals."""
    import optuna
    import torch
    from optuna.distributions import CategoricalDistribution
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.GPSampler(seed=seed, deterministic_objective=True)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    dist = {p.name: CategoricalDistribution([False, True]) for p in problem.params}
    study.add_trials([
        optuna.trial.create_trial(
            params={p.name: bool(v) for p, v in zip(problem.params, c)},
            distributions=dist, value=y)
        for c, y in zip(configs, values)])
    out, seconds, cpu = [], [], []
    for _ in range(proposals):
        t0, c0 = time.perf_counter(), time.process_time()
        trial = study.ask()
        x = [trial.suggest_categorical(p.name, [False, True]) for p in problem.params]
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        v = problem.evaluate(x)
        t0, c0 = time.perf_counter(), time.process_time()
        study.tell(trial, v)
        seconds[-1] += time.perf_counter() - t0
        cpu[-1] += time.process_time() - c0
        out.append(v)
    return out, seconds, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--families", default="sparse128,sparse256")
    ap.add_argument("--instances", default="1")
    ap.add_argument("--history", type=int, default=290)
    ap.add_argument("--proposals", type=int, default=10)
    ap.add_argument("--gp-proposals", type=int, default=None,
                    help="GP's timed proposals (default: --proposals; fewer when GP is slow)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ensure_env()
    import tune_bench
    anneal = os.path.join(ROOT, ".build", "release", "anneal")
    rows = json.load(open(OUT)) if os.path.exists(OUT) else []
    for fam in args.families.split(","):
        probs = {p.name: p for p in tune_bench.problems(anneal, [fam])}
        for i in args.instances.split(","):
            problem = probs[f"{fam}-{i}"]
            total = args.history + args.proposals
            configs, values, mine, mine_cpu = ours(problem, total, args.seed)
            theirs_values, theirs, theirs_cpu = gp(problem, configs[:args.history], values[:args.history],
                                       args.gp_proposals or args.proposals, args.seed)
            best_hist = min(values[:args.history])
            row = {
                "problem": problem.name, "seed": args.seed, "history": args.history,
                "proposals": args.proposals, "gp_proposals": args.gp_proposals or args.proposals,
                "ours_seconds": mine[args.history:], "gp_seconds": theirs,
                "ours_median": statistics.median(mine[args.history:]),
                "gp_median": statistics.median(theirs),
                "ours_cpu_seconds": mine_cpu[args.history:], "gp_cpu_seconds": theirs_cpu,
                "ours_cpu_median": statistics.median(mine_cpu[args.history:]),
                "gp_cpu_median": statistics.median(theirs_cpu),
                "ours_regret": min(values) - problem.optimum,
                "gp_regret": min(best_hist, min(theirs_values)) - problem.optimum,
                "load": os.getloadavg()[0],
            }
            row["ratio"] = row["gp_median"] / row["ours_median"]
            print(f"{problem.name}: ours {row['ours_median']:.2f} s, GP {row['gp_median']:.2f} s "
                  f"per proposal (×{row['ratio']:.1f}; CPU {row['ours_cpu_median']:.2f} s and "
                  f"{row['gp_cpu_median']:.2f} s); regret at {total}: ours "
                  f"{row['ours_regret']:.1f}, GP from our first {args.history} "
                  f"{row['gp_regret']:.1f}; load {row['load']:.1f}", file=sys.stderr)
            rows = [r for r in rows if (r["problem"], r["seed"], r["history"]) !=
                    (problem.name, args.seed, args.history)] + [row]
            with open(OUT, "w") as f:
                json.dump(rows, f, indent=1)
    # Wall-clock seconds depend on the machine's load; CPU seconds (the
    # process's, one thread each side) much less. Rows from before CPU
    # seconds were recorded show "—".
    print("| instance | observations | ours s/proposal | GP s/proposal | GP ÷ ours "
          "| ours CPU s | GP CPU s | ours regret at end | GP regret at end | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cpu = (f"{r['ours_cpu_median']:.2f} | {r['gp_cpu_median']:.2f}"
               if "ours_cpu_median" in r else "— | —")
        print(f"| {r['problem']} (seed {r['seed']}) | {r['history']}–"
              f"{r['history'] + r['proposals'] - 1} | {r['ours_median']:.2f} | "
              f"{r['gp_median']:.2f} | {r['ratio']:.1f} | {cpu} | {r['ours_regret']:.1f} | "
              f"{r['gp_regret']:.1f} | {r['load']:.1f} |")


if __name__ == "__main__":
    main()
