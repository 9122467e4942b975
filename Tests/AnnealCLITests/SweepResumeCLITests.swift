import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Reruns into the same output: a spec edit reruns exactly the changed
/// cells and says so; a killed parent and an immediate rerun never record a
/// cell twice.
@Suite("anneal sweep reruns", .serialized)
struct SweepResumeCLITests {
  @Test func aSpecEditRerunsExactlyTheChangedCells() throws {
    let base = SweepCLITests.spec.replacingOccurrences(of: "sizes: [24, 48]", with: "sizes: [12]")
    let specPath = try CLI.temporaryFile("edit.yaml", base)
    let dir = try SweepCLITests.directory("edit")
    let first = try CLI.run(["sweep", specPath, "--output", dir])
    #expect(first.status == 0, "\(first.stderr)")
    let total = try SweepCLITests.storedKeys(dir).count
    #expect(total == 3 * 5 * 2)

    // A hot β range for pt only: its 3 × 2 × 2 cells run again, sa's are kept.
    let edited = base.replacingOccurrences(
      of: "  - sampler: pt\n", with: "  - sampler: pt\n    beta_range: [0.001, 0.002]\n")
    try edited.write(toFile: specPath, atomically: true, encoding: .utf8)
    let second = try CLI.run(["sweep", specPath, "--output", dir, "--json"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("resuming: 18 of 30 cells"), "\(second.stderr)")
    #expect(second.stderr.contains("12 stored cells no longer match the spec"), "\(second.stderr)")
    #expect(try SweepCLITests.storedKeys(dir).count == total + 12)
    let summary = try jsonObject(second.stdout)
    let samplers = try #require(summary["samplers"] as? [[String: Any]])
    let pt = try #require(samplers.first { $0["label"] as? String == "pt" })
    let fixed = try #require(pt["fixed"] as? [String: Any])
    #expect(fixed["beta_range"] as? [Double] == [0.001, 0.002])
    #expect(fixed["replicas"] != nil, "the resolved defaults are recorded")

    // A changed planted density changes every instance: all cells rerun.
    let denser = edited.replacingOccurrences(
      of: "    seeds: [1, 2, 3]\n", with: "    seeds: [1, 2, 3]\n    density: 0.4\n")
    try denser.write(toFile: specPath, atomically: true, encoding: .utf8)
    let third = try CLI.run(["sweep", specPath, "--output", dir])
    #expect(third.status == 0, "\(third.stderr)")
    #expect(third.stderr.contains("resuming: 0 of 30"), "\(third.stderr)")
    #expect(try SweepCLITests.storedKeys(dir).count == total + 12 + 30)
  }

  @Test func killingTheParentAndRerunningAtOnceRecordsNoCellTwice() throws {
    let slow = SweepCLITests.spec.replacingOccurrences(
      of: "sweeps: [20, 200, 2000]", with: "sweeps: [20, 2000, 20000]")
    let specPath = try CLI.temporaryFile("orphans.yaml", slow)
    for round in 0..<3 {
      let dir = try SweepCLITests.directory("orphans-\(round)")
      let parent = Process()
      parent.executableURL = CLI.binary
      parent.arguments = ["sweep", specPath, "--output", dir, "--workers", "2"]
      parent.standardOutput = FileHandle.nullDevice
      parent.standardError = FileHandle.nullDevice
      try parent.run()
      var stored = 0
      let t0 = Date()
      while stored < 3 + 2 * round && parent.isRunning && Date().timeIntervalSince(t0) < 60 {
        usleep(2000)
        stored = (try? SweepCLITests.storedKeys(dir).count) ?? 0
      }
      #expect(parent.isRunning, "the sweep finished before it could be killed")
      kill(parent.processIdentifier, SIGKILL)
      parent.waitUntilExit()
      // No pause: the rerun starts while the orphans may still be alive.
      let rerun = try CLI.run(["sweep", specPath, "--output", dir, "--workers", "2"])
      #expect(rerun.status == 0, "\(rerun.stderr)")
      let keys = try SweepCLITests.storedKeys(dir)
      #expect(keys.count == 6 * 5 * 2, "round \(round): \(keys.count) records")
      #expect(Set(keys).count == keys.count, "round \(round): a cell was recorded twice")
    }
  }

  @Test(arguments: [
    ("grid:\n      sweeps: [20, 200]", "grid: {}", "samplers[1].grid"),
    ("sizes: [24, 48]", "sizes: []", "instances[0].sizes"),
    ("seeds: [1, 2, 3]", "seeds: []", "instances[0].seeds"),
    ("seeds: 2", "seeds: []", "seeds"),
    ("sweeps: [20, 200]", "sweeps: [20, 20]", "samplers[1].grid.sweeps[1]"),
    ("sizes: [24, 48]", "sizes: [24, 24]", "instances[0].sizes[1]"),
    ("sizes: [24, 48]", "sizes: [24, 4096]\n    density: 3", "instances[0]"),
  ])
  func emptyRepeatedAndUnplantableExitTwo(old: String, new: String, key: String) throws {
    #expect(SweepCLITests.spec.contains(old))
    let text = SweepCLITests.spec.replacingOccurrences(of: old, with: new)
    let specPath = try CLI.temporaryFile("invalid-\(abs(key.hashValue)).yaml", text)
    let out = try SweepCLITests.directory("invalid")
    let r = try CLI.run(["sweep", specPath, "--output", out])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("\(key):"), "\(r.stderr)")
  }
}
