import Foundation
import Testing

/// `anneal tune --storage postgresql://…`: workers in separate processes
/// share one study in PostgreSQL (`ANNEAL_POSTGRES_URL`, started by
/// `.ci/run`; skipped with that reason elsewhere, required in CI).
@Suite(
  "anneal tune on PostgreSQL",
  .enabled(if: PostgresServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct TunePostgresTests {
  @Test func threeWorkerProcessesRunExactlySixtyTrials() throws {
    let url = try PostgresServer.url()
    let name = "pg-workers-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...9999))"
    let spec = try CLI.temporaryFile(
      "\(name).yaml",
      """
      name: \(name)
      direction: minimize
      trials: 60
      seed: 1
      sampler: random
      parameters:
        x: {type: int, low: 0, high: 999}
      command: |-
        echo "loss: {x}"
      metric: loss
      """)
    let workers = try (0..<3).map { _ -> Process in
      let p = Process()
      p.executableURL = CLI.binary
      p.arguments = ["tune", spec, "--storage", url, "--json"]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      return p
    }
    for p in workers {
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
    }
    // A fourth run finds the study full and reports every trial.
    let r = try CLI.run(["tune", spec, "--storage", url, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let trials = try #require(o["trials"] as? [[String: Any]])
    #expect(trials.count == 60)
    #expect(Set(trials.compactMap { $0["number"] as? Int }) == Set(0..<60))
    #expect(trials.allSatisfy { $0["state"] as? String == "complete" })
    let configurations = trials.compactMap { ($0["params"] as? [String: Any])?["x"] as? Int }
    #expect(Set(configurations).count == 60, "a configuration ran twice")
    #expect(!r.stdout.contains("password"))
  }

  @Test func aPasswordNeverReachesTheOutput() throws {
    let spec = try CLI.temporaryFile(
      "pw.yaml",
      """
      name: pw
      direction: minimize
      trials: 1
      sampler: random
      parameters:
        x: {type: int, low: 0, high: 9}
      command: |-
        echo "loss: {x}"
      metric: loss
      """)
    let r = try CLI.run([
      "tune", spec, "--storage", "postgresql://anneal:hunter2@127.0.0.1:1/none?connect_timeout=2",
      "--json",
    ])
    #expect(r.status != 0)
    #expect(!r.stderr.contains("hunter2") && !r.stdout.contains("hunter2"), "\(r.stderr)")
  }
}
