import Dispatch
import QUBOModel

/// Parallel tempering (replica exchange Monte Carlo).
///
/// Each read runs `R` replicas at inverse temperatures `β_0 < β_1 < … <
/// β_{R−1}` (the ladder; the last is the coldest, the target). Every sweep
/// applies one Metropolis (or Gibbs) sweep to each replica at its own β;
/// every `swapInterval` sweeps, neighbouring levels `k, k+1` exchange their
/// states with probability `min(1, exp((β_{k+1} − β_k)(E_{k+1} − E_k)))`,
/// which keeps the product of Boltzmann distributions invariant, so the
/// replica at level `k` samples `exp(−β_k E)` at equilibrium. A read returns
/// the lowest-energy state any replica saw (or, with `returnBest = false`,
/// the final state of the coldest replica).
///
/// `info` holds `ladder`, per-level flip `acceptance_rates`, per-pair
/// `swap_rates`, `sweeps_run` (sweeps each read ran: `sweeps` unless the
/// time limit cut it), and `spin_updates` (`sweeps · R · n` per finished read).
///
/// Swendsen, Wang, PRL 57 (1986) 2607; Hukushima, Nemoto, J. Phys. Soc. Jpn.
/// 65 (1996) 1604.
public struct ParallelTempering: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: ReadConfigurable {
    /// Reads (each a full tempering run), threads, time limit and initial
    /// states (every replica of read `r` starts from row `r % rows`).
    public var readOptions = ReadOptions()
    /// Sweeps of every replica.
    ///
    /// Default 1000.
    public var sweeps = 1000
    /// Replicas when the ladder is built from a range.
    ///
    /// Default 16.
    public var replicas = 16
    /// β range of the built ladder; `nil` uses `BetaRange.default(for:)`.
    public var betaRange: BetaRange?
    /// An explicit ascending β ladder; overrides `replicas` and `betaRange`.
    public var ladder: [Double]?
    /// Sweeps between two rounds of neighbour swaps.
    ///
    /// Default 1.
    public var swapInterval = 1
    /// The single-spin acceptance rule.
    ///
    /// Default Metropolis.
    public var acceptance: Acceptance = .metropolis
    /// Whether a read returns the best state seen (default) or the final
    /// state of the coldest replica.
    public var returnBest = true
    /// With a time limit, whether `sweeps` is chosen from the time given
    /// (`budgetSweeps`): three reads per thread in the limit, between 1000
    /// and 100000 sweeps. `anneal solve --sampler pt` sets it when
    /// `--time-limit` comes without `--sweeps`.
    ///
    /// Default false.
    public var sweepsFillTimeLimit = false

    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A sampler that runs with `parameters`.
  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// The ladder a run on `problem` uses: geometric from hot to cold.
  public func ladder(for problem: IsingProblem) -> [Double] {
    let p = parameters
    if let ladder = p.ladder { return ladder }
    let range = p.betaRange ?? BetaRange.default(for: problem).range
    let r = max(1, p.replicas)
    return Schedule(range: range, sweeps: r, shape: .geometric, points: r).steps.map(\.beta)
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    guard p.sweeps >= 0 else { throw SamplerError("sweeps must be non-negative") }
    guard p.swapInterval >= 1 else { throw SamplerError("swapInterval must be at least 1") }
    guard p.ladder != nil || p.replicas >= 1 else {
      throw SamplerError("replicas must be at least 1")
    }
    let ladder = ladder(for: problem)
    guard !ladder.isEmpty else { throw SamplerError("the β ladder is empty") }
    guard ladder.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
      throw SamplerError("every β of the ladder must be finite and ≥ 0")
    }
    guard zip(ladder, ladder.dropFirst()).allSatisfy({ $0 <= $1 }) else {
      throw SamplerError("the β ladder must be ascending (hot to cold)")
    }
    let n = problem.numSpins
    guard ladder.count <= ReadOptions.maxResultSpins / max(1, n) else {
      throw SamplerError("replicas × variables must be at most 2³¹")
    }
    // Buffers are built, and a budget's probe runs, before the clock of the
    // reads starts; their time counts against the limit.
    let started = DispatchTime.now().uptimeNanoseconds
    let buffers = ProblemBuffers(problem)
    var options = p.readOptions
    var sweeps = p.sweeps
    if let limit = options.control.timeLimit {
      let perSweep =
        p.sweepsFillTimeLimit
        ? secondsPerSweep(buffers: buffers, ladder: ladder, limit: limit) : nil
      let left = TimeBudget.left(of: limit, since: started)
      if let perSweep { sweeps = Self.budgetSweeps(seconds: left, secondsPerSweep: perSweep) }
      options.control.timeLimit = left
    }
    let run = try ReadRun(options, numSpins: n, using: &rng)
    let stats = TemperingStatistics(reads: p.reads, levels: ladder.count)
    let kernel = TemperingKernel(
      buffers: buffers, ladder: ladder, sweeps: sweeps,
      swapInterval: p.swapInterval, initial: run.initial, returnBest: p.returnBest,
      stop: run.stop, stats: stats)
    run.run { r, g in
      kernel.run(read: r, acceptance: p.acceptance, rng: &g, into: run.results)
    }
    var info: [String: JSONValue] = ["sampler": .string("pt")]
    info["ladder"] = .array(ladder.map { .double($0) })
    info["acceptance_rates"] = .array(stats.acceptanceRates(n: n).map { .double($0) })
    info["swap_rates"] = .array(stats.swapRates().map { .double($0) })
    info["sweeps"] = .int(sweeps)
    info["sweeps_run"] = .array(stats.sweepsRun().map { .int($0) })
    if p.ladder == nil && p.betaRange == nil && BetaRange.default(for: problem).isDegenerate {
      info["warnings"] = .array([.string(BetaRange.degenerateWarning)])
    }
    return run.sampleSet(problem, info: info, polishCut: true)
  }
}
