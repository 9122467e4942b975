import QUBOModel

/// Multistart tabu search on single-spin flips, in the manner of Palubeckis'
/// MST2.
///
/// A tabu run moves, at every iteration, to the best neighbour: the flip of
/// largest gain `g_i = −ΔE_i` among spins that are not tabu — a spin flipped
/// at iteration t stays tabu until t + tenure — unless the flip would beat
/// the best energy of the read (aspiration). Ties are broken uniformly at
/// random. A run ends after `stallIterations` iterations without improving its
/// best; the next restart perturbs the read's best state by flipping
/// `perturbation · n` random spins. Gains are cached and updated in O(degree)
/// per move on the sparse rows; the move choice scans the n gains.
///
/// `info` holds `tabu_iterations`, `restarts`, and `spin_updates` (the gains
/// examined: `n` per iteration).
///
/// G. Palubeckis, "Multistart tabu search strategies for the unconstrained
/// binary quadratic optimization problem", Ann. Oper. Res. 131 (2004) 259.
public struct TabuSearch: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: ReadConfigurable {
    /// Independent multistart runs, threads, time limit and initial states
    /// (read `r`'s first run starts from row `r % rows`).
    public var readOptions = ReadOptions()
    /// Iterations a flipped spin stays tabu; `nil`: `max(min(20, n / 4), n / 16)`
    /// (MST2's `min(20, n / 4)`, raised for large sparse models: on Gset
    /// G22, 3 s runs reach cut 13090 with tenure 20 and 13350 with n / 16).
    public var tenure: Int?
    /// Iterations without improvement that end a restart; `nil`:
    /// `max(10_000, 10 n)`.
    public var stallIterations: Int?
    /// Restarts per read; `nil`: 10 without a time limit, unlimited (until
    /// the time limit or the target) with one.
    public var restarts: Int?
    /// Stop a read once its best energy is at or below this.
    public var targetEnergy: Double?
    /// Fraction of spins flipped at random when restarting from the best
    /// state.
    ///
    /// Default 0.1.
    public var perturbation = 0.1

    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A sampler that runs with `parameters`.
  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    let n = problem.numSpins
    if let t = p.tenure, t < 0 { throw SamplerError("tenure must be non-negative") }
    if let s = p.stallIterations, s < 0 {
      throw SamplerError("stallIterations must be non-negative")
    }
    if let r = p.restarts, r < 1 { throw SamplerError("restarts must be at least 1") }
    guard p.perturbation >= 0 && p.perturbation <= 1 else {
      throw SamplerError("perturbation must be in [0, 1]")
    }
    let run = try ReadRun(p.readOptions, numSpins: n, using: &rng)
    let restarts = p.restarts ?? (p.control.timeLimit == nil ? 10 : Int.max)
    let kernel = TabuKernel(
      buffers: ProblemBuffers(problem, integerKernels: false), tenure: p.tenure ?? max(min(20, n / 4), n / 16),
      stall: p.stallIterations ?? max(10_000, 10 * n), restarts: restarts,
      target: p.targetEnergy, perturbation: p.perturbation, initial: run.initial,
      stop: run.stop)
    let iterations = IterationCounts(reads: p.reads)
    run.run { r, g in
      let (its, runs) = kernel.run(read: r, rng: &g, into: run.results)
      iterations.store(read: r, iterations: its, restarts: runs)
    }
    var info: [String: JSONValue] = ["sampler": .string("tabu")]
    info["tabu_iterations"] = .int(iterations.totalIterations)
    info["restarts"] = .int(iterations.totalRestarts)
    // A time limit is tabu's budget: a read's best is kept, not polished.
    return run.sampleSet(problem, info: info, polishCut: false)
  }
}

/// Per-read iteration and restart counts, summed after the run.
final class IterationCounts: @unchecked Sendable {
  let iterations: UnsafeMutablePointer<Int>
  let restarts: UnsafeMutablePointer<Int>
  let reads: Int

  init(reads: Int) {
    self.reads = reads
    iterations = .allocate(capacity: max(1, reads))
    restarts = .allocate(capacity: max(1, reads))
    iterations.initialize(repeating: 0, count: max(1, reads))
    restarts.initialize(repeating: 0, count: max(1, reads))
  }

  deinit {
    iterations.deallocate()
    restarts.deallocate()
  }

  func store(read r: Int, iterations its: Int, restarts runs: Int) {
    iterations[r] = its
    restarts[r] = runs
  }

  var totalIterations: Int { (0..<reads).reduce(0) { $0 + iterations[$1] } }
  var totalRestarts: Int { (0..<reads).reduce(0) { $0 + restarts[$1] } }
}
