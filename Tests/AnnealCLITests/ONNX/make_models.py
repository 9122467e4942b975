"""Builds the small ONNX models the quantize tests read, and their data.

    python make_models.py DIR

writes into DIR, for each case NAME, NAME.onnx, and the data files
iris.csv (standardised features, then the class), iris_features.csv (the
features alone), iris.npy (the features, float32) and digits8.csv (8
features of the digits set, then the class). Models:

  sk_<act>        scikit-learn MLPClassifier (16 hidden, act = relu, tanh,
                  logistic, identity) exported by skl2onnx, ZipMap off
  sk_zipmap       the same (relu) with skl2onnx's ZipMap output
  gemm_t          torch's nn.Linear form: Gemm(transB=1) + Relu, twice, Softmax
  gemm_n          Gemm(transB=0, alpha=0.5, beta=2) + Tanh, then Gemm, logits
  matmul          MatMul + Add + LeakyRelu(0.1), Flatten, MatMul + Add, Softmax
  nobias          Reshape of a constant shape, then Gemm without C + Sigmoid,
                  Gemm, Softmax
  conv            an unsupported operator (Sin) between two layers
Also prints a line per model. Seeded: the same files every run.
"""
import sys, os, warnings
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

warnings.filterwarnings("ignore")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

from sklearn.datasets import load_iris
from sklearn.neural_network import MLPClassifier
from skl2onnx import to_onnx

X, y = load_iris(return_X_y=True)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
np.savetxt(os.path.join(out, "iris.csv"), np.column_stack([X, y]), delimiter=",", fmt="%.9g")
np.savetxt(os.path.join(out, "iris_features.csv"), X, delimiter=",", fmt="%.9g")
np.save(os.path.join(out, "iris.npy"), X)

def save(name, model):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name + ".onnx"))
    print(name)

for act in ["relu", "tanh", "logistic", "identity"]:
    m = MLPClassifier(hidden_layer_sizes=(16,), activation=act, max_iter=3000, random_state=0).fit(X, y)
    save("sk_" + act, to_onnx(m, X[:1], options={"zipmap": False}, target_opset=17))
m = MLPClassifier(hidden_layer_sizes=(16,), activation="relu", max_iter=3000, random_state=0).fit(X, y)
save("sk_zipmap", to_onnx(m, X[:1], target_opset=17))

rng = np.random.default_rng(7)
def init(name, a):
    return numpy_helper.from_array(np.asarray(a, dtype=np.float32), name)

def graph(name, nodes, inits, out_name="output", width=3, in_shape=("N", 4)):
    g = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(in_shape))],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["N", width])],
        inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])

W1, b1 = rng.normal(0, 0.6, (12, 4)), rng.normal(0, 0.1, 12)
W2, b2 = rng.normal(0, 0.5, (8, 12)), rng.normal(0, 0.1, 8)
W3, b3 = rng.normal(0, 0.5, (3, 8)), rng.normal(0, 0.1, 3)
V = rng.normal(0, 0.5, (3, 12))  # a 12 → 3 output layer
save("gemm_t", graph("gemm_t", [
    helper.make_node("Gemm", ["input", "fc1.weight", "fc1.bias"], ["h1"], name="/fc1/Gemm", transB=1),
    helper.make_node("Relu", ["h1"], ["a1"], name="/relu1/Relu"),
    helper.make_node("Gemm", ["a1", "fc2.weight", "fc2.bias"], ["h2"], name="/fc2/Gemm", transB=1),
    helper.make_node("Relu", ["h2"], ["a2"], name="/relu2/Relu"),
    helper.make_node("Gemm", ["a2", "fc3.weight", "fc3.bias"], ["logits"], name="/fc3/Gemm", transB=1),
    helper.make_node("Softmax", ["logits"], ["output"], name="/softmax/Softmax", axis=1),
], [init("fc1.weight", W1), init("fc1.bias", b1), init("fc2.weight", W2), init("fc2.bias", b2),
    init("fc3.weight", W3), init("fc3.bias", b3)]))

save("gemm_n", graph("gemm_n", [
    helper.make_node("Gemm", ["input", "B1", "C1"], ["h1"], name="gemm1", alpha=0.5, beta=2.0),
    helper.make_node("Tanh", ["h1"], ["a1"], name="tanh1"),
    helper.make_node("Gemm", ["a1", "B2", "C2"], ["output"], name="gemm2"),
], [init("B1", 2 * W1.T), init("C1", [b1 / 2]), init("B2", V.T),
    init("C2", b3)]))

save("matmul", graph("matmul", [
    helper.make_node("MatMul", ["input", "onnx::MatMul_1"], ["m1"], name="/l1/MatMul"),
    helper.make_node("Add", ["l1.bias", "m1"], ["z1"], name="/l1/Add"),
    helper.make_node("LeakyRelu", ["z1"], ["a1"], name="/act/LeakyRelu", alpha=0.1),
    helper.make_node("Flatten", ["a1"], ["f1"], name="/flatten/Flatten", axis=1),
    helper.make_node("MatMul", ["f1", "onnx::MatMul_2"], ["m2"], name="/l2/MatMul"),
    helper.make_node("Add", ["m2", "l2.bias"], ["z2"], name="/l2/Add"),
    helper.make_node("Softmax", ["z2"], ["output"], name="/softmax/Softmax"),
], [init("onnx::MatMul_1", W1.T), init("l1.bias", b1), init("onnx::MatMul_2", V.T),
    init("l2.bias", b3)]))

save("nobias", graph("nobias", [
    helper.make_node("Reshape", ["input", "shape"], ["r"], name="reshape"),
    helper.make_node("Gemm", ["r", "w1"], ["h1"], name="dense1", transB=1),
    helper.make_node("Sigmoid", ["h1"], ["a1"], name="sigmoid1"),
    helper.make_node("Gemm", ["a1", "w2", "b2"], ["z"], name="dense2", transB=1),
    helper.make_node("Softmax", ["z"], ["output"], name="softmax"),
], [numpy_helper.from_array(np.array([-1, 4], dtype=np.int64), "shape"), init("w1", W1),
    init("w2", V), init("b2", b3)],
   in_shape=("N", 2, 2)))

save("conv", graph("conv", [
    helper.make_node("Gemm", ["input", "w1", "b1"], ["h1"], name="dense1", transB=1),
    helper.make_node("Sin", ["h1"], ["a1"], name="the_sine"),
    helper.make_node("Gemm", ["a1", "w2", "b2"], ["output"], name="dense2", transB=1),
], [init("w1", W1), init("b1", b1), init("w2", V), init("b2", b3)]))
