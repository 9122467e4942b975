import Foundation
import Learning
import ONNX
import Testing

/// The Python with onnx, onnxruntime and skl2onnx the ONNX round trips use:
/// `$ANNEAL_PYTHON` (scripts/test.sh sets it to the venv setup.sh fills),
/// else `python3`. Without them the tests are skipped with the reason shown,
/// except in CI (`CI=true`), where that is a failure.
enum ONNXPython {
  static let executable: String = ProcessInfo.processInfo.environment["ANNEAL_PYTHON"] ?? "python3"

  static let isAvailable: Bool =
    (try? run(["-c", "import onnx, onnxruntime, skl2onnx, sklearn"]).status) == 0

  static let isRequired: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [executable] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// The models and data of `ONNX/make_models.py`, built once per process.
  static let models: Result<URL, Error> = Result {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("anneal-onnx-\(UUID().uuidString)")
    let script = CLI.packageRoot.appendingPathComponent("Tests/AnnealCLITests/ONNX/make_models.py")
    let r = try run([script.path, dir.path])
    guard r.status == 0 else { throw ONNXTestFailure("make_models.py: \(r.output)") }
    return dir
  }
}

struct ONNXTestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

@Suite(
  "anneal quantize MODEL.onnx, checked by ONNX Runtime",
  .enabled(
    if: ONNXPython.isAvailable || ONNXPython.isRequired,
    "Python (ANNEAL_PYTHON) cannot import onnx, onnxruntime, skl2onnx and sklearn"))
struct ONNXQuantizeTests {
  struct Case: CustomStringConvertible, Sendable {
    var model: String
    var data = "iris_features.csv"
    var labels = false
    var bits = 3
    var method = "anneal"
    var description: String { "\(model) \(bits) bits \(method)\(labels ? " labels" : "")" }
  }

  static let cases: [Case] = [
    Case(model: "sk_relu"), Case(model: "sk_tanh", bits: 2, method: "best"),
    Case(model: "sk_logistic", data: "iris.csv", labels: true),
    Case(model: "sk_identity", method: "gptq"), Case(model: "sk_zipmap", method: "greedy"),
    Case(model: "gemm_t", bits: 4), Case(model: "gemm_n", method: "rtn"),
    Case(model: "matmul", data: "iris.csv", labels: true, bits: 2),
    Case(model: "nobias"),
  ]

  func directory() throws -> URL {
    try #require(ONNXPython.isAvailable, "CI=true, but \(ONNXPython.executable) lacks onnx")
    return try ONNXPython.models.get()
  }

  /// The inputs of a data file as the runtime sees them (float32).
  func inputs(_ path: String, labels: Bool) throws -> FeatureMatrix {
    var m = try FeatureMatrix.load(contentsOf: path, labels: labels)
    m.values = m.values.map { Double(Float($0)) }
    return m
  }

  /// What our own forward pass of `model` gives: probabilities when the
  /// graph ends in Softmax, else logits.
  func forward(_ model: ONNXModel, _ x: FeatureMatrix) throws -> [Double] {
    model.graph.softmax
      ? try model.network.probabilities(x.values, rows: x.rows)
      : try model.network.logits(x.values, rows: x.rows)
  }

  func expectClose(_ ours: [Double], _ theirs: [[Double]], _ what: String) {
    let flat = theirs.flatMap { $0 }
    #expect(ours.count == flat.count, "\(what): \(ours.count) values against \(flat.count)")
    let worst = zip(ours, flat).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
    #expect(worst <= 1e-5, "\(what): largest difference \(worst)")
  }

