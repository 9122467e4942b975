import Foundation
import Testing

/// `--noise` and `--time-limit` as a budget (issue 22), as a person runs them.
@Suite("anneal solve --noise and the time budget")
struct NoiseBudgetCLITests {
  static let g11 = CLI.packageRoot.appendingPathComponent("problems/G11.gset").path

  @Test func noiseRunsAndRepeatsAtAnyThreadCount() throws {
    var energies: [[Double]] = []
    for threads in ["1", "3"] {
      let r = try CLI.run([
        "solve", Self.g11, "--reads", "4", "--sweeps", "100", "--seed", "3", "--threads", threads,
        "--noise", "sigma_h=0.02,sigma_j=0.03,readout=0.01", "--json",
      ])
      #expect(r.status == 0, "\(r.stderr)")
      let o = try jsonObject(r.stdout)
      energies.append(try #require(o["energies"] as? [Double]))
      let parameters = try #require(o["parameters"] as? [String: Any])
      let noise = try #require(parameters["noise"] as? [String: Any])
      #expect(noise["sigma_j"] as? Double == 0.03)
    }
    #expect(energies[0] == energies[1] && energies[0].count == 4)
  }

  @Test(arguments: [
    ("sigma_h", "key=value"), ("sigma_h=x", "must be a number"),
    ("sigma=0.1", "has no key sigma"), ("readout=1.5", "readout must be a number in [0.0, 1.0]"),
    ("sigma_j=-1", "sigma_j must be a finite number"),
  ])
  func badNoiseIsExitTwo(spec: String, message: String) throws {
    let r = try CLI.run(["solve", Self.g11, "--reads", "1", "--sweeps", "10", "--noise", spec])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--noise") && r.stderr.contains(message), "\(r.stderr)")
  }

  @Test func timeLimitWithoutReadsIsABudget() throws {
    let r = try CLI.run(["solve", Self.g11, "--time-limit", "1", "--seed", "1", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    // Far more than the default 10 reads, and reads longer than 1000 sweeps
    // are allowed; the limit is kept (plus the polishing grace).
    #expect((o["energies"] as? [Any])?.count ?? 0 > 10)
    let parameters = try #require(o["parameters"] as? [String: Any])
    #expect(parameters["sweeps_fill_time_limit"] as? Bool == true)
    let timing = try #require(o["timing"] as? [String: Any])
    #expect((timing["sample_seconds"] as? Double ?? 99) < 1.75)
    // No read count was asked for: info says so and names the budget's cap.
    let info = try #require(o["info"] as? [String: Any])
    #expect(info["num_reads_requested"] is NSNull)
    #expect((info["num_reads_cap"] as? Int ?? 0) >= (o["energies"] as? [Any])?.count ?? .max)
    // With --reads, the count is the user's.
    let fixed = try CLI.run([
      "solve", Self.g11, "--time-limit", "5", "--reads", "3", "--sweeps", "100", "--json",
    ])
    #expect(fixed.status == 0)
    let fixedObject = try jsonObject(fixed.stdout)
    #expect((fixedObject["energies"] as? [Any])?.count == 3)
    let fixedInfo = try #require(fixedObject["info"] as? [String: Any])
    #expect(fixedInfo["num_reads_requested"] as? Int == 3)
    #expect(fixedInfo["num_reads_cap"] == nil)
  }

  @Test func ptReadsTakeTheirLengthFromTheBudget() throws {
    let r = try CLI.run([
      "solve", Self.g11, "--sampler", "pt", "--time-limit", "1", "--seed", "1", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try jsonObject(r.stdout)
    let parameters = try #require(o["parameters"] as? [String: Any])
    #expect(parameters["sweeps_fill_time_limit"] as? Bool == true)
    let info = try #require(o["info"] as? [String: Any])
    let sweeps = try #require(info["sweeps"] as? Int)
    #expect(sweeps >= 1000 && sweeps <= 100_000)
    // A few long reads, not one read per 1000 sweeps until the limit.
    #expect((o["energies"] as? [Any])?.count ?? 0 <= 24)
    // --sweeps keeps the length the user gave.
    let fixed = try CLI.run([
      "solve", Self.g11, "--sampler", "pt", "--time-limit", "1", "--sweeps", "200", "--json",
    ])
    #expect(fixed.status == 0)
    let fixedObject = try jsonObject(fixed.stdout)
    let fixedParameters = try #require(fixedObject["parameters"] as? [String: Any])
    #expect(fixedParameters["sweeps_fill_time_limit"] as? Bool != true)
    let fixedInfo = try #require(fixedObject["info"] as? [String: Any])
    #expect(fixedInfo["sweeps"] as? Int == 200)
  }
}
