import QUBOModel

/// Greedy descent: from each start, flip the spin whose flip lowers the
/// energy most, until no single flip lowers it (a local minimum).
///
/// Starts are uniformly random states or the given initial states. Gains
/// `−ΔE_i = 2 s_i f_i` are cached with the local fields and kept in an
/// indexed max-heap, so each step costs O(degree · log n).
public struct SteepestDescent: Sampler {
  /// The parameters of a run.
  public struct Parameters: ReadConfigurable {
    /// Independent starts, threads, time limit and initial states.
    public var readOptions = ReadOptions()
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
    let n = problem.numSpins
    let run = try ReadRun(parameters.readOptions, numSpins: n, using: &rng)
    let buffers = ProblemBuffers(problem, integerKernels: false)
    run.run { r, g in
      let start = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
      defer { start.deallocate() }
      run.initial.fill(start, n: n, read: r, rng: &g)
      var local = LocalSearch(buffers) { $0.update(from: start, count: n) }
      defer { local.deallocate() }
      let updates = local.descend(stop: run.stop)
      local.store(read: r, into: run.results, spinUpdates: updates)
    }
    // A descent cut short by the time limit is finished (polished).
    return run.sampleSet(problem, info: ["sampler": .string("descent")], polishCut: true)
  }

  /// Runs descent on `s` in place; returns the number of spin updates
  /// (`n` for the initial field computation plus one per flip).
  public static func descend(
    _ problem: IsingProblem, _ s: inout [Int8], stop: StopCondition = .never
  ) -> UInt64 {
    let n = problem.numSpins
    precondition(s.count == n, "state length differs from the problem's")
    let buffers = ProblemBuffers(problem, integerKernels: false)
    var local = LocalSearch(buffers) { d in
      for i in 0..<n { d[i] = Double(s[i]) }
    }
    defer { local.deallocate() }
    let updates = local.descend(stop: stop)
    for i in 0..<n { s[i] = local.s[i] > 0 ? 1 : -1 }
    return updates
  }
}
