import Foundation
import Testing

@testable import Learning
@testable import ONNX

/// Every file in `Fixtures/fuzz/<target>/` (hostile inputs made by hand and
/// any the fuzzer, `Fuzz/run-learning.sh`, found) must be read or refused
/// with the reader's own error, never trap; the ones listed as refused must
/// be refused.
@Suite("Learning readers on hostile inputs (fuzz regressions)")
struct LearningFuzzRegressionTests {
  static func files(_ target: String) throws -> [URL] {
    let dir = try #require(
      Bundle.module.url(forResource: "Fixtures/fuzz/\(target)", withExtension: nil))
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
      .filter { !$0.lastPathComponent.hasPrefix(".") }
      .sorted { $0.path < $1.path }
  }

  @Test func onnxFilesAreRefusedWithAReason() throws {
    let files = try Self.files("onnx")
    #expect(files.count >= 7, "the hand-made cases are missing")
    for url in files {
      let data = try Data(contentsOf: url)
      do {
        let model = try ONNXModel(serialized: data, file: url.lastPathComponent)
        // Accepted: it must be a sound network that writes back.
        let finite = model.network.parameters.allSatisfy { $0.isFinite }
        #expect(finite)
        _ = try model.serialized(QuantizedNetwork(shapeOf: model.network), form: .qdq)
      } catch let error as ONNXError {
        #expect(error.file == url.lastPathComponent && !error.reason.isEmpty)
      }
    }
  }

  @Test func theHandMadeONNXCasesAreAllRefused() throws {
    let expected = [
      "deep-nesting": "not an ONNX model", "external-data": "external file",
      "huge-dims-no-data": "dimensions", "nan-weight": "not finite",
      "negative-dim": "dimensions", "self-loop": "running value",
      "short-raw-data": "raw_data holds",
    ]
    let dir = try Self.files("onnx")
    for (name, phrase) in expected {
      let url = try #require(dir.first { $0.lastPathComponent == name }, "\(name) is missing")
      do {
        _ = try ONNXModel(serialized: try Data(contentsOf: url), file: name)
        Issue.record("\(name) was accepted")
      } catch let error as ONNXError {
        #expect(error.description.contains(phrase), "\(name): \(error)")
      }
    }
  }

  @Test func datasetFilesAreReadOrRefused() throws {
    let files = try Self.files("dataset")
    #expect(files.count >= 3)
    for url in files {
      let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
      do {
        let d = try Dataset.parse(text, file: "f.csv", name: "f")
        #expect(d.labels.allSatisfy { (0..<d.classCount).contains($0) })
        #expect(d.classCount <= d.count || d.classNames.count == d.classCount)
      } catch let error as DatasetError {
        #expect(error.file == "f.csv" && !error.reason.isEmpty)
      }
    }
  }

  @Test func calibrationFilesAreReadOrRefused() throws {
    let files = try Self.files("features")
    #expect(files.count >= 2)
    for url in files {
      let bytes = [UInt8](try Data(contentsOf: url))
      for labels in [false, true] {
        do {
          let m = try FeatureMatrix.parseNPY(bytes, file: "f.npy", labels: labels)
          #expect(m.values.count == m.rows * m.columns)
        } catch let error as DatasetError {
          #expect(!error.reason.isEmpty)
        }
        do {
          let m = try FeatureMatrix.parseCSV(
            String(decoding: bytes, as: UTF8.self), file: "f.csv", labels: labels)
          #expect(m.values.count == m.rows * m.columns)
        } catch let error as DatasetError {
          #expect(!error.reason.isEmpty)
        }
      }
    }
  }
}
