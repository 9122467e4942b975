#!/usr/bin/env python3
"""Regret against wall-clock with 1, 4 and 8 workers (issue 17, item 4).

`anneal tune --workers W` on the smooth6 instances of tune_bench.py with a
slow objective: each evaluation sleeps --sleep seconds (a stand-in for a
training run, so that the proposals' own cost and the machine's load matter
little) and appends its finish time and value to a log. The best value after
t seconds is read from that log. Every worker count gets the same budget of
evaluations, so more workers should reach a given regret sooner; batches of
proposals (ask(count:)) that repeated one point or its neighbours would not.

  python3 Benchmarks/tune_workers.py [--workers 1,4,8] [--budget 60] [--seeds 2]
      [--family smooth6 | maxsat60 | sparse64 | labs | cubic24 | ...]

--family takes tune_bench.py's boolean families too (issue 17, twelfth
round: the default's batches where every parameter is shown whole): their
command runs after the pause, its metric is logged, and regret is the value
less the instance's optimum (or best known).

Results: Benchmarks/results/workers.json (smooth6; workers-FAMILY.json for
another family; --output PATH for elsewhere) and a table on stdout (mean regret of the best value found by
t seconds, over instances and seeds).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from tune_bench import SMOOTH_BOUNDS, smooth_value  # noqa: E402

if len(sys.argv) > 1 and sys.argv[1] == "--objective":
    # --objective LOG SLEEP I v1..v6: one slow evaluation.
    log, pause, i = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    time.sleep(pause)
    v = smooth_value(i, [float(x) for x in sys.argv[5:11]])
    with open(log, "a") as f:
        f.write(f"{time.time()!r} {v!r}\n")
    print(f"loss: {v!r}")
    sys.exit(0)

if len(sys.argv) > 1 and sys.argv[1] == "--wrap":
    # --wrap LOG SLEEP METRIC COMMAND...: one slow evaluation of a
    # tune_bench.py problem's own command.
    log, pause, metric = sys.argv[2], float(sys.argv[3]), sys.argv[4]
    time.sleep(pause)
    out = subprocess.run(sys.argv[5:], capture_output=True, text=True, check=True).stdout
    v = [float(line.split(":", 1)[1]) for line in out.splitlines()
         if line.startswith(metric + ":")][-1]
    with open(log, "a") as f:
        f.write(f"{time.time()!r} {v!r}\n")
    print(f"{metric}: {v!r}")
    sys.exit(0)


def study(anneal, key, params, command, metric, workers, seed, budget, work, offset=0.0):
    """One `anneal tune --workers W` study whose command logs each finish
    time and value to the log `command` takes (formatted with `log`):
    (points as (seconds since the start, value − offset), wall seconds)."""
    log = os.path.join(work, f"log-{workers}-{key}-{seed}.txt")
    spec = os.path.join(work, f"spec-{workers}-{key}-{seed}.yaml")
    with open(spec, "w") as f:
        f.write(f"name: w\ndirection: minimize\ntrials: {budget}\nseed: {seed}\n"
                f"parameters:\n{params}\ncommand: {command.format(log=log)}\n"
                f"metric: {metric}\ntimeout: 60\n")
    start = time.time()
    subprocess.run([anneal, "tune", spec, "--workers", str(workers), "--json"], check=True,
                   capture_output=True)
    points = []
    with open(log) as f:
        for line in f:
            t, v = line.split()
            points.append((float(t) - start, float(v) - offset))
    return sorted(points), time.time() - start


def run_problem(anneal, problem, workers, seed, budget, pause, work):
    """One study of a tune_bench.py problem (values less its optimum)."""
    params = "\n".join(f"  {p.name}: {p.spec}" for p in problem.params)
    command = (f"python3 -S {os.path.abspath(__file__)} --wrap {{log}} {pause} "
               f"{problem.metric} " + problem.command.replace("{", "{{").replace("}", "}}"))
    return study(anneal, problem.name, params, command, problem.metric, workers, seed, budget,
                 work, offset=problem.optimum)


def run(anneal, workers, instance, seed, budget, pause, work):
    """One study of smooth6-`instance` (optimum 0)."""
    params = "\n".join(
        f"  {n}: {{type: float, low: {lo!r}, high: {hi!r}" + (", log: true}" if lg else "}")
        for n, lo, hi, lg in SMOOTH_BOUNDS)
    args = " ".join(f"{{{{{n}}}}}" for n, *_ in SMOOTH_BOUNDS)
    command = (f"python3 -S {os.path.abspath(__file__)} --objective {{log}} {pause} "
               f"{instance} {args}")
    return study(anneal, instance, params, command, "loss", workers, seed, budget, work)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", default="1,4,8")
    ap.add_argument("--budget", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--instances", default="1,2,3,4,5")
    ap.add_argument("--sleep", type=float, default=1.0)
    ap.add_argument("--family", default="smooth6")
    ap.add_argument("--anneal", default=os.path.join(ROOT, ".build/release/anneal"))
    ap.add_argument("--output", help="where the runs' JSON goes (default results/workers.json "
                    "for smooth6, results/workers-FAMILY.json otherwise)")
    a = ap.parse_args()
    anneal = os.path.abspath(a.anneal)
    out = {"sleep": a.sleep, "budget": a.budget, "family": a.family, "runs": []}
    problems = {}
    if a.family != "smooth6":
        import tune_bench as tb
        problems = {int(p.name.rsplit("-", 1)[1]): p for p in tb.problems(anneal, [a.family])
                    if p.family == a.family and p.name.rsplit("-", 1)[1].isdigit()}
    with tempfile.TemporaryDirectory() as work:
        for seed in range(1, a.seeds + 1):
            for inst in map(int, a.instances.split(",")):
                for w in map(int, a.workers.split(",")):
                    if problems:
                        pts, wall = run_problem(anneal, problems[inst], w, seed, a.budget,
                                                a.sleep, work)
                    else:
                        pts, wall = run(anneal, w, inst, seed, a.budget, a.sleep, work)
                    out["runs"].append({"workers": w, "instance": inst, "seed": seed,
                                        "wall": wall, "points": pts})
                    print(f"workers {w} {a.family}-{inst} seed {seed}: {wall:.1f} s, "
                          f"best {min(v for _, v in pts):.4g}", file=sys.stderr, flush=True)
    name = "workers.json" if a.family == "smooth6" else f"workers-{a.family}.json"
    path = a.output or os.path.join(HERE, "results", name)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f)
    marks = [5, 10, 20, 40, 80]
    print("| workers | runs | wall s (mean) | " + " | ".join(f"regret by {m} s" for m in marks)
          + " | regret at the end |")
    print("|---:|---:|---:|" + "---:|" * (len(marks) + 1))
    for w in map(int, a.workers.split(",")):
        rs = [r for r in out["runs"] if r["workers"] == w]

        def best_by(r, t):
            vs = [v for s, v in r["points"] if s <= t]
            return min(vs) if vs else None

        cells = []
        for m in marks + [1e9]:
            got = [best_by(r, m) for r in rs]
            cells.append("—" if any(g is None for g in got) else f"{statistics.mean(got):.4f}")
        print(f"| {w} | {len(rs)} | {statistics.mean(r['wall'] for r in rs):.1f} | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
