import QUBOModel

/// Path-integral simulated quantum annealing (SQA) of the transverse-field
/// Ising model `H = A(s)·(−Σ_i σˣ_i) + B(s)·H_p(σᶻ)` by Suzuki–Trotter
/// decomposition into `trotter` (P) coupled classical slices at inverse
/// temperature β.
///
/// The classical action is `(β/P) Σ_k B·H_p(s^k) − J⊥ Σ_k Σ_i s_i^k s_i^{k+1}`
/// (periodic in k) with `J⊥ = −½ ln tanh(βA/P)`; in the Γ form A = Γ and
/// B = 1. The transverse field falls along a `TransverseFieldSchedule`.
///
/// **A sweep** visits every spin i once, in index order, and proposes a
/// single-spin Metropolis flip of i in each of the P slices (n·P proposals,
/// counted in `info["spin_updates"]`), then one worldline move that flips i
/// in all slices at once (n proposals, counted apart in
/// `info["worldline_updates"]`).
///
/// Each read starts from independent uniformly random slices (or from a
/// given initial state copied into every slice), runs the schedule, and
/// reports the lowest-energy slice (by `H_p`) it saw over the whole run; with
/// `returnAllSlices` it reports all P slices of its final state instead.
/// Energies are recomputed from the problem. Read r uses the random stream
/// `Xoshiro256PlusPlus(seed: base, stream: r)` with `base = rng.next()`, so
/// results do not depend on the thread count.
///
/// `info` holds `sampler` ("sqa"), `trotter`, `beta`, `gamma_start`,
/// `gamma_end` (A of the first and last step), `sweeps`, `spin_updates`,
/// `worldline_updates`, `accepted_spin_updates` and
/// `accepted_worldline_updates`.
///
/// To reproduce an OpenJij `SQASampler` run (β = 5, Γ = 1 and its quartic
/// schedule by default), set `beta = 5` and
/// `schedule = .openJijQuartic(gamma: 1, sweeps: n)`, or
/// `.openJij(gamma:s:)` with its custom `(s, sweeps)` list.
///
/// For thermal averages at a fixed transverse field rather than annealing,
/// use `PathIntegralEstimator`.
public struct PathIntegralAnnealing: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: ReadConfigurable {
    /// Reads, threads, time limit and initial states (read `r` starts with
    /// every slice set to row `r % rows`).
    public var readOptions = ReadOptions()
    /// Sweeps per read (ignored when `schedule` is given).
    ///
    /// Default 1000.
    public var sweeps = 1000
    /// Trotter slices P.
    ///
    /// Default 16.
    public var trotter = 16
    /// Inverse temperature β; `nil` uses `defaultBeta(for:trotter:)`.
    public var beta: Double?
    /// Γ from high to low (Γ form); `nil` uses `defaultGammaRange(for:beta:trotter:)`.
    public var gammaRange: GammaRange?
    /// Spacing of Γ between the ends of `gammaRange`.
    ///
    /// Default geometric.
    public var shape: Schedule.Shape = .geometric
    /// A schedule given outright (Γ or A(s)/B(s) form); overrides `sweeps`,
    /// `gammaRange` and `shape`.
    public var schedule: TransverseFieldSchedule?
    /// Whether to propose worldline moves (one per spin per sweep).
    ///
    /// Default true.
    public var worldlineMoves = true
    /// Return all P slices of each read's final state (P rows a read)
    /// instead of the best slice seen.
    ///
    /// Default false.
    public var returnAllSlices = false
    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// The inverse temperature a run on `problem` will use.
  public func beta(for problem: IsingProblem) -> Double {
    parameters.beta ?? Self.defaultBeta(for: problem, trotter: parameters.trotter).beta
  }

  /// The schedule a run on `problem` will use.
  public func schedule(for problem: IsingProblem) -> TransverseFieldSchedule {
    if let s = parameters.schedule { return s }
    let range =
      parameters.gammaRange
      ?? Self.defaultGammaRange(
        for: problem, beta: beta(for: problem), trotter: parameters.trotter)
    return TransverseFieldSchedule(
      gammaRange: range, sweeps: parameters.sweeps, shape: parameters.shape)
  }

