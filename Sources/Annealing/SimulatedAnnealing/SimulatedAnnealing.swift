import Dispatch
import QUBOModel

/// Simulated annealing with single-spin Metropolis or heat-bath updates.
///
/// Each read starts from uniformly random spins (or a given initial state)
/// and runs the schedule: at each step's β, `sweeps` sweeps, each proposing
/// `n` single-spin flips (in index order or at random) accepted with
/// `min(1, exp(−β ΔE))` (Metropolis) or `1 / (1 + exp(β ΔE))` (Gibbs), where
/// `ΔE_i = −2 s_i (h_i + Σ_j J_ij s_j)`. Local fields are cached and updated
/// only on accepted flips. A read returns the best state it saw (or, with
/// `returnBest = false`, its final state).
///
/// Reads run in parallel on `threads` threads; read `r` draws from the stream
/// `Xoshiro256PlusPlus(seed: rng.next(), stream: r)`, so a seeded run gives
/// the same samples at any thread count. With biases that are multiples of
/// a quantum and sequential order, reads run 8 or 16 at a time in SIMD
/// lanes (`packReads`; `PackLayout`, PackedSystem.swift), and on
/// real-valued models whose gaps Float resolves 8 at a time in Float lanes
/// (FloatPackedSystem.swift), pack `p` drawing from stream `~p`; `info["lanes"]` and `info["packed_reads"]` then give
/// the pack width and how many reads (from read 0) were packed. On sparse
/// real-valued models the reads outside packs sweep by colour classes of
/// the coupling graph, eight spins of one read in Float lanes
/// (`colourSweeps`, ColourSystem.swift; `info["kernel"]` is then
/// `colour_classes`, with `info["colours"]` and `info["coloured_reads"]`).
///
/// On dense models (`couplings`, `CouplingLayout`; by default from 40% of
/// all pairs coupled, 70% with packed reads, up to 4096 spins) the kernels
/// hold the couplings as dense n×n rows and update the local fields after
/// a flip with one vectorised row operation instead of a CSR gather, with
/// the same samples for the same seed; `info["couplings"]` says which ran
/// (`dense` or `sparse`).
public struct SimulatedAnnealing: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: ReadConfigurable {
    /// Reads, threads, time limit and initial states.
    public var readOptions = ReadOptions()
    /// Sweeps per read.
    ///
    /// Default 1000.
    public var sweeps = 1000
    /// β range; `nil` uses `BetaRange.default(for:)`.
    public var betaRange: BetaRange?
    /// Spacing of β between the ends of the range.
    ///
    /// Default geometric.
    public var shape: Schedule.Shape = .geometric
    /// Sweeps at each β of a schedule built from the range.
    ///
    /// Default `nil`: `max(1, sweeps / maxDefaultSteps)`, one sweep per β
    /// up to 999 sweeps and at most about 500 β values beyond (so models
    /// with wide integer fields, such as K2000, run the integer kernels,
    /// whose acceptance tables are built once per β and must pay for it).
    public var sweepsPerBeta: Int?
    /// A schedule given outright; overrides `sweeps`, `betaRange`, `shape`
    /// and `sweepsPerBeta`.
    public var schedule: Schedule?
    /// The acceptance rule.
    ///
    /// Default Metropolis.
    public var acceptance: Acceptance = .metropolis
    /// The order of proposals within a sweep.
    ///
    /// Default sequential.
    public var order: UpdateOrder = .sequential
    /// Whether a read returns the best state it saw (default) or its final
    /// state (what a Boltzmann sampler at fixed β needs).
    public var returnBest = true
    /// With a time limit, whether `sweeps` is chosen from the time given
    /// (`budgetSweeps`): reads of about an eighth of what one thread can
    /// sweep in the limit, between 1000 and 100000 sweeps. `anneal solve`
    /// sets it when `--time-limit` comes without `--sweeps`.
    ///
    /// Default false.
    public var sweepsFillTimeLimit = false
    /// Whether spins are renumbered for memory locality (reverse
    /// Cuthill–McKee) before the kernels run; samples come back in the
    /// caller's numbering.
    ///
    /// Default `.auto`: from `reorderMinSpins` spins on.
    public var reorder: Reordering = .auto
    /// Whether reads may run 8 or 16 at a time in SIMD lanes (sequential
    /// order; biases that are multiples of a quantum, or real-valued ones
    /// that Float resolves; see `PackLayout`).
    ///
    /// Default true. Samples then depend on the seed and the read count,
    /// still not on `threads`.
    public var packReads = true
    /// How the kernels store the couplings: dense rows or CSR.
    ///
    /// Default `.auto`: dense rows on dense models (`DenseRows.minDensity`,
    /// `minPackedDensity`), CSR otherwise. Samples do not depend on it,
    /// except on real-valued models with packed reads: Float packs run on
    /// CSR only, so there `.dense` (or `.auto` from `minDensity`) runs
    /// the reads one by one in Double instead.
    public var couplings: CouplingLayout = .auto
    /// Whether real-valued models are swept by colour classes, eight spins
    /// of one read in SIMD lanes, instead of Float packs of eight reads and
    /// Double reads one by one (ColourSystem.swift).
    ///
    /// Default `.auto`: the reads outside packs, on sparse models
    /// (`colourLayout(for:)`). Samples depend on it.
    public var colourSweeps: ColourSweeps = .auto

    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A sampler that runs with `parameters`.
  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// The most β values of a schedule built with the default
  /// `sweepsPerBeta`.
  public static let maxDefaultSteps = 500

