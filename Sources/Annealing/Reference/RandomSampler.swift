import QUBOModel

/// Uniformly random spin states: the baseline every sampler must beat.
public struct RandomSampler: Sampler {
  /// How many states to draw.
  ///
  /// Default 10.
  public var reads: Int

  public init(reads: Int = 10) {
    self.reads = reads
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    guard reads >= 0 else { throw SamplerError("reads must be non-negative") }
    let n = problem.numSpins
    let seed = rng.next()
    var samples = [Int8](repeating: 1, count: n * reads)
    var energies = [Double](repeating: 0, count: reads)
    for r in 0..<reads {
      var g = Xoshiro256PlusPlus(seed: seed, stream: r)
      for i in 0..<n { samples[r * n + i] = g.next() & 1 == 0 ? -1 : 1 }
      energies[r] = problem.energy(samples[(r * n)..<((r + 1) * n)])
    }
    return SampleSet(
      variables: Variables(range: n), vartype: .spin, samples: samples,
      energies: energies,
      info: ["sampler": .string("random"), "spin_updates": .int(0)])
  }
}
