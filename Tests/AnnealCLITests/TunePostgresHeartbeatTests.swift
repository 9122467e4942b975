import Foundation
import Testing

/// Workers of `anneal tune --storage postgresql://…` that die (`kill -9`) or
/// lose the server (stopped and started again) mid-run.
/// Serialized: the restart drill would starve the other test's heartbeats
/// (a 3 s outage against a 2 s timeout).
@Suite(
  "anneal tune workers that die or lose the server", .serialized,
  .enabled(if: PostgresServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct TunePostgresHeartbeatTests {
  static let environment = ProcessInfo.processInfo.environment

  static func spec(_ name: String, trials: Int, sleep: Double) throws -> String {
    try CLI.temporaryFile(
      "\(name).yaml",
      """
      name: \(name)
      direction: minimize
      trials: \(trials)
      seed: 1
      sampler: random
      parameters:
        x: {type: int, low: 0, high: 9999}
      command: |-
        sleep \(sleep); echo "loss: {x}"
      metric: loss
      """)
  }

  static func worker(_ arguments: [String]) throws -> Process {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  /// Whether this system lists processes under /proc (Linux), which
  /// `hasChild` reads.
  static let hasProcFileSystem = FileManager.default.fileExists(atPath: "/proc/self/stat")

  /// Whether process `pid` has a child (a worker's objective command runs).
  ///
  /// Reads /proc: only where `hasProcFileSystem`.
  static func hasChild(_ pid: Int32) -> Bool {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for e in entries where Int32(e) != nil {
      guard let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, Int32(fields[1]) == pid { return true }
    }
    return false
  }

  /// Runs `argv` and returns its exit status. (Not `Process`: the server
  /// it starts keeps descriptors that hide the script's exit from it.)
  static func spawn(_ argv: [String]) -> Int32 {
    var pid: pid_t = 0
    var c = argv.map { strdup($0) } + [nil]
    defer { for p in c { free(p) } }
    guard posix_spawn(&pid, argv[0], nil, nil, &c, environ) == 0 else { return -1 }
    var status: Int32 = 0
    guard waitpid(pid, &status, 0) == pid else { return -1 }
    return (status >> 8) & 0xFF
  }

  /// Waits up to `seconds` for `p` to exit; whether it did.
  static func exits(_ p: Process, within seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while p.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    return !p.isRunning
  }

  /// Every trial of the finished study, read by one more run.
  static func trials(_ spec: String, _ url: String) throws -> [[String: Any]] {
    let r = try CLI.run(["tune", spec, "--storage", url, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    return try #require(try jsonObject(r.stdout)["trials"] as? [[String: Any]])
  }

  static func configurations(_ trials: [[String: Any]]) -> [Int] {
    trials.compactMap { ($0["params"] as? [String: Any])?["x"] as? Int }
  }

  @Test(.enabled(if: hasProcFileSystem, "finds the worker's objective through /proc (Linux)"))
  func aWorkerKilledMidTrialLeavesSixtyCompleteAndOneFailed() throws {
    let url = try PostgresServer.url()
    let name = "pg-kill-\(getpid())-\(UInt16.random(in: 0...9999))"
    let spec = try Self.spec(name, trials: 60, sleep: 0.25)
    let arguments = ["tune", spec, "--storage", url, "--heartbeat-timeout", "2"]
    let workers = try (0..<3).map { _ in try Self.worker(arguments) }
    let victim = workers[0]
    // Mid-trial: once it has run a while and its objective command is running.
    Thread.sleep(forTimeInterval: 1.5)
    let deadline = Date().addingTimeInterval(10)
    while !Self.hasChild(victim.processIdentifier), Date() < deadline {
      Thread.sleep(forTimeInterval: 0.005)
    }
    #expect(Self.hasChild(victim.processIdentifier), "the worker never ran its objective")
    kill(victim.processIdentifier, SIGKILL)
    victim.waitUntilExit()
    let killed = Date()
    // The survivors never stall: about 40 trials of 0.25 s left for two,
    // plus the 2 s timeout; 30 s is generous on a loaded machine.
    for p in workers.dropFirst() {
      #expect(Self.exits(p, within: 30), "a surviving worker stalled")
      if p.isRunning { p.terminate() }
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
    }
    #expect(Date().timeIntervalSince(killed) < 30)
    let trials = try Self.trials(spec, url)
    #expect(trials.count == 61)
    #expect(Set(trials.compactMap { $0["number"] as? Int }) == Set(0..<61))
    #expect(trials.filter { $0["state"] as? String == "complete" }.count == 60)
    let failed = trials.filter { $0["state"] as? String == "failed" }
    #expect(failed.count == 1)
    let attributes = failed.first?["user_attrs"] as? [String: Any]
    #expect(attributes?["worker_lost"] as? Bool == true)
    // Failed promptly: the timeout plus at most a few trials.
    #expect((failed.first?["seconds"] as? Double ?? .infinity) < 10)
    #expect(Set(Self.configurations(trials)).count == 61, "a configuration ran twice")
  }

  /// The server stopped and started again 3 s later mid-run (by
  /// `scripts/postgres.sh restart`): both workers retry with backoff and
  /// finish, and no finished trial is lost or run twice. The drill runs on
  /// a cluster of its own (`.ci/run` starts it and sets
  /// `ANNEAL_POSTGRES_DRILL_URL` and `ANNEAL_POSTGRES_DRILL_DIR`), so the
  /// outage does not reach the other PostgreSQL tests running in parallel.
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["ANNEAL_POSTGRES_DRILL_DIR"] != nil
        || ProcessInfo.processInfo.environment["CI"] == "true",
      "ANNEAL_POSTGRES_DRILL_DIR is unset (no cluster of its own to restart)"))
  func workersRideOutAServerRestart() throws {
    let url = try #require(
      Self.environment["ANNEAL_POSTGRES_DRILL_URL"],
      "CI=true but ANNEAL_POSTGRES_DRILL_URL is unset: .ci/run must start the drill cluster")
    let dir = try #require(
      Self.environment["ANNEAL_POSTGRES_DRILL_DIR"],
      "CI=true but ANNEAL_POSTGRES_DRILL_DIR is unset: .ci/run must start the drill cluster")
    let tail = url[url.index(after: try #require(url.lastIndex(of: ":")))...]
    let port = String(tail.prefix { $0.isNumber })
    let name = "pg-restart-\(getpid())-\(UInt16.random(in: 0...9999))"
    let spec = try Self.spec(name, trials: 40, sleep: 0.1)
    let arguments = ["tune", spec, "--storage", url, "--heartbeat-timeout", "10"]
    let workers = try (0..<2).map { _ in try Self.worker(arguments) }
    Thread.sleep(forTimeInterval: 1.5)
    let script = CLI.packageRoot.appendingPathComponent("scripts/postgres.sh").path
    #expect(Self.spawn(["/bin/bash", script, "restart", dir, port, "3"]) == 0)
    for p in workers {
      #expect(Self.exits(p, within: 60), "a worker stalled after the restart")
      if p.isRunning { p.terminate() }
      p.waitUntilExit()
      #expect(p.terminationStatus == 0, "a worker gave up")
    }
    let trials = try Self.trials(spec, url)
    let complete = trials.filter { $0["state"] as? String == "complete" }
    #expect(complete.count == 40)
    // A claim whose commit was lost with the connection is retried; the
    // orphan row is failed as lost by its heartbeat, never run.
    for t in trials where t["state"] as? String != "complete" {
      #expect((t["user_attrs"] as? [String: Any])?["worker_lost"] as? Bool == true)
    }
    #expect(Set(trials.compactMap { $0["number"] as? Int }).count == trials.count)
    #expect(Set(Self.configurations(complete)).count == 40, "a configuration ran twice")
  }
}
