import Foundation
import QUBOModel
import Testing

@testable import Sweeps

/// A cell's key covers everything that changes its result, so a spec edit
/// reruns exactly the changed cells and the resume state says which.
@Suite struct CellKeyTests {
  func plan(_ text: String, cache: String? = nil) throws -> SweepPlan {
    try SweepPlan(spec: try SweepSpec(json: try SpecText.parse(text)), instanceCache: cache)
  }

  func results(_ plan: SweepPlan) -> [CellResult] {
    plan.cells.map { cell in
      let instance = plan.instances[cell.instance]
      let grid = plan.spec.samplers[cell.sampler]
      return CellResult(
        key: cell.key, instance: instance.name, sampler: grid.label,
        parameters: grid.points[cell.point], seed: cell.seed, energies: [0], spinUpdates: 1,
        seconds: 0, threads: 1)
    }
  }

  @Test func aFixedParameterChangeRerunsThatSamplersCellsOnly() throws {
    let before = try plan(SpecTests.valid)
    let edited = SpecTests.valid.replacingOccurrences(
      of: "beta_range: [0.1, 3]", with: "beta_range: [0.001, 0.002]")
    let after = try plan(edited)
    let state = after.resumeState(results(before))
    let sa = after.cells.filter { after.spec.samplers[$0.sampler].label == "sa" }
    #expect(!sa.isEmpty)
    #expect(Set(state.changed.map(\.key)) == Set(sa.map(\.key)))
    #expect(state.reused.count == after.cells.count - sa.count)
    #expect(state.new.isEmpty)
    let message = try #require(state.message(store: "cells.jsonl"))
    #expect(message.contains("\(sa.count) stored cells no longer match"), "\(message)")
  }

  @Test func writingADefaultOutChangesNothing() throws {
    let before = try plan(SpecTests.valid)
    // pt's replica count is in the grid; its sweeps default schedule is not
    // written. Writing the spec's reads out per sampler is the same spec.
    let explicit = SpecTests.valid.replacingOccurrences(
      of: "  - sampler: pt\n", with: "  - sampler: pt\n    reads: 8\n")
    let after = try plan(explicit)
    #expect(after.cells.map(\.key) == before.cells.map(\.key))
  }

  @Test func aChangedInstanceRerunsItsCells() throws {
    let before = try plan(SpecTests.valid)
    let denser = SpecTests.valid.replacingOccurrences(
      of: "    seeds: [1, 2]\nsamplers:", with: "    seeds: [1, 2]\n    density: 0.4\nsamplers:")
    let after = try plan(denser)
    #expect(after.instances[0].fingerprint != before.instances[0].fingerprint)
    let state = after.resumeState(results(before))
    #expect(state.changed.count == after.cells.count)
    #expect(state.reused.isEmpty)
  }

  @Test func theSeedsAndSpecSeedAreInTheKey() throws {
    let before = try plan(SpecTests.valid)
    let after = try plan(SpecTests.valid.replacingOccurrences(of: "seed: 4", with: "seed: 5"))
    #expect(Set(before.cells.map(\.key)).isDisjoint(with: after.cells.map(\.key)))
  }

  @Test func generatedInstancesAreCachedAndCheckedAgainstTheirFingerprint() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("instances-\(UInt64.random(in: 0...UInt64.max))").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let first = try plan(SpecTests.valid, cache: dir)
    let record = dir + "/fl-r3-n12-s1.generator.json"
    #expect(FileManager.default.fileExists(atPath: record))
    let second = try plan(SpecTests.valid, cache: dir)
    #expect(second.instances.map(\.fingerprint) == first.instances.map(\.fingerprint))
    #expect(second.cells.map(\.key) == first.cells.map(\.key))
    #expect(second.instances[0].generator?["loops"] == .int(6))
    // A tampered model no longer matches its fingerprint and is made again.
    try "{}".write(toFile: dir + "/fl-r3-n12-s1.json", atomically: true, encoding: .utf8)
    let third = try plan(SpecTests.valid, cache: dir)
    #expect(third.instances.map(\.fingerprint) == first.instances.map(\.fingerprint))
    // Other generator arguments are not read from the cache.
    let denser = try plan(
      SpecTests.valid.replacingOccurrences(
        of: "    seeds: [1, 2]\nsamplers:", with: "    seeds: [1, 2]\n    density: 0.4\nsamplers:"),
      cache: dir)
    #expect(denser.instances[0].generator?["loops"] == .int(5))
  }
}
