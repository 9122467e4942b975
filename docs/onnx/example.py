# Train an MLP in scikit-learn on the shipped digits, export it to ONNX, and
# write the calibration rows (training features) and the held-out test rows.
import numpy as np
from sklearn.neural_network import MLPClassifier
from skl2onnx import to_onnx
d = np.loadtxt("problems/datasets/digits.csv", delimiter=",")
X, y = (d[:, :-1] / 16).astype(np.float32), d[:, -1].astype(int)
m = MLPClassifier((32,), max_iter=1000, random_state=1).fit(X[:1350], y[:1350])
open("digits.onnx", "wb").write(to_onnx(m, X[:1], options={"zipmap": False}).SerializeToString())
np.savetxt("calib.csv", X[:1350], delimiter=",")
np.savetxt("test.csv", np.column_stack([X[1350:], y[1350:]]), delimiter=",")
