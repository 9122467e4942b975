import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `anneal sweep` as a process: resume after kill -9, workers, bad specs.
@Suite("anneal sweep, as a process", .serialized)
struct SweepCLITests {
  static let spec = """
    name: kill-test
    seed: 21
    reads: 12
    seeds: 2
    tts_unit: spin_updates
    instances:
      - generator: frustrated_loops
        graph: regular3
        sizes: [24, 48]
        seeds: [1, 2, 3]
    samplers:
      - sampler: sa
        grid:
          sweeps: [20, 200, 2000]
      - sampler: pt
        grid:
          sweeps: [20, 200]
    """

  static func directory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-sweep-tests-\(ProcessInfo.processInfo.processIdentifier)/\(name)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(
      at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
    return dir.path
  }

  /// summary.json without its wall-clock measurements.
  static func reproducibleSummary(_ dir: String) throws -> String {
    let data = try #require(FileManager.default.contents(atPath: dir + "/summary.json"))
    var object = try JSONSerialization.jsonObject(with: data)
    func strip(_ x: Any) -> Any {
      if let d = x as? [String: Any] {
        return d.filter { $0.key != "timing" }.mapValues(strip)
      }
      if let a = x as? [Any] { return a.map(strip) }
      return x
    }
    object = strip(object)
    let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: out, as: UTF8.self)
  }

  static func storedKeys(_ dir: String) throws -> [String] {
    let text = try String(contentsOfFile: dir + "/cells.jsonl", encoding: .utf8)
    return try text.split(separator: "\n").map { line in
      let o = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      return try #require(o["key"] as? String)
    }
  }

  @Test func killNineThenRerunMatchesAnUninterruptedRun() throws {
    let specPath = try CLI.temporaryFile("kill-test.yaml", Self.spec)
    let whole = try Self.directory("whole")
    let first = try CLI.run(["sweep", specPath, "--output", whole])
    #expect(first.status == 0, "\(first.stderr)")
    let total = try Self.storedKeys(whole).count
    #expect(total == 6 * 5 * 2)

    let killed = try Self.directory("killed")
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = ["sweep", specPath, "--output", killed]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let cells = killed + "/cells.jsonl"
    var lines = 0
    let start = Date()
    while lines < 8 && p.isRunning && Date().timeIntervalSince(start) < 60 {
      usleep(2000)
      lines =
        (try? String(contentsOfFile: cells, encoding: .utf8))?
        .split(separator: "\n").count ?? 0
    }
    #expect(p.isRunning, "the sweep finished before it could be killed")
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    let partial = try Self.storedKeys(killed).count
    #expect(partial > 0 && partial < total)

    let resumed = try CLI.run(["sweep", specPath, "--output", killed])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming"))
    let keys = try Self.storedKeys(killed)
    #expect(keys.count == total)
    #expect(Set(keys).count == total)
    #expect(Set(keys) == Set(try Self.storedKeys(whole)))
    #expect(try Self.reproducibleSummary(killed) == Self.reproducibleSummary(whole))

    // A third run finds nothing to do and repeats no cell.
    let again = try CLI.run(["sweep", specPath, "--output", killed])
    #expect(again.status == 0)
    #expect(try Self.storedKeys(killed).count == total)

    // Killing the parent of two workers stops them after their current cell;
    // the rerun completes the sweep with no duplicate.
    let orphans = try Self.directory("orphans")
    let parent = Process()
    parent.executableURL = CLI.binary
    parent.arguments = ["sweep", specPath, "--output", orphans, "--workers", "2"]
    parent.standardOutput = FileHandle.nullDevice
    parent.standardError = FileHandle.nullDevice
    try parent.run()
    var stored = 0
    let t0 = Date()
    while stored < 6 && parent.isRunning && Date().timeIntervalSince(t0) < 60 {
      usleep(2000)
      stored = (try? Self.storedKeys(orphans).count) ?? 0
    }
    #expect(parent.isRunning, "the sweep finished before it could be killed")
    kill(parent.processIdentifier, SIGKILL)
    parent.waitUntilExit()
    // Wait until the store stops growing (each worker finishes at most the
    // cell it was in); had the workers run on, they would finish the sweep.
    var afterKill = try Self.storedKeys(orphans).count
    for _ in 0..<15 {
      sleep(2)
      let now = try Self.storedKeys(orphans).count
      if now == afterKill { break }
      afterKill = now
    }
    #expect(afterKill < total, "workers ran on without a parent")
    let finish = try CLI.run(["sweep", specPath, "--output", orphans, "--workers", "2"])
    #expect(finish.status == 0, "\(finish.stderr)")
    #expect(try Self.storedKeys(orphans).count == total)
    #expect(Set(try Self.storedKeys(orphans)).count == total)
    #expect(try Self.reproducibleSummary(orphans) == Self.reproducibleSummary(whole))

    let workers = try Self.directory("workers")
    let parallel = try CLI.run(["sweep", specPath, "--output", workers, "--workers", "2"])
    #expect(parallel.status == 0, "\(parallel.stderr)")
    #expect(Set(try Self.storedKeys(workers)).count == total)
    #expect(try Self.reproducibleSummary(workers) == Self.reproducibleSummary(whole))
    for name in ["cells.csv", "cells.json", "summary.json", "plots/optimal_tts.svg"] {
      #expect(FileManager.default.fileExists(atPath: "\(workers)/\(name)"), "\(name)")
    }
  }

  @Test func budgetStopsEarlyAndJSONAndStorageOptions() throws {
    let tiny = Self.spec.replacingOccurrences(of: "sizes: [24, 48]", with: "sizes: [12]")
    let budgeted = try CLI.temporaryFile("budget.yaml", "budget_seconds: 0.000001\n" + tiny)
    let dir = try Self.directory("budget")
    let r = try CLI.run(["sweep", budgeted, "--output", dir, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("cells not run (time budget)"))
    let partial = try jsonObject(r.stdout)
    #expect(partial["complete"] as? Bool == false)
    #expect(partial["cells_total"] as? Int == 3 * 5 * 2)

    let full = try CLI.temporaryFile("nobudget.yaml", tiny)
    let done = try CLI.run(["sweep", full, "--output", dir, "--json"])
    #expect(done.status == 0, "\(done.stderr)")
    let summary = try jsonObject(done.stdout)
    #expect(summary["complete"] as? Bool == true)
    #expect(summary["tts_unit"] as? String == "spin_updates")
    let curves = try #require(summary["curves"] as? [[String: Any]])
    #expect(curves.count == 2)
    #expect(curves.allSatisfy { $0["optimal"] is [String: Any] })

    let jsonl = try CLI.run(
      ["sweep", full, "--output", dir, "--storage", "jsonl:\(dir)/other.jsonl", "--json"])
    #expect(jsonl.status == 0)
    #expect(FileManager.default.fileExists(atPath: "\(dir)/other.jsonl"))
    let url = try CLI.run(
      ["sweep", full, "--output", dir, "--storage", "mysql://u:hunter2@db/x"])
    #expect(url.status == 2)
    #expect(url.stderr.contains("--storage") && !url.stderr.contains("hunter2"), "\(url.stderr)")
  }

  @Test func quickFormFromFlags() throws {
    let dir = try Self.directory("quick")
    let r = try CLI.run([
      "sweep", "--instances", "problems/G11.gset", "--format", "gset", "--sampler", "sa",
      "--grid", "sweeps=10,100", "--grid", "beta_range=[0.1,3],[0.1,5]", "--reads", "4",
      "--target", "best_known:problems/best_known.csv", "--output", dir, "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let summary = try jsonObject(r.stdout)
    #expect(summary["cells_total"] as? Int == 4)
    let instances = try #require(summary["instances"] as? [[String: Any]])
    // The best-known cut 564 of G11 (total weight W = 34) is E = W − 2·564 = −1094.
    #expect(instances.first?["target_source"] as? String == "best_known")
    #expect(instances.first?["target"] as? Double == -1094)
    #expect(
      FileManager.default.fileExists(atPath: dir + "/plots/success_heatmap-sa-G11_gset-n800.svg"))
    let bad = try CLI.run([
      "sweep", "--instances", "problems/G11.gset", "--sampler", "sa",
      "--grid", "trotter=4", "--output", dir,
    ])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("samplers[0].grid.trotter"))
    let neither = try CLI.run(["sweep", "--output", dir])
    #expect(neither.status == 2)
  }

  @Test(arguments: [
    ("sampler: pt", "sampler: annealer", "samplers[1].sampler"),
    ("sweeps: [20, 200]", "sweeps: [20, lots]", "samplers[1].grid.sweeps[1]"),
    ("sweeps: [20, 200]", "trotter: [4]", "samplers[1].grid.trotter"),
    (
      "graph: regular3\n    sizes: [24, 48]\n    seeds: [1, 2, 3]",
      "graph: regular3\n    sizes: [24, 48]\n  - files: [missing.gset]", "instances[1].files[0]"
    ),
  ])
  func malformedSpecsExitTwoNamingTheKey(old: String, new: String, key: String) throws {
    let text = Self.spec.replacingOccurrences(of: old, with: new)
    let specPath = try CLI.temporaryFile("bad-\(key.hashValue).yaml", text)
    let out = try Self.directory("bad")
    let r = try CLI.run(["sweep", specPath, "--output", out])
    #expect(r.status == 2)
    #expect(r.stderr.contains(key), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out), "no run starts on a bad spec")
  }
}
