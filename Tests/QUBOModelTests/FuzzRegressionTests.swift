import Foundation
import QUBOModel
import Testing

/// Inputs the libFuzzer harness (`Fuzz/`) once crashed on, in
/// `Fixtures/fuzz/<target>/`: each must now read or fail with a
/// `ModelFileError` (a `JSONParseError` for `jsonvalue`), never trap.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var target: String
    var file: String
    var testDescription: String { "\(target)/\(file)" }
  }

  static let targets = ["json", "coo", "qubo", "gset", "bqp", "auto", "jsonvalue", "dimodbqm"]

  static let corpus: [Case] = {
    guard let root = try? TestPaths.fixtures().appendingPathComponent("fuzz") else { return [] }
    return targets.flatMap { target in
      let dir = root.appendingPathComponent(target).path
      let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      return files.filter { !$0.hasPrefix(".") }.sorted().map { Case(target: target, file: $0) }
    }
  }()

  /// The corpus was found and read: a missing fixtures folder or a renamed
  /// target directory would otherwise leave the parametrised test below
  /// with no cases, which passes.
  @Test("the regression corpus is present")
  func corpusIsPresent() throws {
    let root = try TestPaths.fixtures().appendingPathComponent("fuzz").path
    let onDisk = try FileManager.default.contentsOfDirectory(atPath: root)
      .filter { !$0.hasPrefix(".") }
    #expect(Set(onDisk).isSubset(of: Self.targets), "unknown fuzz targets: \(onDisk)")
    #expect(Self.corpus.count >= 3, "\(Self.corpus.count) regression files")
    #expect(Set(Self.corpus.map(\.target)) == Set(onDisk))
  }

  @Test("each fuzz finding reads or fails cleanly", arguments: corpus)
  func regression(_ c: Case) throws {
    let url = try TestPaths.fixtures().appendingPathComponent("fuzz/\(c.target)/\(c.file)")
    let bytes = [UInt8](try Data(contentsOf: url))
    if c.target == "jsonvalue" {
      do {
        let value = try JSONValue(parsing: bytes)
        #expect(try JSONValue(parsing: value.serialized()) == value)
      } catch is JSONParseError {
      }
      return
    }
    let reads: [(String, ModelFormat)]
    switch c.target {
    case "bqp": reads = [("bqp-\(c.file)", .bqp), ("\(c.file).sparse", .bqp)]
    case "auto": reads = [(c.file, .auto)]
    default: reads = [(c.file, try #require(ModelFormat(rawValue: c.target)))]
    }
    for (name, format) in reads {
      do {
        let model = try ModelFile.read(bytes: bytes, path: name, format: format).model
        #expect(model.offset.isFinite)
        #expect(model.linear.allSatisfy { $0.isFinite })
        #expect(model.quadratic.values.allSatisfy { $0.isFinite })
      } catch let error as ModelFileError {
        #expect(error.path == name, "\(error)")
        #expect((error.line ?? 1) >= 1, "\(error)")
      }
    }
  }
}
