import Foundation
import QUBOModel
import Testing

/// `--format auto`: what is chosen, and why.
@Suite("format detection")
struct FormatDetectionTests {
  @Test(
    "names and extensions decide first",
    arguments: [
      ("dir/model.json", ModelFormat.json), ("a.coo", .coo), ("b.QUBO", .qubo), ("G43", .gset),
      ("/x/WK2000_1.rud", .gset), ("bqp250_3.txt", .bqp), ("gka1a.sparse", .bqp), ("gka2b", .bqp),
    ])
  func byName(path: String, format: ModelFormat) throws {
    let detected = try ModelFile.detectFormat(path: path, bytes: Array("1 2 3\n".utf8))
    #expect(detected.format == format)
    #expect(!detected.reason.isEmpty)
  }

  @Test(
    "contents decide when the name says nothing",
    arguments: [
      ("  \n{\"type\": 1}", ModelFormat.json, "'{'"),
      ("c comment\np qubo 0 2 0 0\n", .qubo, "qbsolv"),
      ("p qubo 0 2 0 0\n", .qubo, "qbsolv"),
      ("# vartype=SPIN\n0 1 1\n", .coo, "COO"),
      ("0 1 1.5\n", .coo, "three fields"),
      ("3 2\n1 2 1\n2 3 -1\n", .gset, "no diagonal"),
      ("3 2\n1 2 1\n3 3 -1\n", .bqp, "diagonal entry 'i i q' on line 3"),
      (" 10 \n 100 475\n", .bqp, "multi-instance"),
    ])
  func byContent(text: String, format: ModelFormat, reason: String) throws {
    let detected = try ModelFile.detectFormat(path: "data.txt", bytes: Array(text.utf8))
    #expect(detected.format == format)
    #expect(detected.reason.contains(reason), "\(detected.reason)")
  }

  @Test("an explicit format wins, and says so")
  func explicit() throws {
    let detected = try ModelFile.detectFormat(path: "G1", bytes: [], requested: .coo)
    #expect(detected.format == .coo)
    #expect(detected.reason == "--format coo was given")
    #expect(throws: ModelFileError.self) {
      try ModelFile.detectFormat(path: "data.txt", bytes: Array("a b c d e\n".utf8))
    }
  }

  @Test("COO without a header reads as BINARY with a note, or as the vartype asked for")
  func cooVartype() throws {
    let bytes = Array("0 0 1\n0 1 -2\n".utf8)
    let plain = try ModelFile.read(bytes: bytes, path: "m.coo")
    #expect(plain.model.vartype == .binary)
    #expect(plain.notes.contains { $0.contains("BINARY") })
    let spin = try ModelFile.read(bytes: bytes, path: "m.coo", vartype: .spin)
    #expect(spin.model.vartype == .spin && spin.notes.isEmpty)
    // A spin COO self-pair is a linear bias (dimod's rule), not an offset.
    #expect(spin.model.linear(0) == 1 && spin.model.offset == 0)
    #expect(throws: ModelFileError.self) {
      try ModelFile.read(
        bytes: Array("# vartype=BINARY\n0 1 1\n".utf8), path: "m.coo", vartype: .spin)
    }
  }

  @Test(
    "awkward numbers survive a COO round trip exactly",
    arguments: [Double]([
      0.1, -0.0, 1e-7, Double.leastNonzeroMagnitude, 2.2250738585072014e-308,
      1.7976931348623157e308, 1e22, 1e23,
      123456789.12345679, -3.0000000000000004, 0.30000000000000004, 9_007_199_254_740_992 + 2,
    ]))
  func numbers(value: Double) throws {
    var model = BinaryQuadraticModel(vartype: .spin, count: 2)
    model.addQuadratic(index: 0, 1, value)
    model.addLinear(index: 1, -value)
    model.offset = value
    let text = try ModelFile.serialize(model, format: .coo)
    let numbers = text.split(separator: "\n").map { $0.split(separator: "=").last ?? $0 }
    #expect(numbers.allSatisfy { !$0.contains("e") || $0.contains("vartype") }, "\(text)")
    let back = try ModelFile.read(bytes: Array(text.utf8), path: "n.coo").model
    #expect(back.quadratic(0, 1).bitPattern == value.bitPattern || back.quadratic(0, 1) == value)
    #expect(back.offset == value && back.linear(1) == -value)
  }

  @Test(
    "text numbers parse like the standard library",
    arguments: [
      "1", "-2", "+3.5", ".5", "5.", "1e3", "-1.25E-2", "0.1", "123456789012345678901234567890",
      "1.7976931348623157e308", "4.9e-324", "0.000000000000000000000000000001", "9007199254740993",
    ])
  func parsing(text: String) throws {
    let loaded = try ModelFile.read(
      bytes: Array("# vartype=SPIN\n0 1 \(text)\n".utf8), path: "p.coo")
    #expect(loaded.model.quadratic(0, 1) == Double(text))
  }

  @Test("K2000 reads with its published counts and total weight", .needsBenchmarkSets)
  func k2000() throws {
    let clock = ContinuousClock()
    var loaded: LoadedModel?
    let elapsed = try clock.measure {
      loaded = try ModelFile.read(path: try TestPaths.benchmark("k2000/WK2000_1.rud"))
    }
    let k = try #require(loaded)
    #expect(k.format == .gset)
    #expect(k.model.numVariables == 2000)
    #expect(k.model.numInteractions == 1_999_000)
    #expect(k.objective?.shift == -1040.0 / 2)
    print("K2000 read in \(elapsed) (this build)")
  }
}
