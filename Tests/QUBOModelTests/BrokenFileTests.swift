import Annealing
import Foundation
import QUBOModel
import Testing

/// The broken-file corpus in `Fixtures/broken` (made by
/// `Fixtures/make_broken.py`): each file must fail with the listed line and
/// reason, never trap; the `valid_*` files must read.
@Suite("broken files")
struct BrokenFileTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var file: String
    var format: ModelFormat
    var line: Int
    var reason: String
    var testDescription: String { file }
  }

  static let corpus: [Case] = {
    guard let url = try? TestPaths.fixtures().appendingPathComponent("broken/manifest.tsv"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return [] }
    return text.split(separator: "\n").compactMap { row in
      let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard f.count == 4, let format = ModelFormat(rawValue: f[1]), let line = Int(f[2]) else {
        return nil
      }
      return Case(file: f[0], format: format, line: line, reason: f[3])
    }
  }()

  @Test("the corpus covers every reader")
  func coverage() {
    #expect(Self.corpus.count >= 100)
    for format in ModelFormat.allCases where format != .auto {
      #expect(Self.corpus.filter { $0.format == format }.count >= 12, "\(format)")
    }
  }

  @Test("each broken file gives its line and reason", arguments: corpus.filter { $0.line > 0 })
  func broken(_ c: Case) throws {
    let path = try TestPaths.fixtures().appendingPathComponent(c.file).path
    do {
      let loaded = try ModelFile.read(path: path, format: c.format)
      Issue.record("\(c.file) was read (\(loaded.model.numVariables) variables) but should fail")
    } catch let error as ModelFileError {
      #expect(error.path == path)
      #expect(error.line == c.line, "\(c.file): \(error)")
      #expect(error.reason.contains(c.reason), "\(c.file): \(error)")
      #expect(error.description == "\(path):\(c.line): \(error.reason)")
    }
  }

  /// Detection by content cannot always tell a broken file of one format
  /// from a valid file of another (a Gset self-loop `2 2 1` looks like a
  /// bqp diagonal entry), so with `auto` a file may read, but only as some
  /// other format.
  @Test(
    "with --format auto the same files fail or read as another format",
    arguments: corpus.filter { $0.line > 0 })
  func brokenAuto(_ c: Case) throws {
    let path = try TestPaths.fixtures().appendingPathComponent(c.file).path
    do {
      let loaded = try ModelFile.read(path: path)
      #expect(loaded.format != c.format, "\(c.file) was read as \(c.format)")
    } catch is ModelFileError {
    }
  }

  @Test("COO and qbsolv sum repeated entries")
  func duplicatesSummed() throws {
    let root = try TestPaths.fixtures()
    let coo = try ModelFile.read(
      path: root.appendingPathComponent("broken/coo/valid_duplicates.coo").path)
    #expect(coo.model.vartype == .binary)
    #expect(coo.model.linear(0) == 4)
    #expect(coo.model.quadratic(0, 1) == 3)
    let qubo = try ModelFile.read(
      path: root.appendingPathComponent("broken/qubo/valid_duplicates.qubo").path)
    #expect(qubo.model.linear(0) == 4)
    #expect(qubo.model.quadratic(0, 1) == 3)
  }

  @Test("a missing file or a directory is an error, not a crash")
  func missing() throws {
    #expect(throws: ModelFileError(path: "/nonexistent/x.json", line: nil, reason: "no such file"))
    {
      try ModelFile.read(path: "/nonexistent/x.json")
    }
    let dir = try temporaryDirectory()
    #expect(throws: ModelFileError.self) { try ModelFile.read(path: dir.path) }
  }

  /// Valid small files in every format, to be mutated.
  static let seeds: [(String, ModelFormat, String)] = [
    ("g.txt", .gset, "4 3\n1 2 1\n2 3 -1\n3 4 1\n"),
    ("b.txt", .bqp, "3 4\n1 1 -5\n1 2 3\n2 3 -2\n3 3 4\n"),
    ("m.coo", .coo, "# vartype=SPIN\n# offset=0.5\n0 0 1.5\n0 1 -2\n1 2 3.25\n"),
    ("m.qubo", .qubo, "c x\np qubo 0 3 2 2\n0 0 1.5\n2 2 -1\n0 1 -2\n1 2 3.25\n"),
    (
      "m.json", .json,
      "{\"type\": \"BinaryQuadraticModel\", \"version\": {\"bqm_schema\": \"3.0.0\"}, \"use_bytes\": false, "
        + "\"variable_labels\": [0, \"a\", 2], \"variable_type\": \"SPIN\", \"offset\": 0.5, "
        + "\"linear_biases\": [1.0, -1e-3, 0], \"quadratic_biases\": [0.5, 1], "
        + "\"quadratic_head\": [0, 1], \"quadratic_tail\": [1, 2]}"
    ),
  ]

  @Test("random mutations of valid files read or fail with a ModelFileError, never trap")
  func mutations() throws {
    var rng = SplitMix64(seed: 20_261_121)
    let alphabet = Array("0123456789 -+.eE\n\t#cp,:[]{}\"xnaNIf".utf8) + [0, 0xFF, 0x80]
    for (name, format, text) in Self.seeds {
      let original = Array(text.utf8)
      #expect(throws: Never.self) {
        try ModelFile.read(bytes: original, path: name, format: format)
      }
      for _ in 0..<3000 {
        var bytes = original
        for _ in 0...(rng.next() % 3) {
          let p = Int(rng.next() % UInt64(bytes.count + 1))
          switch rng.next() % 4 {
          case 0 where p < bytes.count:
            bytes[p] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
          case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: p)
          case 2 where p < bytes.count: bytes.remove(at: p)
          default: bytes = Array(bytes.prefix(p))
          }
        }
        for f in [format, ModelFormat.auto] {
          do {
            let loaded = try ModelFile.read(bytes: bytes, path: name, format: f)
            #expect(loaded.model.linear.allSatisfy { $0.isFinite })
          } catch let error as ModelFileError {
            #expect(error.path == name)
            #expect(!error.reason.isEmpty)
          }
        }
      }
    }
  }
}
