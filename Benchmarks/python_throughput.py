#!/usr/bin/env python3
"""Throughput of simulated annealing through Python (anneal.dimod) against the
CLI (`anneal solve`) and against dwave-samplers, in one run.

    ANNEAL_BENCHMARKS=/work/shared/benchmarks \\
      ~/.cache/anneal-bench/bin/python Benchmarks/python_throughput.py [--repeats 3]

Run it in a venv that holds dwave-samplers and the package (`pip install
dwave-samplers ./python`), not the test venv. Instances: Gset G22 (2000
spins, 19 990 couplings, from $ANNEAL_BENCHMARKS/gset/G22) and a random
sparse spin model of 100 000 variables (about 6 couplings per spin,
seeded). Every sampler gets the same reads, sweeps and β range (on G22 the
range Anneal's default rule picks, on the random model [0.1, 5]), so all do
the same number of spin-update proposals; throughput is proposals per second of wall-clock time:

- CLI: the whole `anneal solve FILE --json` process (reading the file
  included), and its kernel alone (`timing.sample_seconds`);
- Python: `SimulatedAnnealingSampler().sample(bqm, ...)` from a dimod BQM
  to a dimod SampleSet (conversion included), and its kernel alone
  (`info["sample_seconds"]`);
- dwave-samplers: `dwave.samplers.SimulatedAnnealingSampler().sample(bqm, ...)`
  (one thread: it has no threads option); Anneal is run both on one thread and
  on all cores against it.

Each figure is the median of --repeats runs. Prints a table and one JSON
line; the machine's load average is printed with them, since the machine
may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dimod
import numpy as np

from anneal.dimod import SimulatedAnnealingSampler

ROOT = Path(__file__).resolve().parents[1]


def read_gset(path: Path) -> dimod.BinaryQuadraticModel:
    """A Gset graph as Anneal reads it: minimise sum w_ij s_i s_j (vertex v -> v-1)."""
    data = np.loadtxt(path, skiprows=1, ndmin=2)
    n = int(path.read_text().split()[0])
    rows, cols, w = data[:, 0].astype(np.int64) - 1, data[:, 1].astype(np.int64) - 1, data[:, 2]
    return dimod.BinaryQuadraticModel.from_numpy_vectors(np.zeros(n), (rows, cols, w), 0.0, "SPIN")


def random_model(n: int, degree: int, seed: int) -> dimod.BinaryQuadraticModel:
    """A random sparse spin model: n*degree/2 distinct pairs, normal biases."""
    rng = np.random.default_rng(seed)
    m = n * degree // 2
    rows = rng.integers(0, n, size=2 * m)
    cols = rng.integers(0, n, size=2 * m)
    keep = rows < cols
    pairs = np.unique(np.stack([rows[keep], cols[keep]], axis=1), axis=0)[:m]
    return dimod.BinaryQuadraticModel.from_numpy_vectors(
        rng.normal(size=n), (pairs[:, 0], pairs[:, 1], rng.normal(size=len(pairs))), 0.0, "SPIN"
    )


def median_time(run, repeats: int):
    times, last = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        last = run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), last


def cli_binary() -> str:
    built = subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    path = Path(os.environ.get("ANNEAL_CLI", Path(built) / "anneal"))
    if not path.exists():
        sys.exit(f"{path} is missing: swift build -c release --product anneal")
    return str(path)


def bench(name, bqm, file, reads, sweeps, threads, repeats, cli, beta=None):
    n = bqm.num_variables
    proposals = reads * sweeps * n
    ours = SimulatedAnnealingSampler()
    if beta is None:  # Anneal's default beta range, then the same range for everyone.
        probe = ours.sample(bqm, num_reads=1, num_sweeps=sweeps, seed=1, threads=1)
        beta = [float(b) for b in probe.info["beta_range"]]
    base = dict(num_reads=reads, num_sweeps=sweeps, beta_range=beta, seed=1)
    out = {"instance": name, "variables": n, "interactions": bqm.num_interactions,
           "reads": reads, "sweeps": sweeps, "beta_range": beta, "proposals": proposals}
    for t in threads:
        t_py, ss = median_time(lambda: ours.sample(bqm, threads=t, **base), repeats)
        kernel_py = ss.info["sample_seconds"]
        command = [cli, "solve", str(file), "--sampler", "sa", "--reads", str(reads),
                   "--sweeps", str(sweeps), "--beta-range", f"{beta[0]},{beta[1]}",
                   "--seed", "1", "--threads", str(t), "--json"]

        def run_cli():
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(done.stderr)
            return json.loads(done.stdout)

        t_cli, report = median_time(run_cli, repeats)
        same = report["energies"] == list(ss.record.energy)
        out[f"threads{t}"] = {
            "python_seconds": t_py, "python_kernel_seconds": kernel_py,
            "cli_seconds": t_cli, "cli_kernel_seconds": report["timing"]["sample_seconds"],
            "python_over_cli": t_cli / t_py,
            "python_over_cli_kernel": report["timing"]["sample_seconds"] / kernel_py,
            "same_energies_as_cli": same,
        }
    try:
        from dwave.samplers import SimulatedAnnealingSampler as DWave
    except ImportError:
        out["dwave"] = None
        return out
    dw = DWave()
    t_dw, dss = median_time(
        lambda: dw.sample(bqm, beta_schedule_type="geometric", **base), repeats)
    out["dwave_seconds"] = t_dw
    out["dwave_best_energy"] = float(dss.first.energy)
    out["anneal_best_energy"] = float(ss.first.energy)
    for t in threads:
        out[f"threads{t}"]["anneal_over_dwave"] = t_dw / out[f"threads{t}"]["python_seconds"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default=f"1,{os.cpu_count()}")
    args = parser.parse_args()
    threads = sorted({int(t) for t in args.threads.split(",")})
    cli = cli_binary()
    bench_dir = os.environ.get("ANNEAL_BENCHMARKS")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if bench_dir:
            g22 = Path(bench_dir) / "gset" / "G22"
            results.append(bench("G22", read_gset(g22), g22, 20, 1000, threads, args.repeats, cli))
        else:
            print("ANNEAL_BENCHMARKS is unset: G22 skipped", file=sys.stderr)
        big = random_model(100_000, 6, seed=20261204)
        path = Path(tmp) / "random1e5.bqm"
        path.write_bytes(big.to_file().read())
        # Anneal's default cold beta follows the smallest |bias|, which normal
        # random biases make tiny (beta ~ 1e6: every flip rejected untried);
        # a fixed range keeps every kernel doing real Metropolis work.
        results.append(
            bench("random 1e5", big, path, 4, 100, threads, args.repeats, cli, beta=[0.1, 5.0]))
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores")
    print(f"{'instance':12} {'thr':>3} {'python s':>9} {'cli s':>8} {'py/cli':>7} "
          f"{'kernel py/cli':>13} {'dwave s':>8} {'x dwave':>8} {'Mprop/s py':>10} same")
    for r in results:
        for t in threads:
            x = r[f"threads{t}"]
            print(f"{r['instance']:12} {t:>3} {x['python_seconds']:9.3f} {x['cli_seconds']:8.3f} "
                  f"{x['python_over_cli']:7.2f} {x['python_over_cli_kernel']:13.2f} "
                  f"{r.get('dwave_seconds', float('nan')):8.3f} "
                  f"{x.get('anneal_over_dwave', float('nan')):8.2f} "
                  f"{r['proposals'] / x['python_seconds'] / 1e6:10.1f} {x['same_energies_as_cli']}")
    print(json.dumps({"load": load, "results": results}))


if __name__ == "__main__":
    main()
