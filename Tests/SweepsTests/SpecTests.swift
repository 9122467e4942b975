import Foundation
import QUBOModel
import Testing

@testable import Sweeps

@Suite struct SpecTests {
  static let valid = """
    name: t
    seed: 4
    reads: 8
    seeds: [1, 2]
    tts_unit: spin_updates
    instances:
      - generator: frustrated_loops
        graph: regular3
        sizes: [12]
        seeds: [1, 2]
    samplers:
      - sampler: sa
        beta_range: [0.1, 3]
        grid:
          sweeps: [10, 100]
      - sampler: pt
        grid:
          sweeps: [10]
          replicas: [4, 6]
    """

  func spec(_ text: String) throws -> SweepSpec {
    try SweepSpec(json: try SpecText.parse(text))
  }

  func error(_ text: String) -> SweepSpecError? {
    do {
      _ = try SweepPlan(spec: try spec(text))
      return nil
    } catch let e as SweepSpecError {
      return e
    } catch {
      return SweepSpecError(key: "unexpected", "\(error)")
    }
  }

  @Test func validSpecLaysOutCells() throws {
    let s = try spec(Self.valid)
    #expect(s.reads == 8 && s.seeds == [1, 2] && s.ttsUnit == .spinUpdates)
    #expect(s.samplers.map(\.label) == ["sa", "pt"])
    #expect(s.samplers[1].gridKeys == ["replicas", "sweeps"])
    #expect(s.samplers[1].points.count == 2)
    let plan = try SweepPlan(spec: s)
    // 2 instances × (2 + 2 points) × 2 seeds.
    #expect(plan.cells.count == 16)
    #expect(Set(plan.cells.map(\.key)).count == 16)
    #expect(plan.instances.allSatisfy { $0.targetSource == "planted" && $0.target != nil })
  }

  @Test func jsonSpecsParseToo() throws {
    let s = try spec(
      """
      {"instances": [{"generator": "frustrated_loops", "sizes": [3]}],
       "samplers": [{"sampler": "tabu"}]}
      """)
    #expect(s.samplers[0].points.count == 1)
  }

  @Test func unknownSamplerNamesTheKey() {
    let e = error(Self.valid.replacingOccurrences(of: "sampler: pt", with: "sampler: quantum"))
    #expect(e?.key == "samplers[1].sampler")
    #expect(e?.reason.contains("quantum") == true)
  }

  @Test func wrongGridValueTypeNamesTheValue() {
    let e = error(Self.valid.replacingOccurrences(of: "[10, 100]", with: "[10, fast]"))
    #expect(e?.key == "samplers[0].grid.sweeps[1]")
  }

  @Test func parameterTheSamplerDoesNotTake() {
    let e = error(Self.valid.replacingOccurrences(of: "replicas: [4, 6]", with: "trotter: [4]"))
    #expect(e?.key == "samplers[1].grid.trotter")
    #expect(e?.reason.contains("pt takes no parameter 'trotter'") == true)
    let fixed = error(
      Self.valid.replacingOccurrences(of: "beta_range: [0.1, 3]", with: "gamma_range: [3, 0.1]"))
    #expect(fixed?.key == "samplers[0].gamma_range")
  }

  @Test func missingInstanceFileNamesTheKey() {
    let text = Self.valid.replacingOccurrences(
      of: """
          - generator: frustrated_loops
            graph: regular3
            sizes: [12]
            seeds: [1, 2]
        """,
      with: """
          - files: [no-such-file.gset]
            format: gset
        """)
    let e = error(text)
    #expect(e?.key == "instances[0].files[0]")
    #expect(e?.reason.contains("no-such-file.gset") == true)
  }

  @Test func unknownTopLevelKey() {
    #expect(error("reeds: 3\n" + Self.valid)?.key == "reeds")
    #expect(error("name: x\nsamplers: []\n")?.key == "instances")
  }

  @Test func bestKnownTableTurnsCutsIntoEnergies() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("sweep-spec-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // A triangle with unit weights: W = 3, best cut 2 → E = W − 2·cut = −1.
    try "3 3\n1 2 1\n2 3 1\n1 3 1\n".write(
      to: dir.appendingPathComponent("tri.gset"), atomically: true, encoding: .utf8)
    try "set,instance,n,m_or_nnz,objective,best_known,bls2013,basis,notes\n"
      .appending("gset,tri,3,3,max_cut,2,,\"hand, by eye\",\n")
      .write(to: dir.appendingPathComponent("best.csv"), atomically: true, encoding: .utf8)
    let s = try SweepSpec(
      json: try SpecText.parse(
        """
        instances:
          - files: ["*.gset"]
            format: gset
            target: {best_known: best.csv}
        samplers:
          - sampler: sa
        """), baseDirectory: dir.path)
    let plan = try SweepPlan(spec: s)
    #expect(plan.instances.map(\.name) == ["tri"])
    #expect(plan.instances[0].target == -1)
    #expect(plan.instances[0].targetSource == "best_known")
  }
}
