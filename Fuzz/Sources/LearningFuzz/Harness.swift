// libFuzzer entry point for the learning front end's readers;
// `ANNEAL_FUZZ_TARGET` picks one (`run-learning.sh` runs each in turn):
//
//   onnx       `ONNXModel(serialized:file:)`, the ONNX model reader
//   dataset    `Dataset.parse(_:file:name:)`, the labelled dataset CSV
//   features   `FeatureMatrix.parseCSV` (with and without labels) and
//              `FeatureMatrix.parseNPY`, the calibration data of
//              `anneal quantize MODEL.onnx --data`
//
// A reader may throw its own error type (`ONNXError`, `DatasetError`);
// anything else is a finding: a trap, a different error, an accepted value
// that breaks the type's invariants, or an ONNX model that does not survive
// being written back with quantized weights and read again.

import Foundation
import Learning
import ONNX

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Target: String, CaseIterable {
  case onnx, dataset, features
}

let target: Target = {
  let name = getenv("ANNEAL_FUZZ_TARGET").map { String(cString: $0) } ?? ""
  guard let t = Target(rawValue: name) else {
    let all = Target.allCases.map(\.rawValue).joined(separator: " ")
    fatalError("set ANNEAL_FUZZ_TARGET to one of: \(all) (got '\(name)')")
  }
  return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
  switch target {
  case .onnx: readONNX(bytes)
  case .dataset: readDataset(bytes)
  case .features: readFeatures(bytes)
  }
  return 0
}

/// `precondition` that keeps its message in release builds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

func readONNX(_ bytes: [UInt8]) {
  let model: ONNXModel
  do {
    model = try ONNXModel(serialized: Data(bytes), file: "input.onnx")
  } catch let error as ONNXError {
    check(error.file == "input.onnx" && !error.reason.isEmpty, "malformed error \(error)")
    return
  } catch {
    fatalError("the ONNX reader threw a \(type(of: error)), not an ONNXError: \(error)")
  }
  let net = model.network
  check(net.sizes.count >= 2 && net.sizes.allSatisfy { $0 > 0 }, "sizes \(net.sizes)")
  check(net.parameters.count == MLP.parameterCount(net.sizes), "parameter count")
  check(net.parameters.allSatisfy(\.isFinite), "accepted a non-finite weight")
  check(net.parameters.count <= bytes.count, "\(net.parameters.count) parameters from \(bytes.count) bytes")
  // Written back with (all-zero) codes in both forms, it must read again
  // with the same shape in the float form.
  let q = QuantizedNetwork(shapeOf: net)
  do {
    let floats = try model.serialized(q, form: .floats)
    let again = try ONNXModel(serialized: floats, file: "again.onnx")
    check(again.network.sizes == net.sizes, "the written model reads as \(again.network.sizes)")
    check(again.inputName == model.inputName, "the input name changed")
    check(again.outputNames == model.outputNames, "the output names changed")
    _ = try model.serialized(q, form: .qdq)
  } catch {
    fatalError("a model that was read cannot be written back: \(error)")
  }
}

func readDataset(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  let data: Dataset
  do {
    data = try Dataset.parse(text, file: "input.csv", name: "input")
  } catch let error as DatasetError {
    check(error.file == "input.csv" && !error.reason.isEmpty, "malformed error \(error)")
    return
  } catch {
    fatalError("the dataset reader threw a \(type(of: error)): \(error)")
  }
  check(data.count > 0 && data.featureCount > 0, "an empty dataset was accepted")
  check(data.features.count == data.count * data.featureCount, "feature matrix shape")
  check(data.features.allSatisfy(\.isFinite), "a non-finite feature")
  check(data.labels.allSatisfy { (0..<data.classCount).contains($0) }, "a label out of range")
  check(data.classCount <= max(data.count, 1) + 1_000, "\(data.classCount) classes")
}

func readFeatures(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  for labels in [false, true] {
    var results = [FeatureMatrix]()
    do {
      results.append(try FeatureMatrix.parseCSV(text, file: "input.csv", labels: labels))
    } catch let error as DatasetError {
      check(!error.reason.isEmpty, "malformed error \(error)")
    } catch {
      fatalError("the CSV reader threw a \(type(of: error)): \(error)")
    }
    do {
      results.append(try FeatureMatrix.parseNPY(bytes, file: "input.npy", labels: labels))
    } catch let error as DatasetError {
      check(!error.reason.isEmpty, "malformed error \(error)")
    } catch {
      fatalError("the .npy reader threw a \(type(of: error)): \(error)")
    }
    for m in results {
      check(m.rows > 0 && m.columns > 0, "an empty matrix was accepted")
      check(m.values.count == m.rows * m.columns, "matrix shape")
      check(m.values.allSatisfy(\.isFinite), "a non-finite value")
      check((m.labels?.count ?? m.rows) == m.rows, "label count")
      check(m.values.count <= bytes.count, "\(m.values.count) values from \(bytes.count) bytes")
    }
  }
}
