import QUBOModel

// A time limit as a budget for parallel tempering (issue 22, item 1: "reads
// and their length fill the time given").
//
// With `sweepsFillTimeLimit`, a run given T seconds measures what one sweep
// of one read (every replica of the ladder) costs with every thread busy,
// and gives each read
//
//   sweeps = clamp(T / (3 · t_sweep), 1000, 100000):
//
// three reads per thread. A tempering read is already many replicas that
// exchange states, and its success grows with its length (Gset G55: one
// read of 100 000 sweeps reached cuts that 159 reads of 1000 sweeps, the
// fixed default, did not — docs/kernels-issue22.md, round seven); three
// rounds keep what the anytime rule of `ReadRun` (a read starts only if it
// can finish) wastes at the end to about a third. The probe runs the real
// kernel on the real ladder from its own random streams, so it never
// touches the run's random numbers.

extension ParallelTempering {
  /// Reads each thread should run within a time budget.
  public static let budgetReadsPerThread = 3
  /// The shortest and longest reads a budget gives.
  public static let budgetSweepRange = 1000...100_000

  /// Sweeps per read for a budget of `seconds` when one read costs
  /// `secondsPerSweep` per sweep with every thread busy.
  public static func budgetSweeps(seconds: Double, secondsPerSweep: Double) -> Int {
    TimeBudget.sweeps(
      seconds: seconds, secondsPerSweep: secondsPerSweep, items: budgetReadsPerThread,
      range: budgetSweepRange)
  }

  /// Measures the seconds per sweep of one read on `ladder`, with one read
  /// on every thread at once.
  func secondsPerSweep(buffers: ProblemBuffers, ladder: [Double], limit: Double) -> Double {
    let p = parameters
    let threads = max(1, p.threads)
    return TimeBudget.secondsPerSweep(limit: limit) { sweeps in
      // The kernel is chosen for the shortest read the budget gives, as
      // the run will be at least that long.
      let kernel = TemperingKernel(
        buffers: buffers, ladder: ladder, sweeps: sweeps, swapInterval: p.swapInterval,
        initial: nil, returnBest: p.returnBest, stop: .never,
        stats: TemperingStatistics(reads: threads, levels: ladder.count),
        tableSweeps: Self.budgetSweepRange.lowerBound)
      let results = ReadResults(numSpins: buffers.n, reads: threads)
      ParallelReads.run(reads: threads, threads: threads) { w in
        var g = Xoshiro256PlusPlus(seed: 0x5EED_B0D6E7, stream: w)
        kernel.run(read: w, acceptance: p.acceptance, rng: &g, into: results)
      }
    }
  }
}
