import Foundation
import Testing

/// `anneal solve FILE --sampler portfolio --time-limit T`, an opt-in.
///
/// SA's reads and long tempering reads side by side (issue 22, G55 within
/// 3); `--time-limit` alone still runs SA.
@Suite("anneal solve --sampler portfolio", .serialized)
struct PortfolioCLITests {
  static let g11 = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path

  @Test(arguments: ["1", "2", "4"])
  func aTimeLimitIsItsBudget(threads: String) throws {
    let r = try CLI.run([
      "solve", Self.g11, "--sampler", "portfolio", "--time-limit", "1", "--seed", "1",
      "--threads", threads, "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    #expect(o["sampler"] as? String == "portfolio")
    let parameters = try #require(o["parameters"] as? [String: Any])
    #expect(parameters["fill_time_limit"] as? Bool == true)
    let info = try #require(o["info"] as? [String: Any])
    let best = try #require(info["best_member"] as? String)
    #expect(best == "sa" || best == "pt")
    let members = try #require(info["members"] as? [String: Any])
    let pt = try #require(members["pt"] as? [String: Any])
    let sa = try #require(members["sa"] as? [String: Any])
    #expect(pt["reads"] as? Int == max(1, Int(threads)! / 2))
    #expect((sa["reads"] as? Int ?? 0) > 10)
    let energies = try #require(o["energies"] as? [Double])
    #expect(energies.count == (sa["reads"] as? Int ?? 0) + (pt["reads"] as? Int ?? 0))
    #expect(info["num_reads_requested"] is NSNull)
    // The limit plus the polishing grace of a quarter of it, plus slack.
    let timing = try #require(o["timing"] as? [String: Any])
    #expect((timing["sample_seconds"] as? Double ?? 99) < 1.75)
  }

  @Test func fixedReadsRepeatAtAnyThreadCount() throws {
    var energies: [[Double]] = []
    for threads in ["1", "3"] {
      let r = try CLI.run([
        "solve", Self.g11, "--sampler", "portfolio", "--reads", "3", "--sweeps", "200",
        "--parameters", "{\"tempering_sweeps\": 300, \"tempering_reads\": 2}",
        "--seed", "5", "--threads", threads, "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      energies.append(try #require(jsonObject(r.stdout)["energies"] as? [Double]))
    }
    #expect(energies[0] == energies[1] && energies[0].count == 5)
  }

  @Test func aTimeLimitAloneStillRunsSA() throws {
    let r = try CLI.run(["solve", Self.g11, "--time-limit", "1", "--seed", "1", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try jsonObject(r.stdout)["sampler"] as? String == "sa")
  }

  @Test func helpListsThePortfolio() throws {
    let r = try CLI.run(["solve", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("portfolio") && r.stdout.contains("best_member"))
  }
}
