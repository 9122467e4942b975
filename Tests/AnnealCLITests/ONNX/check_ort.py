"""Runs a float model and its quantized copy in ONNX Runtime on some data.

    python check_ort.py FLOAT.onnx QUANT.onnx DATA.csv LABELS(0|1) OUT.json

DATA.csv holds feature rows (then the class when LABELS is 1). OUT.json
gets the graph input and output names of both models, the main output of
each (the float [N, k] tensor; ZipMap's list of maps as rows), the top-1
agreement of the two and, with labels, the accuracy of each, all computed
by ONNX Runtime alone.
"""
import json, sys
import numpy as np
import onnx
import onnxruntime as ort

float_path, quant_path, data_path, labels, out_path = sys.argv[1:6]
data = np.loadtxt(data_path, delimiter=",", ndmin=2)
y = data[:, -1].astype(int) if labels == "1" else None
X = (data[:, :-1] if labels == "1" else data).astype(np.float32)

def run(path, level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    # ONNX Runtime's extended optimizations may run DequantizeLinear +
    # MatMul/Gemm as an integer kernel that also quantizes the activations
    # (measured up to 1e-2 away on these models); the graph's own meaning is
    # what the basic level computes, so QDQ models are checked at that level.
    if any(n.op_type == "DequantizeLinear" for n in onnx.load(path).graph.node):
        level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options = ort.SessionOptions()
    options.graph_optimization_level = level
    s = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inp = s.get_inputs()[0]
    shape = [X.shape[0]] + [d for d in inp.shape[1:] if isinstance(d, int)]
    feed = X.reshape(shape) if len(shape) > 2 else X
    outs = s.run(None, {inp.name: feed})
    main = None
    for meta, value in zip(s.get_outputs(), outs):
        if isinstance(value, list) and value and isinstance(value[0], dict):
            keys = sorted(value[0])
            value = np.array([[row[k] for k in keys] for row in value], dtype=np.float32)
        if isinstance(value, np.ndarray) and value.dtype == np.float32 and value.ndim == 2:
            main = value
    return {
        "inputs": [i.name for i in s.get_inputs()],
        "outputs": [o.name for o in s.get_outputs()],
        "main": main.astype(float).tolist(),
        "argmax": main.argmax(1),
    }

f, q = run(float_path), run(quant_path)
report = {
    "float_inputs": f["inputs"], "float_outputs": f["outputs"],
    "quant_inputs": q["inputs"], "quant_outputs": q["outputs"],
    "float_main": f["main"], "quant_main": q["main"],
    "agreement": float(np.mean(f["argmax"] == q["argmax"])),
}
if y is not None:
    report["accuracy"] = float(np.mean(q["argmax"] == y))
    report["float_accuracy"] = float(np.mean(f["argmax"] == y))
json.dump(report, open(out_path, "w"))
print("ok")
