import QUBOModel

/// Greedy descent: from each start, flip the spin whose flip lowers the
/// energy most, until no single flip lowers it (a local minimum).
///
/// Starts are uniformly random states or the given initial states.
/// Each step scans all spins (O(n)) and updates the neighbours' cached
/// local fields (O(degree)).
public struct SteepestDescent: Sampler {
  /// The parameters of a run.
  public struct Parameters: Sendable {
    /// Independent starts. Default 10.
    public var reads = 10
    /// Initial spin states, row-major; read `r` starts from row `r % rows`.
    public var initialStates: [Int8]?
    /// Worker threads. Default: all cores. Results do not depend on it.
    public var threads = ParallelReads.defaultThreads
    /// Time limit, cancellation and progress.
    public var control = SamplingControl()
    public init() {}
  }

  public var parameters: Parameters

  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    let n = problem.numSpins
    if let initial = p.initialStates {
      guard n > 0, !initial.isEmpty, initial.count % n == 0,
        initial.allSatisfy({ $0 == 1 || $0 == -1 })
      else { throw SamplerError("initial states must be whole rows of \(n) spins (±1)") }
    }
    let seed = rng.next()
    let results = ReadResults(numSpins: n, reads: p.reads)
    let stop = p.control.start()
    ParallelReads.run(reads: p.reads, threads: p.threads) { r in
      if r > 0 && stop.shouldStop { return }
      var g = Xoshiro256PlusPlus(seed: seed, stream: r)
      var s = [Int8](repeating: 1, count: n)
      if let initial = p.initialStates {
        let row = r % (initial.count / n)
        for i in 0..<n { s[i] = initial[row * n + i] }
      } else {
        for i in 0..<n { s[i] = g.next() & 1 == 0 ? -1 : 1 }
      }
      let updates = SteepestDescent.descend(problem, &s, stop: stop)
      s.withUnsafeBufferPointer {
        results.store(read: r, state: $0, energy: problem.energy($0), spinUpdates: updates)
      }
      p.control.progress?.increment()
    }
    return results.sampleSet(info: ["sampler": .string("descent")])
  }

  /// Runs descent on `s` in place; returns the number of flips tried (n per scan).
  public static func descend(_ problem: IsingProblem, _ s: inout [Int8], stop: StopCondition = .never) -> UInt64 {
    let n = problem.numSpins
    var f = (0..<n).map { problem.localField($0, in: s) }
    var updates: UInt64 = 0
    while !stop.shouldStop {
      var bestI = -1
      var bestD = 0.0
      for i in 0..<n {
        let d = -2 * Double(s[i]) * f[i]
        if d < bestD {
          bestD = d
          bestI = i
        }
      }
      updates &+= UInt64(n)
      if bestI < 0 { break }
      s[bestI] = -s[bestI]
      let d = 2 * Double(s[bestI])
      for k in Int(problem.rowStart[bestI])..<Int(problem.rowStart[bestI + 1]) {
        f[Int(problem.neighbor[k])] += d * problem.coupling[k]
      }
    }
    return updates
  }
}
