import Dispatch
import QUBOModel
import Synchronization

/// The part of a run every sampler shares, set up once: validated options,
/// checked initial states, the run's seed, the output rows, and the clock.
///
/// A sampler builds one, then calls `run` with its kernel for one read and
/// `sampleSet` for the result; what is left in the sampler is its kernel
/// and what is really its own. Read (or work item) `w` always draws from
/// `Xoshiro256PlusPlus(seed: seed, stream: stream(w))`, so results do not
/// depend on the thread count.
///
/// With a time limit, a run gives an anytime answer:
/// - item 0 always runs, so a run returns at least one row;
/// - a later item starts only if the time left covers the mean duration of
///   the items finished so far (and never after the deadline);
/// - rows stored after the deadline passed were cut short; `sampleSet`
///   polishes them by steepest descent when asked, so no hot, mid-schedule
///   state is returned, and `info["cut_reads"]` counts them.
public struct ReadRun: Sendable {
  /// The options of the run.
  public let options: ReadOptions
  /// Variables per row.
  public let numSpins: Int
  /// The starts given, checked.
  let initial: InitialStates?
  /// The seed every read's stream derives from.
  public let seed: UInt64
  /// The running form of the options' control.
  public let stop: StopCondition
  /// The output rows: `reads × rowsPerRead`.
  public let results: ReadResults
  private let clock: ItemClock

  /// Validates `options` for `numSpins` variables, draws the run's seed
  /// from `rng`, starts the clock and allocates the rows.
  public init<G: RandomNumberGenerator>(
    _ options: ReadOptions, numSpins n: Int, rowsPerRead: Int = 1, using rng: inout G
  ) throws {
    try options.validate(numSpins: n, rowsPerRead: rowsPerRead)
    self.options = options
    numSpins = n
    initial = try InitialStates(options.initialStates, numSpins: n)
    seed = rng.next()
    stop = options.control.start()
    results = ReadResults(numSpins: n, reads: options.reads * rowsPerRead, stop: stop)
    clock = ItemClock(deadline: stop.deadline)
    options.control.progress?.setTotal(options.reads)
  }

  /// The random stream of read `r`.
  public func generator(stream r: Int) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus(seed: seed, stream: r)
  }

  /// Runs `body(r, &rng)` for every read `r`, in parallel (so `body` is
  /// `@Sendable`), each with its own stream; progress counts one per read.
  public func run(_ body: @Sendable (Int, inout Xoshiro256PlusPlus) -> Void) {
    run(items: options.reads, stream: { $0 }, readsIn: { _ in 1 }, body)
  }

  /// Runs `items` work items in parallel: item `w` draws from
  /// `stream(w)` and finishes `readsIn(w)` reads (for progress).
  public func run(
    items: Int, stream: @Sendable (Int) -> Int, readsIn: @Sendable (Int) -> Int,
    _ body: @Sendable (Int, inout Xoshiro256PlusPlus) -> Void
  ) {
    ParallelReads.run(reads: items, threads: options.threads) { w in
      if w > 0 && !clock.mayStart(stop) { return }
      let t0 = DispatchTime.now().uptimeNanoseconds
      var g = generator(stream: stream(w))
      body(w, &g)
      clock.finished(nanoseconds: DispatchTime.now().uptimeNanoseconds &- t0)
      if let progress = options.control.progress {
        for _ in 0..<readsIn(w) { progress.increment() }
      }
    }
  }

  /// The finished rows as a dense spin `SampleSet` with `info`.
  ///
  /// With `polishCut` (annealers, descent), rows cut short by the time limit
  /// or cancellation are polished by steepest descent first — within a
  /// grace period of a quarter of the limit (at least 0.25 s) past the
  /// deadline — and counted in `info["cut_reads"]`.
  /// Without it (tabu, whose budget the time limit is; random) rows are
  /// returned as stored.
  public func sampleSet(
    _ problem: IsingProblem, info: [String: JSONValue], polishCut: Bool
  ) -> SampleSet {
    var info = info
    let cut = polishCut ? results.cutRows : []
    if !cut.isEmpty {
      // Polishing gets a grace period past the deadline: a quarter of the
      // limit, at least 0.25 s. A descent stopped by it still only lowered
      // the energy.
      let grace = SamplingControl(timeLimit: max(0.25, 0.25 * (options.control.timeLimit ?? 0)))
        .start()
      let buffers = ProblemBuffers(problem, integerKernels: false)
      let n = numSpins
      let results = self.results
      ParallelReads.run(reads: cut.count, threads: options.threads) { k in
        let r = cut[k]
        var local = LocalSearch(buffers) { d in
          for i in 0..<n { d[i] = Double(results.spin(row: r, i)) }
        }
        defer { local.deallocate() }
        let updates = local.descend(stop: grace) &- UInt64(n)
        local.store(read: r, into: results, spinUpdates: updates, keepCut: true)
      }
      info["cut_reads"] = .int(cut.count)
    }
    return results.sampleSet(info: info)
  }
}

/// Durations of finished work items, to decide whether another may start.
final class ItemClock: Sendable {
  private let deadline: UInt64?
  private let total = Atomic<UInt64>(0)
  private let count = Atomic<Int>(0)

  init(deadline: UInt64?) { self.deadline = deadline }

  /// Records one finished item.
  func finished(nanoseconds: UInt64) {
    total.add(nanoseconds, ordering: .relaxed)
    count.add(1, ordering: .relaxed)
  }

  /// Whether an item may start now: the run was not stopped, and the time
  /// left covers the mean duration of finished items.
  func mayStart(_ stop: StopCondition) -> Bool {
    if stop.shouldStop { return false }
    guard let deadline else { return true }
    let k = count.load(ordering: .relaxed)
    guard k > 0 else { return true }
    let mean = total.load(ordering: .relaxed) / UInt64(k)
    return DispatchTime.now().uptimeNanoseconds &+ mean <= deadline
  }
}
