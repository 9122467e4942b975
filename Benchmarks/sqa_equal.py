#!/usr/bin/env python3
"""SQA against OpenJij at equal settings (issue 22, item 2).

The kernel comparison: the same β and transverse-field schedule on both sides.
Two settings per Trotter number P, each run by both toolkits on one thread:

  openjij  OpenJij's defaults (β = 5, Γ = 1, its quartic schedule in
           s·H_p + Γ(1 − s)(−Σσˣ)); ours runs them with
           `--beta 5 --parameters '{"schedule": "openjij"}'`.
  ours     our defaults (β and a geometric Γ from Γ_high to Γ_low, one sweep
           per Γ, in the Γ form −ΓΣσˣ + H_p, read from our --json info);
           OpenJij runs them as a (s, β, 1) list: s = 1/(1 + Γ),
           β_OJ = β(1 + Γ), which gives the same Trotterised action
           (β_OJ·s = β on H_p, β_OJ(1 − s) = βΓ on the transverse term).

Run with the peers' Python (it needs dimod and openjij):

  ~/.cache/anneal-peers/bin/python Benchmarks/sqa_equal.py \
      --bench-dir ../shared/bench --random 800 --degree 48 --reads 10 --trotter 4,8,12,16,32

Prints one markdown row per (P, setting): seconds, M spin-update attempts/s
(n·P·sweeps·reads / seconds), the ratio, and mean energies. Worldline moves
stay on for ours (OpenJij has none); the attempts counted are the same.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default="../shared/bench", help="where compare_peers.py is")
    ap.add_argument("--random", type=int, default=800)
    ap.add_argument("--degree", type=float, default=48)
    ap.add_argument("--reads", type=int, default=10)
    ap.add_argument("--sweeps", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trotter", default="4,8,12,16,32")
    ap.add_argument("--settings", default="openjij,ours")
    ap.add_argument("--anneal", default=".build/release/anneal")
    a = ap.parse_args()
    # One thread for OpenJij too (the peers wrapper sets the same).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.path.insert(0, os.path.abspath(a.bench_dir))
    import compare_peers as cp
    import openjij as oj

    bqm = cp.random_model(a.random, a.degree, a.seed)
    n = bqm.num_variables
    tmp = tempfile.NamedTemporaryFile("w", suffix=".coo", delete=False)
    tmp.close()
    cp.write_coo(bqm, tmp.name)

    def ours(p, extra):
        cmd = [a.anneal, "solve", tmp.name, "--format", "coo", "--sampler", "sqa", "--trotter", str(p),
               "--sweeps", str(a.sweeps), "--reads", str(a.reads), "--seed", str(a.seed),
               "--threads", "1", "--json"] + extra
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"sqa_equal: {' '.join(cmd)}\n{r.stderr}")
        out = json.loads(r.stdout)
        e = out["energies"]
        return out["timing"]["sample_seconds"], sum(e) / len(e), out.get("info", {})

    def openjij(p, **kw):
        t0 = time.perf_counter()
        ss = oj.SQASampler().sample(bqm, num_reads=a.reads, num_sweeps=a.sweeps, trotter=p, seed=a.seed, **kw)
        return time.perf_counter() - t0, float(ss.record.energy.mean())

    print(f"instance: random n={n}, degree {a.degree:g}, {a.reads} reads, {a.sweeps} sweeps, "
          f"load {os.getloadavg()[0]:.1f}")
    print("| P | setting | anneal sqa | OpenJij | ratio | mean E, anneal / OpenJij |")
    print("|---|---|---|---|---|---|")
    for p in [int(x) for x in a.trotter.split(",")]:
        updates = n * p * a.sweeps * a.reads
        for setting in a.settings.split(","):
            if setting == "openjij":
                t_a, e_a, _ = ours(p, ["--beta", "5", "--parameters", '{"schedule": "openjij"}'])
                t_o, e_o = openjij(p)
                label = "OpenJij's (β 5, Γ 1, quartic s)"
            else:
                t_a, e_a, info = ours(p, [])
                beta, g0, g1 = info["beta"], info["gamma_start"], info["gamma_end"]
                k = a.sweeps
                gammas = [g0 * (g1 / g0) ** (i / (k - 1)) for i in range(k)] if k > 1 else [g0]
                schedule = [(1 / (1 + g), beta * (1 + g), 1) for g in gammas]
                t_o, e_o = openjij(p, schedule=schedule, gamma=1.0)
                label = f"ours (β {beta:.3g}, Γ {g0:.3g}→{g1:.3g} geometric)"
            ra, ro = updates / t_a / 1e6, updates / t_o / 1e6
            print(f"| {p} | {label} | {ra:.0f} M/s | {ro:.1f} M/s | ×{ra / ro:.1f} | {e_a:.1f} / {e_o:.1f} |",
                  flush=True)
    os.unlink(tmp.name)


if __name__ == "__main__":
    main()
