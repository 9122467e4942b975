"""Paired comparison over seeds of `anneal quantize MODEL.onnx` methods.

    python docs/onnx/paired.py ANNEAL DATASET.csv BITS SEEDS OUT_DIR

For each seed: a seeded 75/25 stratified split of the shipped CSV (features
scaled to [0, 1] by the training split's maximum), scikit-learn's
MLPClassifier (32 hidden, ReLU, random_state = seed) trained on the training
part and exported by skl2onnx; then `anneal quantize` with each --method
(rtn, greedy, gptq, anneal) on the training features only (no labels:
distillation), and every quantized model run in ONNX Runtime on the test
part. Prints test accuracy per method and seed, and paired differences
anneal − each control with a 95% t interval; writes OUT_DIR/paired.json.
"""
import json, subprocess, sys, os, warnings
import numpy as np
import onnxruntime as ort
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from skl2onnx import to_onnx

warnings.filterwarnings("ignore")
anneal, dataset, bits, seeds, out = sys.argv[1:6]
lo, hi = seeds.split("-")
seeds = list(range(int(lo), int(hi) + 1))
os.makedirs(out, exist_ok=True)
data = np.loadtxt(dataset, delimiter=",", ndmin=2)
X, y = data[:, :-1], data[:, -1].astype(int)
methods = ["rtn", "greedy", "gptq", "anneal"]
acc = {m: [] for m in ["float"] + methods}
agree = {m: [] for m in methods}

def accuracy(path, Xt, yt):
    s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    outs = dict(zip([o.name for o in s.get_outputs()], s.run(None, {s.get_inputs()[0].name: Xt})))
    return float(np.mean(outs["probabilities"].argmax(1) == yt))

for seed in seeds:
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    scale = np.maximum(Xtr.max(0), 1e-12)
    Xtr, Xte = (Xtr / scale).astype(np.float32), (Xte / scale).astype(np.float32)
    m = MLPClassifier((32,), max_iter=1000, random_state=seed).fit(Xtr, ytr)
    model = os.path.join(out, f"s{seed}.onnx")
    open(model, "wb").write(to_onnx(m, Xtr[:1], options={"zipmap": False}).SerializeToString())
    calib = os.path.join(out, f"s{seed}_train.csv")
    np.savetxt(calib, Xtr, delimiter=",", fmt="%.9g")
    acc["float"].append(accuracy(model, Xte, yte))
    for method in methods:
        q = os.path.join(out, f"s{seed}_{method}.onnx")
        r = subprocess.run([anneal, "quantize", model, "--data", calib, "--bits", bits,
                            "--method", method, "--seed", str(seed), "--output", q, "--json"],
                           capture_output=True, text=True, check=True)
        agree[method].append(json.loads(r.stdout)["agreement"])
        acc[method].append(accuracy(q, Xte, yte))
    print(f"seed {seed}: " + ", ".join(f"{k} {v[-1]:.4f}" for k, v in acc.items()), flush=True)

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131}
summary = {"dataset": dataset, "bits": int(bits), "seeds": seeds, "test_accuracy": acc,
           "train_agreement": agree, "paired": {}}
print(f"\ntest accuracy, mean ± sd over {len(seeds)} seeds ({bits} bits):")
for k, v in acc.items():
    print(f"  {k:8s} {np.mean(v):.4f} ± {np.std(v, ddof=1):.4f}")
for control in ["rtn", "greedy", "gptq"]:
    d = np.array(acc["anneal"]) - np.array(acc[control])
    half = T975[len(d) - 1] * d.std(ddof=1) / np.sqrt(len(d))
    summary["paired"][control] = [d.mean(), d.mean() - half, d.mean() + half]
    print(f"  anneal − {control:6s} {100*d.mean():+.2f} points [{100*(d.mean()-half):+.2f}, {100*(d.mean()+half):+.2f}]")
json.dump(summary, open(os.path.join(out, "paired.json"), "w"), indent=1)
