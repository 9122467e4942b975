import Annealing
import Foundation
import QUBOModel
import Testing

/// Where the package, its fixtures and the optional benchmark sets are.
enum TestPaths {
  /// The package root: this file is `Tests/QUBOModelTests/<file>`.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A file in `Tests/Fixtures` (oracles and small benchmark instances
  /// shipped with the package); a missing file is a failure, not a skip.
  static func fixture(_ relative: String) throws -> String {
    try existing(packageRoot.appendingPathComponent("Tests/Fixtures/\(relative)").path)
  }

  /// A file in `problems/`, the instances shipped for users.
  static func problem(_ name: String) throws -> String {
    try existing(packageRoot.appendingPathComponent("problems/\(name)").path)
  }

  /// The whole public benchmark sets (Gset, OR-Library bqp, K2000), from the
  /// directory named by `ANNEAL_BENCHMARKS`; `nil` when it is unset.
  static let benchmarks: String? = {
    guard let dir = ProcessInfo.processInfo.environment["ANNEAL_BENCHMARKS"], !dir.isEmpty
    else { return nil }
    return dir
  }()

  /// Why tests over the whole benchmark sets do not run.
  static let benchmarksUnset =
    "ANNEAL_BENCHMARKS is unset: set it to a directory holding gset/, beasley/split/ and k2000/"

  /// A file or directory under `ANNEAL_BENCHMARKS`; a set variable that
  /// names a missing path is a failure, not a skip.
  static func benchmark(_ relative: String) throws -> String {
    guard let root = benchmarks else { throw TestFailure(benchmarksUnset) }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw TestFailure("ANNEAL_BENCHMARKS=\(root) is not a directory")
    }
    return try existing(URL(fileURLWithPath: root).appendingPathComponent(relative).path)
  }

  private static func existing(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
      throw TestFailure("\(path) is missing")
    }
    return path
  }

  /// The test target's `Fixtures` directory (copied as a resource).
  static func fixtures() throws -> URL {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw TestFailure("the Fixtures resource is missing from the test bundle")
    }
    return url
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs a test over the whole benchmark sets only when `ANNEAL_BENCHMARKS`
  /// is set; otherwise the test is skipped and the reason recorded.
  static var needsBenchmarkSets: Self {
    .enabled(if: TestPaths.benchmarks != nil, Comment(rawValue: TestPaths.benchmarksUnset))
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension Label {
  /// A label from a JSON oracle value (an integer or a string).
  init(json: JSONValue) throws {
    switch json {
    case .int(let i): self = .int(i)
    case .string(let s): self = .string(s)
    case .null, .bool, .double, .array, .object:
      throw TestFailure("unexpected label \(json.serialized())")
    }
  }
}

extension JSONValue {
  subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  var arrayValue: [JSONValue] {
    if case .array(let a) = self { return a }
    return []
  }
}

/// `a` and `b` agree to `relative` (scaled by their size, at least 1).
func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
  abs(a - b) <= relative * max(1, abs(a), abs(b))
}

/// The energy of `model` for values given by label; labels the model lacks
/// are ignored (a COO file omits variables without biases).
func energy(
  of model: BinaryQuadraticModel, labels: [Label], values: [Int8]
) throws -> Double {
  var byLabel: [Label: Int8] = [:]
  for (label, v) in zip(labels, values) { byLabel[label] = v }
  var sample = [Int8]()
  for label in model.variables {
    guard let v = byLabel[label] else { throw TestFailure("no value for \(label)") }
    sample.append(v)
  }
  return model.energy(sample)
}

/// A random model on `n` variables: biases are small integers or halves
/// mixed with arbitrary doubles, so text round trips meet awkward digits.
func randomModel(
  n: Int, density: Double, vartype: Vartype, labels: [Label]? = nil, seed: UInt64
) -> BinaryQuadraticModel {
  var rng = SplitMix64(seed: seed)
  func bias() -> Double {
    switch rng.next() % 4 {
    case 0: return Double(Int(rng.next() % 9) - 4)
    case 1: return Double(Int(rng.next() % 9) - 4) / 2
    case 2: return Double.random(in: -1e-7...1e-7, using: &rng)
    default: return Double.random(in: -1000...1000, using: &rng)
    }
  }
  var model = BinaryQuadraticModel(vartype: vartype)
  let names = labels ?? (0..<n).map { Label.int($0) }
  for k in 0..<n { model.addLinear(names[k], rng.next() % 3 == 0 ? 0 : bias()) }
  for i in 0..<n {
    for j in (i + 1)..<max(i + 1, n) where Double.random(in: 0..<1, using: &rng) < density {
      model.addQuadratic(names[i], names[j], bias())
    }
  }
  model.offset = bias()
  return model
}

/// A Python interpreter that can import dimod: `ANNEAL_PYTHON`, else
/// `python3` on the PATH.
enum DimodPython {
  static let executable: String = ProcessInfo.processInfo.environment["ANNEAL_PYTHON"] ?? "python3"

  static let isAvailable: Bool = (try? run("import dimod").status) == 0

  /// In CI (`CI=true`) the interop tests must run: a Python without dimod
  /// there is a failure, not a skip.
  static let isRequired: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Runs `script` with `arguments`; returns the exit status and output.
  static func run(_ script: String, arguments: [String] = []) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable, "-c", script] + arguments
    process.currentDirectoryURL = FileManager.default.temporaryDirectory
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// A fresh temporary directory for files a test writes.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("anneal-formats-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
