import Foundation
import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// The portfolio of SA's reads and long tempering reads (issue 22, G55
/// within 3): its union, its info, determinism and the time limit.
@Suite("Portfolio of SA and PT")
struct PortfolioTests {
  static let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 120, degree: 4, seed: 21))

  static func fixed(threads: Int) -> Portfolio.Parameters {
    var p = Portfolio.Parameters()
    p.reads = 5
    p.sweeps = 200
    p.temperingReads = 2
    p.temperingSweeps = 300
    p.threads = threads
    return p
  }

  /// The shared conformance suite: SA's reads are the checks' reads, plus
  /// one PT read (none when no moves are asked for, whose rows must be the
  /// initial states, which only SA takes).
  @Test func conformance() {
    var capabilities = SamplerConformance.Capabilities()
    capabilities.rowsEqualReads = false
    let failures = SamplerConformance.check(capabilities: capabilities) { o in
      var p = Portfolio.Parameters()
      p.readOptions = o.readOptions
      p.sweeps = 100
      p.temperingSweeps = 100
      switch o.work {
      case .normal: break
      case .none:
        p.sweeps = 0
        p.temperingReads = 0
      case .unbounded:
        p.sweeps = 1 << 40
        p.temperingSweeps = 1 << 40
      }
      return Portfolio(p)
    }
    #expect(failures.isEmpty, "\(failures)")
  }

  @Test("The sample set is SA's rows then PT's, each what the member gives alone")
  func unionOfMembers() throws {
    let problem = Self.problem
    var rng = SplitMix64(seed: 9)
    let set = try Portfolio(Self.fixed(threads: 2)).sample(problem, using: &rng)
    #expect(set.count == 5 + 2)
    // The members' seeds are the first two numbers of the caller's generator.
    var seeds = SplitMix64(seed: 9)
    var saRng = SplitMix64(seed: seeds.next())
    var ptRng = SplitMix64(seed: seeds.next())
    var sa = SimulatedAnnealing.Parameters()
    sa.reads = 5
    sa.sweeps = 200
    let saAlone = try SimulatedAnnealing(sa).sample(problem, using: &saRng)
    var pt = ParallelTempering.Parameters()
    pt.ladder = ParallelTempering.temperingLadder(for: problem)
    pt.reads = 2
    pt.sweeps = 300
    let ptAlone = try ParallelTempering(pt).sample(problem, using: &ptRng)
    #expect(Array(set.energies[0..<5]) == saAlone.energies)
    #expect(Array(set.energies[5...]) == ptAlone.energies)
    for r in 0..<5 { #expect(Array(set.sample(r)) == Array(saAlone.sample(r))) }
    for r in 0..<2 { #expect(Array(set.sample(5 + r)) == Array(ptAlone.sample(r))) }
    for r in 0..<set.count {
      #expect(abs(set.energies[r] - problem.energy(Array(set.sample(r)))) < 1e-9)
    }
  }

  @Test("info names the member with the lowest row and holds each member's info")
  func info() throws {
    var rng = SplitMix64(seed: 10)
    let set = try Portfolio(Self.fixed(threads: 2)).sample(Self.problem, using: &rng)
    #expect(set.info["sampler"] == .string("portfolio"))
    guard case .object(let members)? = set.info["members"],
      case .object(let sa)? = members["sa"], case .object(let pt)? = members["pt"],
      case .double(let bestSA)? = sa["best_energy"], case .double(let bestPT)? = pt["best_energy"]
    else {
      Issue.record("no members in info: \(set.info)")
      return
    }
    #expect(sa["reads"] == .int(5) && pt["reads"] == .int(2))
    #expect(sa["sampler"] == .string("sa") && pt["sampler"] == .string("pt"))
    #expect(pt["sweeps_run"] == .array([.int(300), .int(300)]))
    let expected = bestPT < bestSA ? "pt" : "sa"
    #expect(set.info["best_member"] == .string(expected))
    #expect(min(bestSA, bestPT) == set.lowestEnergy)
    let updates = [sa, pt].map { m -> Int in
      if case .int(let u)? = m["spin_updates"] { return u }
      return -1
    }
    #expect(set.info["spin_updates"] == .int(updates[0] + updates[1]))
  }

  @Test("best_member is pt when PT's row is lowest and sa when SA's is")
  func bestMemberFollowsTheLowestRow() throws {
    // One sweep from a random state cannot compete with 2000 sweeps.
    var p = Self.fixed(threads: 2)
    p.sweeps = 1
    p.reads = 1
    p.temperingSweeps = 2000
    var rng = SplitMix64(seed: 13)
    let ptWins = try Portfolio(p).sample(Self.problem, using: &rng)
    try #require(ptWins.energies[1...].min()! < ptWins.energies[0])
    #expect(ptWins.info["best_member"] == .string("pt"))
    p.sweeps = 2000
    p.reads = 4
    p.temperingSweeps = 1
    p.temperingReads = 1
    rng = SplitMix64(seed: 13)
    let saWins = try Portfolio(p).sample(Self.problem, using: &rng)
    try #require(saWins.energies[0..<4].min()! < saWins.energies[4])
    #expect(saWins.info["best_member"] == .string("sa"))
  }

  @Test(
    "With fixed reads and sweeps, the same seed gives the same samples at 1, 2, 3 and 5 threads")
  func determinism() throws {
    var sets: [SampleSet] = []
    for threads in [1, 2, 3, 5] {
      var rng = SplitMix64(seed: 11)
      sets.append(try Portfolio(Self.fixed(threads: threads)).sample(Self.problem, using: &rng))
    }
    for s in sets.dropFirst() {
      #expect(s.energies == sets[0].energies)
      #expect(s.samples == sets[0].samples)
    }
  }

  @Test(
    "Under a budget the limit holds and the PT member runs as long as it allows", arguments: [1, 2])
  func timeLimitHolds(threads: Int) throws {
    let problem = IsingProblem(RandomInstances.sparseSpinGlass(n: 300, degree: 4, seed: 3))
    var p = Portfolio.Parameters()
    p.threads = threads
    p.reads = ReadOptions.budgetReads(numSpins: problem.numSpins)
    p.control.timeLimit = 1
    p.fillTimeLimit = true
    var rng = SplitMix64(seed: 12)
    let t0 = Date()
    let set = try Portfolio(p).sample(problem, using: &rng)
    let seconds = Date().timeIntervalSince(t0)
    // The limit plus the polishing grace of a quarter of it, plus slack.
    #expect(seconds < 1.25 + 0.5)
    guard case .object(let members)? = set.info["members"],
      case .object(let pt)? = members["pt"], case .object(let sa)? = members["sa"],
      case .array(let run)? = pt["sweeps_run"]
    else {
      Issue.record("no members in info: \(set.info)")
      return
    }
    // One PT read per PT thread, cut by the deadline, after far more than
    // the fixed default's sweeps would need; SA's budget ran many reads.
    #expect(run.count == max(1, threads / 2))
    for case .int(let sweeps) in run { #expect(sweeps > 100 && sweeps < Portfolio.openEndedSweeps) }
    #expect(pt["cut_reads"] == .int(run.count))
    if case .int(let reads)? = sa["reads"] { #expect(reads > 10) }
    for r in 0..<set.count {
      #expect(abs(set.energies[r] - problem.energy(Array(set.sample(r)))) < 1e-9)
    }
  }

  @Test("Bad parameters are errors, not traps")
  func badParameters() {
    var p = Self.fixed(threads: 0)
    var rng = SplitMix64(seed: 1)
    #expect(throws: SamplerError.self) { try Portfolio(p).sample(Self.problem, using: &rng) }
    p = Self.fixed(threads: 2)
    p.temperingReads = -1
    #expect(throws: SamplerError.self) { try Portfolio(p).sample(Self.problem, using: &rng) }
    p = Self.fixed(threads: 2)
    p.reads = -1
    #expect(throws: SamplerError.self) { try Portfolio(p).sample(Self.problem, using: &rng) }
  }

  @Test("The configuration names it portfolio, with its keys")
  func configuration() throws {
    let c = try SamplerConfiguration([
      "sampler": .string("portfolio"), "tempering_reads": .int(3), "sweeps": .int(50),
    ])
    guard case .portfolio(let p) = c.parameters else {
      Issue.record("not a portfolio")
      return
    }
    #expect(p.temperingReads == 3 && p.sweeps == 50)
    #expect(SamplerKind.portfolio.keys.contains("tempering_sweeps"))
    #expect(throws: SamplerConfigurationError.self) {
      try SamplerConfiguration(["sampler": .string("portfolio"), "replicas": .int(3)])
    }
  }
}
