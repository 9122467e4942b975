import QUBOModel

/// Simulated annealing with single-spin Metropolis updates.
///
/// Each read starts from a uniformly random state (or a given initial state)
/// and runs the schedule's sweeps; a sweep proposes a flip of every spin once,
/// in index order, accepting with probability `min(1, exp(−β ΔE))` where
/// `ΔE_i = −2 s_i (h_i + Σ_j J_ij s_j)`. The local fields are cached and
/// updated only when a flip is accepted. A read returns the best state it saw.
public struct SimulatedAnnealing: Sampler {
  /// The parameters of a run, with documented defaults.
  public struct Parameters: Sendable {
    /// Independent reads (restarts). Default 10.
    public var reads = 10
    /// Sweeps per read. Default 1000.
    public var sweeps = 1000
    /// β range; `nil` uses `BetaRange.default(for:)`.
    public var betaRange: BetaRange?
    /// Spacing of β between the ends of the range. Default geometric.
    public var shape: Schedule.Shape = .geometric
    /// A schedule given outright; overrides `sweeps`, `betaRange` and `shape`.
    public var schedule: Schedule?
    /// Worker threads. Default: all cores. Results do not depend on it.
    public var threads = ParallelReads.defaultThreads
    /// Time limit, cancellation and progress.
    public var control = SamplingControl()
    /// Initial spin states, row-major; read `r` starts from row `r % rows`.
    public var initialStates: [Int8]?

    public init() {}
  }

  /// The parameters used by `sample`.
  public var parameters: Parameters

  public init(_ parameters: Parameters = Parameters()) {
    self.parameters = parameters
  }

  /// The schedule a run on `problem` will use.
  public func schedule(for problem: IsingProblem) -> Schedule {
    if let s = parameters.schedule { return s }
    let range = parameters.betaRange ?? BetaRange.default(for: problem).range
    return Schedule(range: range, sweeps: parameters.sweeps, shape: parameters.shape)
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let p = parameters
    guard p.reads >= 0 else { throw SamplerError("reads must be non-negative") }
    let n = problem.numSpins
    if let initial = p.initialStates {
      guard n > 0, initial.count % n == 0, !initial.isEmpty else {
        throw SamplerError("initial states must be whole rows of \(n) spins")
      }
      guard initial.allSatisfy({ $0 == 1 || $0 == -1 }) else {
        throw SamplerError("initial states must be spins (±1)")
      }
    }
    let schedule = schedule(for: problem)
    let seed = rng.next()
    let results = ReadResults(numSpins: n, reads: p.reads)
    let stop = p.control.start()
    p.control.progress?.setTotal(p.reads)
    ParallelReads.run(reads: p.reads, threads: p.threads) { r in
      var g = Xoshiro256PlusPlus(seed: seed, stream: r)
      Self.anneal(
        problem, schedule: schedule, read: r, initial: p.initialStates, stop: stop,
        results: results, rng: &g)
      p.control.progress?.increment()
    }
    return results.sampleSet(info: ["sampler": .string("sa")])
  }

  static func anneal(
    _ problem: IsingProblem, schedule: Schedule, read r: Int, initial: [Int8]?,
    stop: StopCondition, results: ReadResults, rng: inout Xoshiro256PlusPlus
  ) {
    let n = problem.numSpins
    // A read that would start after the deadline is skipped; read 0 always
    // runs, so a run returns at least one sample.
    if r > 0 && stop.shouldStop { return }
    var spins = [Int8](repeating: 1, count: n)
    if let initial {
      let rows = initial.count / n
      let row = r % rows
      for i in 0..<n { spins[i] = initial[row * n + i] }
    } else {
      for i in 0..<n { spins[i] = rng.next() & 1 == 0 ? -1 : 1 }
    }
    var field = [Double](repeating: 0, count: n)
    for i in 0..<n { field[i] = problem.localField(i, in: spins) }
    var energy = problem.energy(spins)
    var best = spins
    var bestEnergy = energy
    var updates: UInt64 = 0
    problem.h.withUnsafeBufferPointer { _ in
      problem.rowStart.withUnsafeBufferPointer { start in
        problem.neighbor.withUnsafeBufferPointer { nb in
          problem.coupling.withUnsafeBufferPointer { J in
            spins.withUnsafeMutableBufferPointer { s in
              field.withUnsafeMutableBufferPointer { f in
                outer: for step in schedule.steps {
                  let beta = step.beta
                  for _ in 0..<step.sweeps {
                    if stop.shouldStop { break outer }
                    for i in 0..<n {
                      let dE = -2 * Double(s[i]) * f[i]
                      if dE > 0 {
                        let x = beta * dE
                        if x > 40 || rng.nextUnit() >= exp(-x) { continue }
                      }
                      s[i] = -s[i]
                      energy += dE
                      let d = 2 * Double(s[i])
                      for k in Int(start[i])..<Int(start[i + 1]) {
                        f[Int(nb[k])] += d * J[k]
                      }
                    }
                    updates &+= UInt64(n)
                    if energy < bestEnergy {
                      bestEnergy = energy
                      for i in 0..<n { best[i] = s[i] }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    best.withUnsafeBufferPointer { b in
      results.store(read: r, state: b, energy: problem.energy(b), spinUpdates: updates)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