  /// Throws a `SamplerError` for parameters no run can use.
  public func validate(for problem: IsingProblem) throws {
    let p = parameters
    guard p.sweeps >= 0 else { throw SamplerError("sweeps must be non-negative") }
    guard p.trotter >= 1 else { throw SamplerError("trotter must be at least 1") }
    guard p.trotter <= 1 << 16 else { throw SamplerError("trotter must be at most 65536") }
    if let b = p.beta, !(b.isFinite && b > 0) {
      throw SamplerError("beta must be a positive finite number")
    }
    if let g = p.gammaRange {
      guard g.high.isFinite, g.low.isFinite, g.high >= 0, g.low >= 0 else {
        throw SamplerError("gamma range values must be finite and non-negative")
      }
    }
    try p.schedule?.validate()
    let n = problem.numSpins
    guard n <= (1 << 31) / p.trotter else {
      throw SamplerError("n · trotter must be at most 2³¹")
    }
    try p.readOptions.validate(numSpins: n, rowsPerRead: p.returnAllSlices ? p.trotter : 1)
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    try validate(for: problem)
    let p = parameters
    let n = problem.numSpins
    let P = p.trotter
    let rowsPerRead = p.returnAllSlices ? P : 1
    let run = try ReadRun(p.readOptions, numSpins: n, rowsPerRead: rowsPerRead, using: &rng)
    let beta = beta(for: problem)
    let schedule = schedule(for: problem)
    let results = run.results
    let counters = ReadCounters(reads: p.reads)
    run.run { r, g in
      let outcome = Self.anneal(
        problem, trotter: P, beta: beta, schedule: schedule, worldline: p.worldlineMoves,
        initialRow: run.initial?.row(forRead: r), stop: run.stop, rng: &g)
      let system = outcome.system
      if p.returnAllSlices {
        var row = [Int8](repeating: 1, count: n)
        for k in 0..<P {
          row.withUnsafeMutableBufferPointer {
            system.copySlice(system.position(ofSlice: k), into: $0)
          }
          row.withUnsafeBufferPointer {
            results.store(
              read: r * P + k, state: $0, energy: problem.energy($0),
              spinUpdates: k == 0 ? outcome.spinUpdates : 0)
          }
        }
      } else {
        outcome.best.withUnsafeBufferPointer {
          results.store(
            read: r, state: $0, energy: problem.energy($0), spinUpdates: outcome.spinUpdates)
        }
      }
      counters.set(
        read: r, worldlines: outcome.worldlineUpdates,
        acceptedFlips: system.acceptedFlips, acceptedWorldlines: system.acceptedWorldlines)
    }
    let gammas = schedule.steps.map(\.transverseField)
    var info: [String: JSONValue] = [
      "sampler": .string("sqa"),
      "trotter": .int(P),
      "beta": .double(beta),
      "gamma_start": .double(gammas.first ?? 0),
      "gamma_end": .double(gammas.last ?? 0),
      "sweeps": .int(schedule.totalSweeps),
      "worldline_updates": .int(Int(truncatingIfNeeded: counters.total(\.worldlines))),
      "accepted_spin_updates": .int(Int(truncatingIfNeeded: counters.total(\.acceptedFlips))),
      "accepted_worldline_updates": .int(
        Int(truncatingIfNeeded: counters.total(\.acceptedWorldlines))),
    ]
    let defaultsUsed = p.schedule == nil && (p.beta == nil || p.gammaRange == nil)
    if defaultsUsed && Self.defaultBeta(for: problem).isDegenerate {
      info["warnings"] = .array([.string(BetaRange.degenerateWarning)])
    }
    // All slices are returned as they are; the best slice of a cut read is
    // polished like SA's.
    return run.sampleSet(problem, info: info, polishCut: !p.returnAllSlices)
  }

  /// Per-read move counts, written from many threads (read r owns slot r).
  final class ReadCounters: @unchecked Sendable {
    struct Slot {
      var worldlines: UInt64 = 0
      var acceptedFlips: UInt64 = 0
      var acceptedWorldlines: UInt64 = 0
    }
    let slots: UnsafeMutableBufferPointer<Slot>

    init(reads: Int) {
      slots = .allocate(capacity: max(1, reads))
      slots.initialize(repeating: Slot())
    }

    deinit { slots.deallocate() }

    func set(read r: Int, worldlines: UInt64, acceptedFlips: UInt64, acceptedWorldlines: UInt64) {
      slots[r] = Slot(
        worldlines: worldlines, acceptedFlips: acceptedFlips,
        acceptedWorldlines: acceptedWorldlines)
    }

    func total(_ field: KeyPath<Slot, UInt64>) -> UInt64 {
      slots.reduce(0) { $0 &+ $1[keyPath: field] }
    }
  }

  /// What one read leaves behind.
  struct ReadOutcome {
    var system: PathIntegralSystem
    var best: [Int8]
    var bestEnergy: Double
    var spinUpdates: UInt64
    var worldlineUpdates: UInt64
  }

  /// Runs one read: initialises the slices, then every step of `schedule`.
  static func anneal(
    _ problem: IsingProblem, trotter P: Int, beta: Double, schedule: TransverseFieldSchedule,
    worldline: Bool, initialRow: ArraySlice<Int8>?, stop: StopCondition,
    rng: inout Xoshiro256PlusPlus
  ) -> ReadOutcome {
    let n = problem.numSpins
    let system = PathIntegralSystem(problem, trotter: P, narrowFields: true)
    if let initialRow {
      system.setAllSlices(to: initialRow)
    } else {
      system.randomize(using: &rng)
    }
    var best = [Int8](repeating: 1, count: n)
    var (slice, bestEnergy) = system.lowestSlice()
    best.withUnsafeMutableBufferPointer { system.copySlice(slice, into: $0) }
    var spinUpdates: UInt64 = 0
    var worldlineUpdates: UInt64 = 0
    var sinceRefresh = 0
    let perSweep = UInt64(n * P)
    let steps = schedule.steps
    let pacer = SchedulePacer(sweeps: steps.map(\.sweeps), deadline: stop.deadline)
    var walk = ScheduleWalk(pacer, interval: 1)
    while let k = walk.nextStep() {
      let scale = SliceFloat(beta * steps[k].problemScale / Double(P))
      let jPerp = SliceFloat(
        trotterCoupling(beta: beta, transverseField: steps[k].transverseField, trotter: P))
      while walk.nextBatch(stop) != nil {
        system.sweep(scale: scale, jPerp: jPerp, worldline: worldline, rng: &rng)
        spinUpdates &+= perSweep
        if worldline { worldlineUpdates &+= UInt64(n) }
        sinceRefresh += 1
        if sinceRefresh == PathIntegralSystem.refreshInterval {
          system.refresh()
          sinceRefresh = 0
        }
        let (slice, e) = system.lowestSlice()
        if e < bestEnergy {
          bestEnergy = e
          best.withUnsafeMutableBufferPointer { system.copySlice(slice, into: $0) }
        }
      }
    }
    return ReadOutcome(
      system: system, best: best, bestEnergy: bestEnergy, spinUpdates: spinUpdates,
      worldlineUpdates: worldlineUpdates)
  }
}
