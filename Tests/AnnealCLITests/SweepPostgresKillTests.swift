import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A sweep worker killed with kill -9 mid-cell: its cell goes back to the
/// queue when its heartbeat stops, another worker runs it, and the sweep
/// ends with every cell once, as a single worker's.
@Suite(
  "anneal sweep on PostgreSQL, a worker killed",
  .enabled(if: PostgresServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct SweepPostgresKillTests {
  /// Six cells of about 0.4 s each in a debug build.
  static func spec(_ name: String) -> String {
    """
    name: \(name)
    seed: 5
    reads: 10
    seeds: 2
    tts_unit: spin_updates
    instances:
      - generator: frustrated_loops
        graph: regular3
        sizes: [64]
        seeds: [1, 2, 3]
    samplers:
      - sampler: sa
        grid:
          sweeps: [5000]
    """
  }

  /// Starts `anneal` with stderr to a file.
  static func start(_ arguments: [String], stderr: String) throws -> Process {
    #expect(FileManager.default.createFile(atPath: stderr, contents: nil))
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
    try p.run()
    return p
  }

  @Test func aKilledWorkersCellIsRunByAnother() throws {
    let url = try PostgresServer.url()
    let name = "pg-kill-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...9999))"
    let spec = try CLI.temporaryFile("\(name).yaml", Self.spec(name))
    let single = try SweepPostgresTests.directory("kill-single")
    let one = try CLI.run(["sweep", spec, "--output", single])
    #expect(one.status == 0, "\(one.stderr)")

    let shared = ["sweep", spec, "--storage", url, "--stale-after", "1"]
    let a = try SweepPostgresTests.directory("kill-a")
    let victim = try Self.start(shared + ["--output", a], stderr: a + ".stderr")
    Thread.sleep(forTimeInterval: 1.5)  // mid-cell: it starts, then runs 0.4 s cells
    #expect(victim.isRunning, "the victim finished before the kill")
    kill(victim.processIdentifier, SIGKILL)
    victim.waitUntilExit()

    let b = try SweepPostgresTests.directory("kill-b")
    let survivor = try Self.start(shared + ["--output", b], stderr: b + ".stderr")
    let start = Date()
    while survivor.isRunning && Date().timeIntervalSince(start) < 30 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    let stalled = survivor.isRunning
    // SIGKILL: a child of the test runner may inherit SIGTERM blocked.
    if stalled { kill(survivor.processIdentifier, SIGKILL) }
    survivor.waitUntilExit()
    let stderr = (try? String(contentsOfFile: b + ".stderr", encoding: .utf8)) ?? ""
    #expect(!stalled, "the surviving worker stalled: \(stderr)")
    #expect(survivor.terminationStatus == 0, "\(stderr)")
    #expect(!stderr.contains("not finished"), "\(stderr)")
    let ran = try #require(SweepPostgresTests.ran(stderr), "\(stderr)")
    // At least the victim's cell (on a loaded machine the victim may not
    // have finished one, so up to all six).
    #expect(ran >= 1 && ran <= 6, "the survivor ran \(ran) of 6 cells")
    // Everything the victim finished stays; its last cell ran again, once.
    #expect(
      try SweepPostgresTests.reproducibleCells(b)
        == SweepPostgresTests.reproducibleCells(single))
  }
}
