import Foundation
import Testing

@Suite("anneal solve --trace")
struct TraceCLITests {
  static var g1: String { CLI.packageRoot.appendingPathComponent("problems/G1.gset").path }

  /// The trace's lines, parsed.
  static func lines(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { try jsonObject(String($0)) }
  }

  /// Runs `solve G1 --json` with `flags`, with and without a trace; checks
  /// the trace against the returned result and returns its lines.
  static func checkedTrace(_ flags: [String]) throws -> [[String: Any]] {
    let path = try CLI.temporaryFile("trace-\(flags.joined(separator: "_")).jsonl", "")
    let base = ["solve", g1, "--seed", "11", "--threads", "2", "--json"] + flags
    let traced = try CLI.run(base + ["--trace", path])
    let plain = try CLI.run(base)
    #expect(traced.status == 0, "\(traced.stderr)")
    let o = try jsonObject(traced.stdout)
    let p = try jsonObject(plain.stdout)
    // Tracing changes nothing that was sampled.
    let energies = try #require(o["energies"] as? [Double])
    let bestSample = try #require(o["best_sample"] as? [Int])
    #expect(energies == p["energies"] as? [Double])
    #expect(bestSample == p["best_sample"] as? [Int])

    let lines = try lines(path)
    #expect(!lines.isEmpty)
    let times = lines.compactMap { $0["seconds"] as? Double }
    #expect(times.count == lines.count)
    #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "times go backwards")
    // best_energy is the running minimum of energy.
    var best = Double.infinity
    for line in lines {
      let e = try #require(line["energy"] as? Double)
      best = min(best, e)
      #expect(line["best_energy"] as? Double == best)
    }
    let last = try #require(lines.last)
    let bestEnergy = try #require(o["best_energy"] as? Double)
    #expect(last["best_energy"] as? Double == bestEnergy)
    let objective = try #require(o["objective"] as? [String: Any])
    let bestObjective = try #require(objective["best"] as? Double)
    #expect(last["best_objective"] as? Double == bestObjective)
    // Every returned read stored a row.
    let stored = Set(lines.filter { $0["stored"] as? Bool == true }.compactMap { $0["read"] as? Int })
    #expect(stored.count == energies.count)
    return lines
  }

  @Test func saTraceEndsAtTheReturnedBest() throws {
    let lines = try Self.checkedTrace(["--sampler", "sa", "--reads", "24", "--sweeps", "100"])
    #expect(lines.allSatisfy { $0["stored"] as? Bool == true })
  }

  @Test func tabuReportsFromInsideItsReads() throws {
    let lines = try Self.checkedTrace([
      "--sampler", "tabu", "--reads", "2",
      "--parameters", #"{"restarts": 3, "stall_iterations": 2000}"#,
    ])
    #expect(lines.contains { $0["stored"] as? Bool == false })
  }

  @Test func ptReportsFromInsideItsReads() throws {
    let lines = try Self.checkedTrace(["--sampler", "pt", "--reads", "2", "--sweeps", "200"])
    #expect(lines.contains { $0["stored"] as? Bool == false })
  }

  @Test func unwritableTraceIsAFailure() throws {
    let r = try CLI.run([
      "solve", Self.g1, "--reads", "1", "--sweeps", "10", "--trace", "/nonexistent-dir/t.jsonl",
    ])
    #expect(r.status == 1)
    #expect(r.stderr.contains("trace"))
  }

  @Test func helpDocumentsTheTrace() throws {
    let r = try CLI.run(["solve", "--help"])
    #expect(r.stdout.contains("--trace <file>"))
    #expect(r.stdout.contains("best-so-far trace"))
  }
}