  @Test(arguments: cases)
  func runtimeReproducesWhatAnnealReported(_ c: Case) throws {
    let dir = try directory()
    let model = dir.appendingPathComponent("\(c.model).onnx").path
    let data = dir.appendingPathComponent(c.data).path
    let x = try inputs(data, labels: c.labels)
    var outputs = [String: URL]()
    var reports = [String: [String: Any]]()
    for qdq in [false, true] {
      let out = dir.appendingPathComponent("\(c.model)-\(c.method)-\(c.bits)-\(qdq).onnx")
      var args = [
        "quantize", model, "--data", data, "--bits", "\(c.bits)", "--method", c.method,
        "--output", out.path, "--json", "--seed", "5",
      ]
      if c.labels { args.append("--labels") }
      if qdq { args.append("--qdq") }
      let r = try CLI.run(args)
      #expect(r.status == 0, "\(r.stderr)")
      reports["\(qdq)"] = try jsonObject(r.stdout)
      outputs["\(qdq)"] = out
    }
    let floats = try #require(outputs["false"])
    let report = try #require(reports["false"])
    // The same seed gives the same model in both forms.
    #expect(reports["true"]?["agreement"] as? Double == report["agreement"] as? Double)
    #expect(reports["true"]?["chosen"] as? String == report["chosen"] as? String)
    let original = try ONNXModel(contentsOf: model)
    let quantized = try ONNXModel(contentsOf: floats.path)
    #expect(quantized.network.sizes == original.network.sizes)
    for form in ["false", "true"] {
      let out = try #require(outputs[form])
      let json = dir.appendingPathComponent("\(out.lastPathComponent).json")
      let script = CLI.packageRoot.appendingPathComponent("Tests/AnnealCLITests/ONNX/check_ort.py")
      let r = try ONNXPython.run([
        script.path, model, out.path, data, c.labels ? "1" : "0", json.path,
      ])
      try #require(r.status == 0, "check_ort.py: \(r.output)")
      let ort = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
      // Names kept: the same graph inputs and outputs, in order.
      #expect(ort["quant_inputs"] as? [String] == ort["float_inputs"] as? [String])
      #expect(ort["quant_outputs"] as? [String] == ort["float_outputs"] as? [String])
      #expect((ort["quant_inputs"] as? [String])?.first == original.inputName)
      // The runtime computes what our forward pass computes, to 1e-5.
      let theirs = try #require(ort["quant_main"] as? [[Double]])
      expectClose(try forward(quantized, x), theirs, "\(c) qdq=\(form) quantized")
      let theirFloat = try #require(ort["float_main"] as? [[Double]])
      expectClose(try forward(original, x), theirFloat, "\(c) float")
      // And what anneal reported.
      let agreement = try #require(ort["agreement"] as? Double)
      let reported = try #require(report["agreement"] as? Double)
      #expect(abs(agreement - reported) < 1e-6, "\(c): runtime \(agreement), reported \(reported)")
      if c.labels {
        let accuracy = try #require(ort["accuracy"] as? Double)
        let said = try #require(report["accuracy"] as? Double)
        #expect(abs(accuracy - said) < 1e-6, "\(c): runtime \(accuracy), reported \(said)")
        #expect(
          abs((ort["float_accuracy"] as? Double ?? -1) - (report["float_accuracy"] as? Double ?? -2))
            < 1e-6)
      }
    }
  }

  @Test func anUnsupportedOperatorIsNamedAndNothingIsWritten() throws {
    let dir = try directory()
    let out = dir.appendingPathComponent("conv-out.onnx")
    let r = try CLI.run([
      "quantize", dir.appendingPathComponent("conv.onnx").path, "--data",
      dir.appendingPathComponent("iris_features.csv").path, "--bits", "3", "--output", out.path,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.contains("conv.onnx") && r.stderr.contains("'the_sine' (Sin)"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func malformedFilesExitTwoWithTheFileNamed() throws {
    let dir = try directory()
    let good = try Data(contentsOf: dir.appendingPathComponent("gemm_t.onnx"))
    let bad: [(String, Data)] = [
      ("empty.onnx", Data()),
      ("truncated.onnx", good.prefix(good.count / 2)),
      ("text.onnx", Data("ir_version: 8\ngraph {}\n".utf8)),
      ("noise.onnx", Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) })),
    ]
    for (name, bytes) in bad {
      let path = dir.appendingPathComponent(name)
      try bytes.write(to: path)
      let out = dir.appendingPathComponent("\(name).out.onnx")
      let r = try CLI.run([
        "quantize", path.path, "--data", dir.appendingPathComponent("iris_features.csv").path,
        "--bits", "3", "--output", out.path,
      ])
      #expect(r.status == 2, "\(name): \(r.stderr)")
      #expect(r.stderr.contains(name), "\(name): \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
  }

  @Test func dataOfTheWrongWidthOrLabelsExitTwo() throws {
    let dir = try directory()
    let model = dir.appendingPathComponent("sk_relu.onnx").path
    // iris.csv has 5 columns: without --labels that is one too many.
    let r = try CLI.run([
      "quantize", model, "--data", dir.appendingPathComponent("iris.csv").path, "--bits", "3",
    ])
    #expect(r.status == 2)
    #expect(r.stderr.contains("5 features") && r.stderr.contains("4 inputs"), "\(r.stderr)")
    let many = try CLI.run([
      "quantize", model, "--data", dir.appendingPathComponent("iris.csv").path, "--labels",
      "--bits", "3", "--calibration", "151",
    ])
    #expect(many.status == 2)
    #expect(many.stderr.contains("151") && many.stderr.contains("150 rows"), "\(many.stderr)")
  }
}
