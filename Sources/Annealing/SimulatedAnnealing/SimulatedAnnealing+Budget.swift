import QUBOModel

// A time limit as a budget (issue 22): how long SA's reads should be.
//
// With `sweepsFillTimeLimit`, a run given T seconds measures what one work
// item (a pack of 8 or 16 reads in SIMD lanes, or one read) costs per sweep
// on this model, with every thread busy at once (so a loaded machine or a
// shared memory bus shows in the figure), and then gives each read
//
//   sweeps = clamp(T / (items · t_sweep), 1000, 100000),
//
// items = max(3, 48 / readsPerItem): long reads (SA's success per read
// grows with its length; on Gset G22 10000 sweeps reach the best-known cut
// where 3000 do not) but at least 48 reads per thread, and at least three
// rounds, so the anytime rule of `ReadRun` (a read starts only if it can
// finish) wastes at most about a third of the budget at the end and no single
// unlucky read decides the result. Packs of 16 reads thus get a third of the
// budget each, single reads a 48th.
//
// The probe (`TimeBudget.secondsPerSweep`) runs the real kernel (same
// buffers, dense rows and acceptance) over the real β range, starting at 16
// sweeps and doubling until a round takes 20 ms or 1 % of the limit; its
// samples are thrown away and it draws from its own streams, so it never
// touches the run's random numbers.

extension SimulatedAnnealing {
  /// Reads each thread should finish within a time budget.
  public static let budgetReadsPerThread = 48
  /// Work items (packs or single reads) each thread should run at least.
  public static let budgetMinItemsPerThread = 3
  /// The shortest and longest reads a budget gives.
  public static let budgetSweepRange = 1000...100_000

  /// Sweeps per read for a budget of `seconds` when one work item of
  /// `readsPerItem` reads costs `secondsPerSweep` per sweep with every
  /// thread busy.
  public static func budgetSweeps(
    seconds: Double, secondsPerSweep: Double, readsPerItem: Int
  ) -> Int {
    TimeBudget.sweeps(
      seconds: seconds, secondsPerSweep: secondsPerSweep,
      items: max(budgetMinItemsPerThread, budgetReadsPerThread / max(1, readsPerItem)),
      range: budgetSweepRange)
  }

  /// Measures the seconds per sweep of one work item (a pack when reads are
  /// packed) and its reads, with `threads` items running at once, on
  /// `buffers` with the dense rows `dense` (or CSR) or the colour classes
  /// `colours`.
  func secondsPerSweep(
    _ problem: IsingProblem, buffers: ProblemBuffers, dense: DenseRows?,
    colours: ColourLayout?, limit: Double
  ) -> (seconds: Double, readsPerItem: Int) {
    let p = parameters
    let threads = max(1, p.threads)
    // Two sweeps per β, as the default gives reads of 1000 sweeps or more
    // (so the probe runs the integer kernel whenever the run will).
    let range = p.betaRange ?? BetaRange.default(for: problem).range
    let perBeta = p.sweepsPerBeta ?? 2
    var perItem = 1
    let seconds = TimeBudget.secondsPerSweep(limit: limit) { sweeps in
      let schedule = Schedule(
        range: range, sweeps: sweeps, shape: p.shape, points: max(1, sweeps / perBeta))
      var kernel = AnnealKernel(
        buffers: buffers, schedule: schedule, initial: nil, returnBest: p.returnBest,
        stop: .never)
      let layout = plan(&kernel, colours: colours, dense: dense)
      perItem = layout.packs > 0 ? layout.width : 1
      let results = ReadResults(numSpins: buffers.n, reads: perItem * threads)
      ParallelReads.run(reads: threads, threads: threads) { [kernel, perItem] w in
        var g = Xoshiro256PlusPlus(seed: 0x5EED_B0D6E7, stream: w)
        if layout.packs > 0 {
          kernel.runPack(
            w, halves: layout.halves, reads: perItem * threads, acceptance: p.acceptance,
            rng: &g, into: results)
        } else {
          kernel.run(read: w, acceptance: p.acceptance, order: p.order, rng: &g, into: results)
        }
      }
    }
    return (seconds, perItem)
  }
}
