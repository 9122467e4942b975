import QUBOModel

/// Uniformly random spin states: the baseline every sampler must beat.
///
/// Read `r` draws its state from its own stream, so results do not depend
/// on the thread count; with a time limit, reads that cannot start in time
/// are not run (read 0 always is).
public struct RandomSampler: Sampler {
  /// The parameters of a run.
  public struct Parameters: ReadConfigurable {
    /// How many states to draw (`reads`), threads and the time limit.
    public var readOptions = ReadOptions()
    /// The documented defaults.
    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  /// A sampler that runs with `parameters`.
  public init(_ parameters: Parameters) {
    self.parameters = parameters
  }

  /// A sampler drawing `reads` states.
  public init(reads: Int = 10) {
    parameters = Parameters()
    parameters.reads = reads
  }

  /// How many states to draw.
  public var reads: Int {
    get { parameters.reads }
    set { parameters.reads = newValue }
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let n = problem.numSpins
    let run = try ReadRun(parameters.readOptions, numSpins: n, using: &rng)
    run.run { r, g in
      let row = UnsafeMutableBufferPointer<Int8>.allocate(capacity: max(1, n))
      defer { row.deallocate() }
      for i in 0..<n { row[i] = g.next() & 1 == 0 ? -1 : 1 }
      let state = UnsafeBufferPointer(rebasing: row[0..<n])
      run.results.store(read: r, state: state, energy: problem.energy(state), spinUpdates: 0)
    }
    return run.sampleSet(problem, info: ["sampler": .string("random")], polishCut: false)
  }
}
