import Foundation
import Testing

/// `anneal sweep --storage postgresql://…`: worker processes share one
/// sweep in PostgreSQL (`ANNEAL_POSTGRES_URL`, started by `.ci/run`;
/// skipped with that reason elsewhere, required in CI).
@Suite(
  "anneal sweep on PostgreSQL",
  .enabled(if: PostgresServer.available, "ANNEAL_POSTGRES_URL is unset"))
struct SweepPostgresTests {
  static func spec(_ name: String) -> String {
    """
    name: \(name)
    seed: 33
    reads: 10
    seeds: 2
    tts_unit: spin_updates
    instances:
      - generator: frustrated_loops
        graph: regular3
        sizes: [32, 48]
        seeds: [1, 2]
    samplers:
      - sampler: sa
        grid:
          sweeps: [100, 1000]
    """
  }

  static func directory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anneal-sweep-pg-\(ProcessInfo.processInfo.processIdentifier)/\(name)")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(
      at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
    return dir.path
  }

  /// cells.csv without its wall-clock columns (seconds and spin updates per
  /// second, the last of each row), rows sorted.
  static func reproducibleCells(_ dir: String) throws -> [String] {
    let text = try String(contentsOfFile: dir + "/cells.csv", encoding: .utf8)
    return text.split(separator: "\n").map { line in
      var fields = line.split(separator: ",", omittingEmptySubsequences: false)
      let spinUpdates = fields[fields.count - 2]
      fields.removeLast(3)
      return (fields + [spinUpdates]).joined(separator: ",")
    }.sorted()
  }

  /// The cells this worker reported running (its last stderr line).
  static func ran(_ stderr: String) -> Int? {
    guard let line = stderr.split(separator: "\n").first(where: { $0.contains("this worker ran") })
    else { return nil }
    return line.split(separator: " ").compactMap { Int($0) }.first
  }

  @Test func twoWorkerProcessesMatchOneWorker() throws {
    let url = try PostgresServer.url()
    let name =
      "pg-sweep-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...9999))"
    let spec = try CLI.temporaryFile("\(name).yaml", Self.spec(name))
    let cells = 4 * 2 * 2

    let single = try Self.directory("single")
    let one = try CLI.run(["sweep", spec, "--output", single])
    #expect(one.status == 0, "\(one.stderr)")

    let outputs = try (0..<2).map { try Self.directory("worker\($0)") }
    let errors = outputs.map { $0 + ".stderr" }
    let workers = try zip(outputs, errors).map { output, error -> Process in
      #expect(FileManager.default.createFile(atPath: error, contents: nil))
      let p = Process()
      p.executableURL = CLI.binary
      p.arguments = ["sweep", spec, "--output", output, "--storage", url]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: error))
      try p.run()
      return p
    }
    var ran: [Int] = []
    for (p, error) in zip(workers, errors) {
      p.waitUntilExit()
      let stderr = (try? String(contentsOfFile: error, encoding: .utf8)) ?? ""
      #expect(p.terminationStatus == 0, "\(stderr)")
      ran.append(try #require(Self.ran(stderr), "\(stderr)"))
    }
    // Every cell ran exactly once, split between the two.
    #expect(ran.reduce(0, +) == cells, "workers ran \(ran)")

    // A third run finds every cell finished, runs none and reports them all.
    let shared = try Self.directory("shared")
    let last = try CLI.run(["sweep", spec, "--output", shared, "--storage", url])
    #expect(last.status == 0, "\(last.stderr)")
    #expect(Self.ran(last.stderr) == 0, "\(last.stderr)")
    let expected = try Self.reproducibleCells(single)
    #expect(expected.count == cells + 1)
    #expect(try Self.reproducibleCells(shared) == expected)
  }

  @Test func freshStartsTheSharedSweepOver() throws {
    let url = try PostgresServer.url()
    let name =
      "pg-fresh-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...9999))"
    let spec = try CLI.temporaryFile("\(name).yaml", Self.spec(name))
    let dir = try Self.directory("fresh")
    let first = try CLI.run(["sweep", spec, "--output", dir, "--storage", url])
    #expect(Self.ran(first.stderr) == 16, "\(first.stderr)")
    let again = try CLI.run(["sweep", spec, "--output", dir, "--storage", url, "--fresh"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(Self.ran(again.stderr) == 16, "\(again.stderr)")
  }

  @Test func aPasswordNeverReachesTheOutput() throws {
    let spec = try CLI.temporaryFile("pg-pw.yaml", Self.spec("pg-pw"))
    let dir = try Self.directory("pw")
    let r = try CLI.run([
      "sweep", spec, "--output", dir, "--storage",
      "postgresql://anneal:hunter2@127.0.0.1:1/none?connect_timeout=2", "--json",
    ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("127.0.0.1:1"), "\(r.stderr)")
    #expect(!r.stderr.contains("hunter2") && !r.stdout.contains("hunter2"), "\(r.stderr)")
  }
}
