import QUBOModel

/// Greedy descent: from each start, flip the spin whose flip lowers the
/// energy most, until no single flip lowers it (a local minimum).
///
/// Starts are uniformly random states or the given initial states. Gains
/// `−ΔE_i = 2 s_i f_i` are cached with the local fields and kept in an
/// indexed max-heap, so each step costs O(degree · log n).
public struct SteepestDescent: Sampler {
  /// The parameters of a run.
  public struct Parameters: Sendable {
    /// Independent starts.
    ///
    /// Default 10.
    public var reads = 10
    /// Initial spin states, row-major; read `r` starts from row `r % rows`.
    public var initialStates: [Int8]?
    /// Worker threads.
    ///
    /// Default: all cores. Results do not depend on it.
    public var threads = ParallelReads.defaultThreads
    /// Time limit, cancellation and progress.
    public var control = SamplingControl()
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
    guard p.reads >= 0 else { throw SamplerError("reads must be non-negative") }
    let n = problem.numSpins
    let initial = try InitialStates(p.initialStates, numSpins: n)
    let seed = rng.next()
    let buffers = ProblemBuffers(problem)
    let results = ReadResults(numSpins: n, reads: p.reads)
    let stop = p.control.start()
    p.control.progress?.setTotal(p.reads)
    ParallelReads.run(reads: p.reads, threads: p.threads) { r in
      if r > 0 && stop.shouldStop { return }
      var g = Xoshiro256PlusPlus(seed: seed, stream: r)
      let start = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
      defer { start.deallocate() }
      initial.fill(start, n: n, read: r, rng: &g)
      var local = LocalSearch(buffers) { $0.update(from: start, count: n) }
      defer { local.deallocate() }
      let updates = local.descend(stop: stop)
      local.store(read: r, into: results, spinUpdates: updates)
      p.control.progress?.increment()
    }
    return results.sampleSet(info: ["sampler": .string("descent")])
  }

  /// Runs descent on `s` in place; returns the number of spin updates
  /// (`n` for the initial field computation plus one per flip).
  public static func descend(
    _ problem: IsingProblem, _ s: inout [Int8], stop: StopCondition = .never
  ) -> UInt64 {
    let n = problem.numSpins
    precondition(s.count == n, "state length differs from the problem's")
    let buffers = ProblemBuffers(problem)
    var local = LocalSearch(buffers) { d in
      for i in 0..<n { d[i] = Double(s[i]) }
    }
    defer { local.deallocate() }
    let updates = local.descend(stop: stop)
    for i in 0..<n { s[i] = local.s[i] > 0 ? 1 : -1 }
    return updates
  }
}
