import Annealing
import QUBOModel
import Testing
import _TestSupport

@Suite("Samplers from data")
struct SamplerConfigurationTests {
  func config(_ text: String) throws -> SamplerConfiguration {
    try SamplerConfiguration(json: try JSONValue(parsing: text))
  }

  @Test func theIssueExampleConfiguresSQA() throws {
    let c = try config(#"{"sampler": "sqa", "trotter": 16, "sweeps": 2000, "gamma_range": [3, 0.01]}"#)
    #expect(c.kind == .sqa)
    guard case .sqa(let p) = c.parameters else {
      Issue.record("expected SQA parameters, got \(c.parameters)")
      return
    }
    #expect(p.trotter == 16 && p.sweeps == 2000)
    #expect(p.gammaRange == GammaRange(high: 3, low: 0.01))
    #expect(c.sampler is PathIntegralAnnealing)
  }

  @Test func rangesReadInEitherOrder() throws {
    let a = try config(#"{"sampler": "sa", "beta_range": [5, 0.1]}"#)
    let b = try config(#"{"sampler": "sa", "beta_range": [0.1, 5]}"#)
    guard case .sa(let pa) = a.parameters, case .sa(let pb) = b.parameters else {
      Issue.record("expected SA parameters")
      return
    }
    #expect(pa.betaRange == BetaRange(hot: 0.1, cold: 5))
    #expect(pa.betaRange == pb.betaRange)
    let g = try config(#"{"sampler": "sqa", "gamma_range": [0.01, 3]}"#)
    guard case .sqa(let pg) = g.parameters else {
      Issue.record("expected SQA parameters")
      return
    }
    #expect(pg.gammaRange == GammaRange(high: 3, low: 0.01))
  }

  @Test func echoReadsBackToTheSameConfiguration() throws {
    for kind in SamplerKind.allCases {
      var c = SamplerConfiguration(kind)
      c.readOptions.reads = 7
      c.readOptions.control.timeLimit = 2.5
      let echo = c.json
      guard case .object(let fields) = echo else {
        Issue.record("\(kind): the echo is not an object")
        continue
      }
      #expect(fields["sampler"] == .string(kind.rawValue))
      #expect(fields["reads"] == .int(7))
      #expect(fields["time_limit"] == .double(2.5))
      let again = try SamplerConfiguration(json: echo)
      #expect(again.json == echo, "\(kind)")
      for key in fields.keys where key != "sampler" {
        #expect(kind.keys.contains(key), "\(kind) echoes \(key), which it does not read")
      }
    }
  }

  @Test(
    "bad data names the key and what was wrong",
    arguments: [
      (#"{"sampler": "sqa", "trotters": 16}"#, "'trotters' is not a parameter of sampler sqa"),
      (#"{"sampler": "sa", "sweeps": "many"}"#, "'sweeps' must be an integer ≥ 1"),
      (#"{"sampler": "sa", "sweeps": 2.5}"#, "'sweeps' must be an integer ≥ 1"),
      (#"{"sampler": "sa", "sweeps": 0}"#, "'sweeps' must be an integer ≥ 1"),
      (#"{"sampler": "sa", "beta_range": [1]}"#, "'beta_range' must be two non-negative numbers"),
      (#"{"sampler": "sa", "schedule": "cubic"}"#, "'schedule' must be one of geometric, linear"),
      (#"{"sampler": "pt", "replicas": 1}"#, "'replicas' must be an integer in 2...65536"),
      (#"{"sampler": "tabu", "perturbation": 2}"#, "'perturbation' must be a fraction in [0, 1]"),
      (#"{"sampler": "sa", "return_best": 1}"#, "'return_best' must be true or false"),
      (#"{"sampler": "annealing"}"#, "'sampler' must be one of sa, sqa, pt"),
      (#"{"sampler": "sa", "initial_states": [[1, -1], [0, 1]]}"#, "'initial_states' mixes −1 and 0"),
      (#"[1, 2]"#, "a sampler must be an object"),
    ])
  func badData(text: String, message: String) throws {
    do {
      _ = try config(text)
      Issue.record("\(text) was accepted")
    } catch let error as SamplerConfigurationError {
      #expect(error.description.hasPrefix(message), "\(error.description)")
    }
  }

  @Test func integralNumbersAndNullAreAccepted() throws {
    let c = try config(#"{"sampler": "sa", "sweeps": 1e3, "beta_range": null, "reads": 4.0}"#)
    guard case .sa(let p) = c.parameters else {
      Issue.record("expected SA parameters")
      return
    }
    #expect(p.sweeps == 1000 && p.reads == 4 && p.betaRange == nil)
  }

  @Test func aConfiguredSamplerRunsAsTheSameParametersWould() throws {
    let model = RandomInstances.ising(n: 12, density: 0.5, seed: 4)
    let c = try config(#"{"sampler": "sa", "reads": 5, "sweeps": 300, "threads": 1}"#)
    var p = SimulatedAnnealing.Parameters()
    p.reads = 5
    p.sweeps = 300
    p.threads = 1
    let a = try c.sampler.sample(model, seed: 9)
    let b = try SimulatedAnnealing(p).sample(model, seed: 9)
    #expect(a.samples == b.samples && a.energies == b.energies)
  }

  @Test func binaryInitialStatesMapToSpins() throws {
    let c = try config(#"{"sampler": "descent", "initial_states": [[0, 1, 1]]}"#)
    #expect(c.readOptions.initialStates == [-1, 1, 1])
  }
}
