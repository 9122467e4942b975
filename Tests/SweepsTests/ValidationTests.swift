import Foundation
import QUBOModel
import Testing
import Tuning

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

/// The one YAML/JSON reader keeps key order and lines, and a spec error
/// read from a file names its line.
@Suite struct SpecReadingTests {
  @Test func keepsOrderAndLines() throws {
    let doc = try SpecText.document( "b: 1\na:\n  z: [1, 2]\n  y: x\n")
    #expect(doc.order[""] == ["b", "a"])
    #expect(doc.order["a"] == ["z", "y"])
    #expect(doc.lines["a.y"] == 4)
    #expect(doc.line(of: "a.z[1]") == 3)
    let json = try SpecText.document( "{\"seeds\": [3, 1], \"name\": \"j\"}")
    #expect(json.value == .object(["seeds": .array([.int(3), .int(1)]), "name": .string("j")]))
  }

  @Test func repeatedKeysAndBadSyntaxAreErrors() throws {
    #expect(throws: SweepSpecError.self) { try SpecText.document( "a: 1\na: 2\n") }
    // Aliases are resolved by Yams into copies of their anchor.
    #expect(try SpecText.document( "a: &x 1\nb: *x\n").value == .object(["a": .int(1), "b": .int(1)]))
    #expect(throws: SweepSpecError.self) { try SpecText.document( "a: [1, 2\n") }
  }

  @Test func fileErrorsNameTheLine() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("line-\(UInt64.random(in: 0...UInt64.max)).yaml").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = SpecTests.valid.replacingOccurrences(of: "sweeps: [10, 100]", with: "sweeps: [10, 10]")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try SweepSpec(path: path)
      Issue.record("a repeated sweeps value was accepted")
    } catch let error as SweepSpecError {
      let line = text.split(separator: "\n", omittingEmptySubsequences: false)
        .firstIndex { $0.contains("sweeps: [10, 10]") }.map { $0 + 1 }
      #expect(error.line == line, "\(error)")
      #expect(error.description.hasPrefix("line \(line ?? 0): samplers[0].grid.sweeps[1]"))
    }
  }
}
