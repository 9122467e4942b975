import Foundation
import QUBOModel
import Testing

@testable import Sweeps

/// Empty lists and repeated values are errors naming the key, not runs
/// that do nothing or report a group twice.
@Suite struct ValidationTests {
  func error(_ text: String) -> SweepSpecError? {
    do {
      _ = try SweepPlan(spec: try SweepSpec(json: try SpecText.parse(text)))
      return nil
    } catch let e as SweepSpecError {
      return e
    } catch {
      return SweepSpecError(key: "unexpected", "\(error)")
    }
  }

  @Test(arguments: [
    ("grid:\n      sweeps: [10, 100]", "grid: {}", "samplers[0].grid"),
    ("sizes: [12]", "sizes: []", "instances[0].sizes"),
    ("sizes: [12]", "sizes: [12, 12]", "instances[0].sizes[1]"),
    ("    seeds: [1, 2]\nsamplers:", "    seeds: []\nsamplers:", "instances[0].seeds"),
    ("    seeds: [1, 2]\nsamplers:", "    seeds: [2, 2]\nsamplers:", "instances[0].seeds[1]"),
    ("seeds: [1, 2]\ntts_unit", "seeds: []\ntts_unit", "seeds"),
    ("seeds: [1, 2]\ntts_unit", "seeds: [1, 1]\ntts_unit", "seeds[1]"),
    ("sweeps: [10, 100]", "sweeps: [10, 10]", "samplers[0].grid.sweeps[1]"),
    ("sweeps: [10, 100]", "sweeps: [10, 10.0]", "samplers[0].grid.sweeps[1]"),
    ("replicas: [4, 6]", "replicas: []", "samplers[1].grid.replicas"),
  ])
  func rejectedNamingTheKey(old: String, new: String, key: String) throws {
    #expect(SpecTests.valid.contains(old))
    let e = try #require(error(SpecTests.valid.replacingOccurrences(of: old, with: new)))
    #expect(e.key == key, "\(e)")
  }

  @Test func theValidSpecPasses() {
    #expect(error(SpecTests.valid) == nil)
  }
}
