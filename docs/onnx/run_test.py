# Test accuracy of an ONNX classifier in ONNX Runtime: python run_test.py MODEL.onnx test.csv
import sys
import numpy as np
import onnxruntime as ort
d = np.loadtxt(sys.argv[2], delimiter=",")
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
label = s.run(["label"], {"X": d[:, :-1].astype(np.float32)})[0]
print(f"{sys.argv[1]}: test accuracy {np.mean(label == d[:, -1]):.4f}")
