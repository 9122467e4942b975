import QUBOModel

/// A composite that polishes every row of its child's samples by steepest
/// descent, so each returned state is a local minimum (no single flip lowers
/// its energy) and no worse than the child's.
///
/// The child's `info` is kept; `spin_updates` adds the descent's updates and
/// `polished_rows` counts the rows descent improved.
public struct SteepestDescentComposite<Child: Sampler>: Sampler {
  /// The sampler whose output is polished.
  public var child: Child
  /// Worker threads for the polishing.
  ///
  /// Default: all cores.
  public var threads: Int
  /// Time limit and cancellation of the polishing.
  public var control: SamplingControl

  /// Polishes the output of `child` on `threads` threads.
  public init(
    child: Child, threads: Int = ParallelReads.defaultThreads,
    control: SamplingControl = SamplingControl()
  ) {
    self.child = child
    self.threads = threads
    self.control = control
  }

  public func sample<G: RandomNumberGenerator>(
    _ problem: IsingProblem, using rng: inout G
  ) throws -> SampleSet {
    let raw = try child.sample(problem, using: &rng)
    let n = problem.numSpins
    let rows = raw.count
    let buffers = ProblemBuffers(problem, integerKernels: false)
    let results = ReadResults(numSpins: n, reads: rows)
    let stop = control.start()
    let samples = raw.samples
    ParallelReads.run(reads: rows, threads: threads) { r in
      var local = LocalSearch(buffers) { d in
        for i in 0..<n { d[i] = Double(samples[r * n + i]) }
      }
      defer { local.deallocate() }
      // Every row is polished (never skipped), so the row count and order
      // match the child's; a stop only cuts descents short.
      let updates = local.descend(stop: stop) - UInt64(n)
      local.store(read: r, into: results, spinUpdates: updates)
    }
    var improved = 0
    let polished = results.sampleSet()
    for r in 0..<rows where polished.energies[r] < raw.energies[r] { improved += 1 }
    var info = raw.info
    var childUpdates = 0
    if case .int(let u)? = raw.info["spin_updates"] { childUpdates = u }
    info["spin_updates"] = .int(
      childUpdates
        + (polished.info["spin_updates"].flatMap {
          if case .int(let v) = $0 { return v } else { return nil }
        } ?? 0))
    info["polished_rows"] = .int(improved)
    return SampleSet(
      variables: raw.variables, vartype: .spin, samples: polished.samples,
      energies: polished.energies, occurrences: raw.occurrences, info: info)
  }
}