  /// The schedule a run on `problem` will use.
  public func schedule(for problem: IsingProblem) -> Schedule {
    schedule(for: problem, sweeps: parameters.sweeps)
  }

  /// The schedule of `sweeps` sweeps a run on `problem` would use.
  func schedule(for problem: IsingProblem, sweeps: Int) -> Schedule {
    let p = parameters
    if let s = p.schedule { return s }
    let range = p.betaRange ?? BetaRange.default(for: problem).range
    let perBeta = p.sweepsPerBeta ?? max(1, sweeps / Self.maxDefaultSteps)
    let points = max(1, sweeps / max(1, perBeta))
    return Schedule(range: range, sweeps: sweeps, shape: p.shape, points: points)
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    guard p.sweeps >= 0 else { throw SamplerError("sweeps must be non-negative") }
    guard (p.sweepsPerBeta ?? 1) >= 1 else { throw SamplerError("sweepsPerBeta must be at least 1") }
    if let range = p.betaRange {
      guard range.hot.isFinite, range.cold.isFinite, range.hot >= 0, range.cold >= 0 else {
        throw SamplerError("β range must be finite and non-negative")
      }
    }
    try p.readOptions.validate(numSpins: problem.numSpins)
    if reorders(numSpins: problem.numSpins) { return try sampleReordered(problem, using: &rng) }
    // Buffers (and dense rows) are built once, before the clock of the
    // reads starts, and their time counts against the limit.
    let started = DispatchTime.now().uptimeNanoseconds
    let buffers = ProblemBuffers(problem)
    var options = p.readOptions
    var sweeps = p.sweeps
    var denseRows: DenseRows?
    let colours = colourLayout(for: buffers)
    if p.sweepsFillTimeLimit, p.schedule == nil, let limit = options.control.timeLimit {
      let probe = AnnealKernel(
        buffers: buffers, schedule: schedule(for: problem, sweeps: 2 * Self.maxDefaultSteps),
        initial: nil, returnBest: true, stop: .never)
      let packs = p.packReads && probe.canPack(order: p.order, couplings: p.couplings)
      if colours == nil && DenseRows.chosen(p.couplings, for: buffers, packed: packs) {
        denseRows = DenseRows(buffers)
      }
      let left = TimeBudget.left(of: limit, since: started)
      let perSweep = secondsPerSweep(
        problem, buffers: buffers, dense: denseRows, colours: colours, limit: limit)
      sweeps = Self.budgetSweeps(
        seconds: left, secondsPerSweep: perSweep.seconds,
        readsPerItem: perSweep.readsPerItem)
    }
    if let limit = options.control.timeLimit {
      options.control.timeLimit = TimeBudget.left(of: limit, since: started)
    }
    let run = try ReadRun(options, numSpins: problem.numSpins, using: &rng)
    let schedule = schedule(for: problem, sweeps: sweeps)
    try schedule.validate()
    var kernel = AnnealKernel(
      buffers: buffers, schedule: schedule, initial: run.initial,
      returnBest: p.returnBest, stop: run.stop)
    let layout = plan(&kernel, colours: colours, dense: denseRows)
    // Work item w < packs is pack w (stream ~w); the others are single reads
    // from `layout.packed` on (stream r).
    run.run(
      items: layout.packs + p.reads - layout.packed,
      stream: { $0 < layout.packs ? ~$0 : layout.packed + $0 - layout.packs },
      readsIn: { $0 < layout.packs ? min(layout.width, layout.packed - $0 * layout.width) : 1 }
    ) { [kernel] w, g in
      if w < layout.packs {
        kernel.runPack(
          w, halves: layout.halves, reads: layout.packed, acceptance: p.acceptance, rng: &g,
          into: run.results)
      } else {
        kernel.run(
          read: layout.packed + w - layout.packs, acceptance: p.acceptance, order: p.order,
          rng: &g, into: run.results)
      }
    }
    var info: [String: JSONValue] = ["sampler": .string("sa")]
    if let first = schedule.steps.first, let last = schedule.steps.last {
      info["beta_range"] = .array([.double(first.beta), .double(last.beta)])
    }
    info["sweeps"] = .int(schedule.totalSweeps)
    info["couplings"] = .string(kernel.dense == nil ? "sparse" : "dense")
    if let colours = kernel.colours, layout.packed < p.reads {
      info["kernel"] = .string("colour_classes")
      info["colours"] = .int(colours.colours)
      info["coloured_reads"] = .int(p.reads - layout.packed)
    }
    if layout.packs > 0 {
      info["lanes"] = .int(layout.width)
      info["packed_reads"] = .int(layout.packed)
    }
    if p.schedule == nil && p.betaRange == nil && BetaRange.default(for: problem).isDegenerate {
      info["warnings"] = .array([.string(BetaRange.degenerateWarning)])
    }
    return run.sampleSet(problem, info: info, polishCut: true)
  }
}
