import Foundation
import QUBOModel
import Testing

/// Gset and OR-Library files read into models whose objectives reproduce
/// published certificates: single instances shipped in `problems/` and
/// `Tests/Fixtures`, and the whole sets under `ANNEAL_BENCHMARKS` when set.
@Suite("benchmark files")
struct BenchmarkFileTests {
  /// The cut of `bits` computed straight from the edge list, independently
  /// of the reader.
  static func directCut(path: String, inS: [Bool]) throws -> Double {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var cut = 0.0
    for line in text.split(separator: "\n").dropFirst() {
      let f = line.split(separator: " ")
      guard f.count >= 3, let i = Int(f[0]), let j = Int(f[1]), let w = Double(f[2]) else {
        continue
      }
      if inS[i - 1] != inS[j - 1] { cut += w }
    }
    return cut
  }

  @Test("G1 reads as 800 vertices, 19176 edges; the bit-string certificate cuts 11624")
  func gsetG1() throws {
    let path = try TestPaths.problem("G1.gset")
    let loaded = try ModelFile.read(path: path)
    #expect(loaded.format == .gset)
    #expect(loaded.model.vartype == .spin)
    #expect(loaded.model.numVariables == 800)
    #expect(loaded.model.numInteractions == 19176)
    let objective = try #require(loaded.objective)
    #expect(objective.name == "cut" && objective.sense == .maximize)
    #expect(objective.shift == 19176.0 / 2)

    let hex = try String(
      contentsOfFile: try TestPaths.fixture("gset/G1.bitstream.txt"),
      encoding: .utf8
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    var bits: [Bool] = []
    for c in hex.dropFirst(2) {
      let v = try #require(c.hexDigitValue)
      for b in (0..<4).reversed() { bits.append(v >> b & 1 == 1) }
    }
    // Left-pad to n bits; bit 1 (leftmost) is vertex 1.
    while bits.count > 800 {
      #expect(bits.first == false)
      bits.removeFirst()
    }
    bits = Array(repeating: false, count: 800 - bits.count) + bits
    let spins = bits.map { Int8($0 ? 1 : -1) }
    let cut = objective.value(energy: loaded.model.energy(spins))
    #expect(cut == 11624)
    #expect(try Self.directCut(path: path, inS: bits) == 11624)
    #expect(objective.energy(value: cut) == loaded.model.energy(spins))
  }

  @Test("bqp500-2 with its certificate scores f = 128339")
  func bqp500() throws {
    let loaded = try ModelFile.read(path: try TestPaths.fixture("beasley/bqp500_2.txt"))
    #expect(loaded.format == .bqp)
    #expect(loaded.model.vartype == .binary)
    #expect(loaded.model.numVariables == 500)
    let objective = try #require(loaded.objective)
    #expect(objective.name == "bqp" && objective.sense == .maximize)
    let x = try String(
      contentsOfFile: try TestPaths.fixture("beasley/bqp500_2_x_128339.txt"),
      encoding: .utf8
    ).split(whereSeparator: \.isWhitespace).map { Int8($0) ?? -1 }
    #expect(x.count == 500 && x.allSatisfy { $0 == 0 || $0 == 1 })
    #expect(objective.value(energy: loaded.model.energy(x)) == 128339)
  }

  @Test("gka files use the BiqMac minimization convention")
  func gka() throws {
    let loaded = try ModelFile.read(path: try TestPaths.fixture("beasley/gka1a.sparse"))
    #expect(loaded.format == .bqp)
    let objective = try #require(loaded.objective)
    #expect(objective.name == "gka" && objective.sense == .minimize)
    #expect(loaded.model.numVariables == 50)
    // f(e_1) = q_11 = -100 (first line of the file is `1 1 -100`).
    var x = [Int8](repeating: 0, count: 50)
    x[0] = 1
    #expect(objective.value(energy: loaded.model.energy(x)) == -100)
  }

  /// The first two integers of a file's first line (`n m` or `n nnz`).
  static func header(path: String) throws -> (Int, Int) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let first = text.prefix { $0 != "\n" }.split(whereSeparator: \.isWhitespace)
    guard first.count >= 2, let a = Int(first[0]), let b = Int(first[1]) else {
      throw TestFailure("\(path): no header")
    }
    return (a, b)
  }

  @Test(
    "every Gset graph and split bqp instance reads with the header's counts", .needsBenchmarkSets)
  func allInstances() throws {
    let gset = try TestPaths.benchmark("gset")
    let names = try FileManager.default.contentsOfDirectory(atPath: gset)
      .filter { $0.hasPrefix("G") }
    #expect(names.count == 71)
    for name in names {
      let path = gset + "/" + name
      let loaded = try ModelFile.read(path: path)
      let (n, m) = try Self.header(path: path)
      #expect(loaded.format == .gset, "\(name)")
      #expect(loaded.model.numVariables == n && loaded.model.numInteractions == m, "\(name)")
    }
    let split = try TestPaths.benchmark("beasley/split")
    let bqp = try FileManager.default.contentsOfDirectory(atPath: split)
      .filter { $0.hasPrefix("bqp") }
    #expect(bqp.count == 50)
    for name in bqp {
      let path = split + "/" + name
      let loaded = try ModelFile.read(path: path)
      #expect(loaded.objective?.name == "bqp", "\(name)")
      #expect(loaded.model.numVariables == (try Self.header(path: path)).0, "\(name)")
    }
  }
}
