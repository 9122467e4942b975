#!/usr/bin/env python3
"""Time-to-target of anneal's samplers on one instance, side by side.

For each sampler and each sweep count, runs `anneal solve` with R reads on one
thread, counts the reads whose energy reaches the target (p), and reports

    TTS99 = t_read * ln(1 - 0.99) / ln(1 - p)      (t_read if p >= 0.99)

where t_read is the sampling time per read (timing.sample_seconds / reads).
The best TTS over the sweep counts is the sampler's time-to-target. A sampler
that never reaches the target within the sweeps tried has TTS = inf.

INSTANCE is a path, or a name relative to the benchmark directory given by
--benchmarks (default $ANNEAL_BENCHMARKS, a directory holding gset/, k2000/,
beasley/split/; those sets are not in the repository).

Examples (from the package root, after `swift build -c release`):
  python3 Benchmarks/tts.py problems/G11.gset --target-objective 564 \
      --samplers sa,sqa --sweeps 250,1000,4000 --reads 20
  python3 Benchmarks/tts.py gset/G43 --benchmarks DIR --target-objective 6660
"""
import argparse, json, math, os, subprocess, sys


def run(binary, path, fmt, sampler, sweeps, reads, seed, extra):
    cmd = [binary, "solve", path, "--format", fmt, "--sampler", sampler, "--sweeps", str(sweeps),
           "--reads", str(reads), "--seed", str(seed), "--threads", "1", "--json"] + extra
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"tts: anneal failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return json.loads(p.stdout)


def resolve(instance, benchmarks):
    """The instance's path: as given if it exists, else under the benchmark directory."""
    if os.path.exists(instance):
        return instance
    if os.path.isabs(instance):
        sys.exit(f"tts: {instance} does not exist")
    if not benchmarks:
        sys.exit(f"tts: {instance} does not exist, and no benchmark directory to look in: "
                 "pass --benchmarks DIR or set ANNEAL_BENCHMARKS")
    path = os.path.join(benchmarks, instance)
    if not os.path.exists(path):
        sys.exit(f"tts: neither {instance} nor {path} exists")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instance", help="a file, or a name such as gset/G43 under --benchmarks")
    ap.add_argument("--benchmarks", default=os.environ.get("ANNEAL_BENCHMARKS"),
                    help="the benchmark directory (default $ANNEAL_BENCHMARKS)")
    ap.add_argument("--format", default="auto")
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--target-energy", type=float)
    target.add_argument("--target-objective", type=float,
                        help="target in the file's own objective (cut for Gset, f for bqp)")
    ap.add_argument("--samplers", default="sa,sqa")
    ap.add_argument("--sweeps", default="250,1000,4000")
    ap.add_argument("--reads", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trotter", type=int, default=16)
    ap.add_argument("--anneal", default=".build/release/anneal")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    args.instance = resolve(args.instance, args.benchmarks)

    rows = []
    for sampler in args.samplers.split(","):
        extra = ["--trotter", str(args.trotter)] if sampler == "sqa" else []
        for sweeps in [int(s) for s in args.sweeps.split(",")]:
            out = run(args.anneal, args.instance, args.format, sampler, sweeps, args.reads, args.seed, extra)
            if args.target_energy is not None:
                target_e = args.target_energy
            else:
                obj = out.get("objective")
                if not obj:
                    sys.exit("tts: --target-objective needs a Gset or OR-Library file")
                # Energies map to objectives linearly; recover the map from the best read.
                best_e, best_o = out["best_energy"], obj["best"]
                sense = obj.get("sense", "maximize")
                # cut = (W - E)/2 and f = -E have slope -1/2 and -1; find the slope from the file kind.
                slope = -0.5 if obj["name"] == "cut" else (-1.0 if sense == "maximize" else 1.0)
                target_e = best_e + (args.target_objective - best_o) / slope
            energies = out["energies"]
            hits = sum(1 for e in energies if e <= target_e + 1e-9)
            p = hits / len(energies)
            t_read = out["timing"]["sample_seconds"] / len(energies)
            if p >= 0.99:
                tts = t_read
            elif p == 0:
                tts = math.inf
            else:
                tts = t_read * math.log(0.01) / math.log(1 - p)
            rows.append(dict(sampler=sampler, sweeps=sweeps, reads=len(energies), p=p,
                             t_read=t_read, tts99=tts, best=out["best_energy"], target=target_e))
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"instance {args.instance}  target energy {rows[0]['target']:.6g}  reads {args.reads}  (1 thread)")
    print(f"{'sampler':8s} {'sweeps':>7s} {'p':>6s} {'s/read':>9s} {'TTS99 s':>9s} {'best E':>11s}")
    for r in rows:
        tts = "inf" if math.isinf(r["tts99"]) else f"{r['tts99']:.4f}"
        print(f"{r['sampler']:8s} {r['sweeps']:7d} {r['p']:6.2f} {r['t_read']:9.4f} {tts:>9s} {r['best']:11.6g}")
    best = {}
    for r in rows:
        if r["sampler"] not in best or r["tts99"] < best[r["sampler"]]["tts99"]:
            best[r["sampler"]] = r
    def fmt(r):
        return "inf" if math.isinf(r["tts99"]) else f"{r['tts99']:.4f} s"
    print("best: " + "; ".join(f"{s} TTS99 {fmt(r)} at {r['sweeps']} sweeps" for s, r in best.items()))

if __name__ == "__main__":
    main()
