import Foundation
import QUBOModel
import Testing

/// dimod's binary BQM files (`bqm.to_file()`): the fixtures in
/// `Tests/Fixtures/dimodbqm` were written by dimod itself
/// (`make_dimodbqm.py`), each beside `to_serializable()` of the same model.
@Suite("dimod binary BQM files")
struct DimodBinaryTests {
  static let cases = [
    "spin_int", "binary_int", "spin_mixed_labels", "binary_str_labels", "binary_float32",
    "spin_empty", "binary_isolated",
  ]

  @Test("each file reads as the same model as dimod's JSON of it", arguments: cases)
  func matchesJSON(_ name: String) throws {
    let binary = try ModelFile.read(path: TestPaths.fixture("dimodbqm/\(name).bqm"))
    let json = try ModelFile.read(path: TestPaths.fixture("dimodbqm/\(name).json"))
    #expect(binary.format == .dimodbqm)
    #expect(binary.formatReason.contains("DIMODBQM"))
    #expect(binary.model == json.model)
    #expect(binary.model.offset == json.model.offset)
    #expect(binary.model.numVariables == json.model.numVariables)
  }

  @Test("format 1.0 (labels in the header) reads like 2.0")
  func version1() throws {
    for name in ["spin_int", "spin_mixed_labels"] {
      let v1 = try ModelFile.read(path: TestPaths.fixture("dimodbqm/\(name)_v1.bqm"))
      let v2 = try ModelFile.read(path: TestPaths.fixture("dimodbqm/\(name).bqm"))
      #expect(v1.model == v2.model, "\(name)")
    }
  }

  @Test("the contents win over a misleading name; another --format names the file's kind")
  func detection() throws {
    let bytes = [UInt8](
      try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("dimodbqm/spin_int.bqm"))))
    let loaded = try ModelFile.read(bytes: bytes, path: "G7")
    #expect(loaded.format == .dimodbqm)
    #expect(try ModelFile.detectFormat(path: "x.json", bytes: bytes).format == .dimodbqm)
    do {
      _ = try ModelFile.read(bytes: bytes, path: "m.json", format: .json)
      Issue.record("read a binary file as JSON")
    } catch let error as ModelFileError {
      #expect(error.reason.contains("--format dimodbqm"), "\(error)")
    }
  }

  @Test("every strict prefix of a file is refused with a ModelFileError")
  func truncations() throws {
    for name in ["spin_int", "binary_str_labels", "spin_mixed_labels_v1"] {
      let bytes = [UInt8](
        try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("dimodbqm/\(name).bqm"))))
      for cut in 0..<bytes.count {
        #expect(throws: ModelFileError.self, "\(name) cut at \(cut)") {
          try ModelFile.read(bytes: Array(bytes.prefix(cut)), path: name, format: .dimodbqm)
        }
      }
    }
  }

  @Test("each broken file in the corpus fails with its reason and no line")
  func broken() throws {
    let root = try TestPaths.fixtures()
    let manifest = try String(
      contentsOf: root.appendingPathComponent("broken/manifest.tsv"), encoding: .utf8)
    let rows = manifest.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
      .filter { $0.count == 4 && $0[1] == "dimodbqm" }
    #expect(rows.count >= 12)
    for row in rows {
      let path = root.appendingPathComponent(row[0]).path
      for format in [ModelFormat.dimodbqm, .auto]
      where format == .dimodbqm || row[0].contains("wrong_magic") == false {
        do {
          _ = try ModelFile.read(path: path, format: format)
          Issue.record("\(row[0]) was read with \(format)")
        } catch let error as ModelFileError {
          #expect(error.path == path)
          #expect(error.line == nil, "\(error)")
          #expect(error.reason.contains(row[3]), "\(row[0]): \(error)")
        }
      }
    }
  }
}
