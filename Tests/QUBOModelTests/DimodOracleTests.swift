import Annealing
import Foundation
import QUBOModel
import Testing

/// Every case in `Tests/Fixtures/dimod` (dimod 0.12.23): our reading of
/// dimod's JSON and COO files gives dimod's energies, vartype conversion
/// and ground energies.
@Suite("dimod oracles")
struct DimodOracleTests {
  static let cases: [String] = (0..<24).map { String(format: "case%02d", $0) }

  /// The cases small enough (at most 16 variables) for dimod's
  /// `ExactSolver`, the only ones whose oracle has a ground energy.
  static let enumerable: [String] = [
    2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15, 16, 20, 21, 22, 23,
  ].map { String(format: "case%02d", $0) }

  static func path(_ name: String, _ suffix: String) throws -> String {
    try TestPaths.fixture("dimod/\(name).\(suffix)")
  }

  struct Expectation {
    var labels: [Label]
    var vartype: Vartype
    var samples: [[Int8]]
    var energies: [Double]
    var converted: JSONValue
    var groundEnergy: Double?

    init(path: String) throws {
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
      let json = try JSONValue(parsing: bytes)
      labels = try (json["variable_labels"]?.arrayValue ?? []).map(Label.init(json:))
      guard case .string(let vt)? = json["variable_type"], let v = Vartype(rawValue: vt) else {
        throw TestFailure("bad variable_type in \(path)")
      }
      vartype = v
      samples = (json["samples"]?.arrayValue ?? []).map { row in
        row.arrayValue.map { Int8(truncatingIfNeeded: Int($0.doubleValue ?? 99)) }
      }
      energies = (json["energies"]?.arrayValue ?? []).compactMap(\.doubleValue)
      converted = json["converted"] ?? .null
      groundEnergy = json["ground_energy"]?.doubleValue
    }
  }

  @Test("the JSON model gives dimod's energies", arguments: cases)
  func jsonEnergies(name: String) throws {
    let loaded = try ModelFile.read(path: try Self.path(name, "bqm.json"))
    #expect(loaded.format == .json)
    let expect = try Expectation(path: try Self.path(name, "expect.json"))
    #expect(loaded.model.vartype == expect.vartype)
    #expect(loaded.model.numVariables == expect.labels.count)
    #expect(expect.samples.count == 30 && expect.energies.count == 30)
    for (row, e) in zip(expect.samples, expect.energies) {
      let ours = try energy(of: loaded.model, labels: expect.labels, values: row)
      #expect(close(ours, e), "\(name): energy \(ours) vs dimod \(e)")
    }
  }

  @Test("changingVartype matches dimod's change_vartype", arguments: cases)
  func converted(name: String) throws {
    let model = try ModelFile.read(path: try Self.path(name, "bqm.json")).model
    let expect = try Expectation(path: try Self.path(name, "expect.json"))
    guard case .string(let vt)? = expect.converted["variable_type"],
      let target = Vartype(rawValue: vt)
    else { throw TestFailure("no converted vartype") }
    #expect(target != model.vartype)
    let ours = model.changingVartype(to: target)
    #expect(close(ours.offset, expect.converted["offset"]?.doubleValue ?? .nan))
    let linear = expect.converted["linear"]?.arrayValue ?? []
    #expect(linear.count == ours.numVariables)
    for entry in linear {
      let pair = entry.arrayValue
      let label = try Label(json: pair[0])
      #expect(close(ours.linear(label), pair[1].doubleValue ?? .nan), "\(name) linear \(label)")
    }
    let quadratic = expect.converted["quadratic"]?.arrayValue ?? []
    #expect(quadratic.count == ours.numInteractions)
    for entry in quadratic {
      let t = entry.arrayValue
      let (u, v) = (try Label(json: t[0]), try Label(json: t[1]))
      #expect(close(ours.quadratic(u, v), t[2].doubleValue ?? .nan), "\(name) quadratic \(u) \(v)")
    }
  }

  @Test("exactly the enumerable cases have a ground energy", arguments: cases)
  func groundEnergyPresence(name: String) throws {
    let expect = try Expectation(path: try Self.path(name, "expect.json"))
    let listed = Self.enumerable.contains(name)
    #expect((expect.groundEnergy != nil) == listed, "\(name): ground energy vs enumerable list")
    #expect((expect.labels.count <= 16) == listed, "\(name): \(expect.labels.count) variables")
  }

  @Test("ExactSolver finds dimod's ground energy", arguments: enumerable)
  func groundEnergy(name: String) throws {
    let expect = try Expectation(path: try Self.path(name, "expect.json"))
    let ground = try #require(expect.groundEnergy, "\(name) has no ground energy")
    let model = try ModelFile.read(path: try Self.path(name, "bqm.json")).model
    let result = try ExactSolver(keepLowest: 1).sample(model, seed: 1)
    let lowest = try #require(result.lowestEnergy)
    #expect(close(lowest, ground), "\(name): ground \(lowest) vs dimod \(ground)")
  }

  @Test("the COO file is the JSON model to 6 decimals, without the offset", arguments: cases)
  func cooMatchesJSON(name: String) throws {
    let cooPath = TestPaths.packageRoot
      .appendingPathComponent("Tests/Fixtures/dimod/\(name).coo").path
    guard FileManager.default.fileExists(atPath: cooPath) else {
      // Cases with string labels have no COO file (dimod cannot write one).
      let json = try ModelFile.read(path: try Self.path(name, "bqm.json"))
      #expect(
        json.model.variables.contains { if case .string = $0 { return true } else { return false } }
      )
      return
    }
    let coo = try ModelFile.read(path: cooPath)
    #expect(coo.format == .coo)
    #expect(coo.notes.isEmpty || coo.notes.allSatisfy { !$0.contains("vartype") })
    let json = try ModelFile.read(path: try Self.path(name, "bqm.json")).model
    #expect(coo.model.vartype == json.vartype)
    #expect(coo.model.offset == 0)
    // Every bias agrees to the half-unit of the sixth decimal dimod writes.
    let tolerance = 5.000001e-7
    for label in json.variables {
      #expect(abs(coo.model.linear(label) - json.linear(label)) <= tolerance)
    }
    for (key, b) in json.quadratic {
      let (u, v) = (json.variables.label(at: key.i), json.variables.label(at: key.j))
      #expect(abs(coo.model.quadratic(u, v) - b) <= tolerance, "\(name) \(u) \(v)")
    }
    let expect = try Expectation(path: try Self.path(name, "expect.json"))
    let terms = Double(json.numVariables + json.numInteractions)
    for (row, e) in zip(expect.samples, expect.energies) {
      let ours = try energy(of: coo.model, labels: expect.labels, values: row) + json.offset
      #expect(
        abs(ours - e) <= terms * tolerance + 1e-9 * max(1, abs(e)), "\(name): \(ours) vs \(e)")
    }
  }
}
