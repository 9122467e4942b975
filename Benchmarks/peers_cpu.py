"""SA against dwave-samplers by CPU time, for a machine too loaded for wall clocks.

Runs each side as its own process (ours: `anneal solve ... --threads 1`; dwave-samplers through
the peers' Python on the model `compare_peers.random_model` builds) at two sweep counts, takes the
least user + system CPU time of three runs of each, and reports the difference, so that process
start, imports and parsing drop out. Waiting for a core does not count; sharing caches with other
processes still does.

  ~/.cache/anneal-peers/bin/python Benchmarks/peers_cpu.py --bench-dir ../shared/bench \\
      --random 2000 --degree 8 --gaussian .build/release/anneal [OTHER_ANNEAL ...]
"""
import argparse, os, resource, subprocess, sys, tempfile

DWAVE = """
import sys
sys.path.insert(0, sys.argv[1])
import compare_peers as c
from dwave.samplers import SimulatedAnnealingSampler
n, d, g, sweeps, reads = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5]), int(sys.argv[6])
bqm = c.random_model(n, d, 1, g)
SimulatedAnnealingSampler().sample(bqm, num_reads=reads, num_sweeps=sweeps, seed=1)
"""


def cpu(cmd):
    best = None
    for _ in range(3):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
        if p.returncode != 0:
            sys.exit(f"peers_cpu: {' '.join(cmd)} failed\n{p.stderr[-2000:]}")
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        best = c if best is None else min(best, c)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("anneal", nargs="+", help="anneal binaries to compare")
    ap.add_argument("--bench-dir", default="../shared/bench")
    ap.add_argument("--random", type=int, default=2000)
    ap.add_argument("--degree", type=float, default=8)
    ap.add_argument("--gaussian", action="store_true")
    ap.add_argument("--reads", type=int, default=10)
    ap.add_argument("--sweeps", default="200,3200", help="the two sweep counts LO,HI")
    a = ap.parse_args()
    bench = os.path.abspath(a.bench_dir)
    sys.path.insert(0, bench)
    import compare_peers as c
    lo, hi = (int(x) for x in a.sweeps.split(","))
    coo = tempfile.NamedTemporaryFile("w", suffix=".coo", delete=False)
    coo.close()
    c.write_coo(c.random_model(a.random, a.degree, 1, a.gaussian), coo.name)
    g = "1" if a.gaussian else "0"

    def dwave(s):
        return cpu([sys.executable, "-c", DWAVE, bench, str(a.random), str(a.degree), g, str(s), str(a.reads)])

    def ours(b, s):
        return cpu([b, "solve", coo.name, "--format", "coo", "--reads", str(a.reads), "--sweeps", str(s),
                    "--threads", "1", "--seed", "1", "--json"])

    d = dwave(hi) - dwave(lo)
    print(f"random n={a.random} degree {a.degree:g}{' gaussian' if a.gaussian else ''}, {a.reads} reads, "
          f"{hi - lo} sweeps, load {os.getloadavg()[0]:.1f}")
    print(f"dwave-samplers: {d * 1000:.0f} ms CPU")
    for b in a.anneal:
        t = ours(b, hi) - ours(b, lo)
        print(f"{b}: {t * 1000:.0f} ms CPU, x{d / t:.2f}")
    os.unlink(coo.name)


if __name__ == "__main__":
    main()
