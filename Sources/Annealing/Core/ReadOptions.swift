/// What every sampler shares: how many reads, on how many threads, under
/// which time limit (with cancellation and progress), from which starts.
///
/// Each sampler's `Parameters` embeds one as `readOptions` and conforms to
/// `ReadConfigurable`, so `parameters.reads`, `.threads`, `.control` and
/// `.initialStates` read and write these fields directly.
public struct ReadOptions: Sendable {
  /// Independent reads (restarts).
  ///
  /// Default 10.
  public var reads = 10
  /// Worker threads.
  ///
  /// Default: all cores. Results never depend on it.
  public var threads = ParallelReads.defaultThreads
  /// Time limit, cancellation and progress.
  public var control = SamplingControl()
  /// Initial spin states (±1), row-major; read `r` starts from row
  /// `r % rows`.
  public var initialStates: [Int8]?

  /// The documented defaults.
  public init() {}

  /// Options with the given read count and threads.
  public init(reads: Int, threads: Int = ParallelReads.defaultThreads) {
    self.reads = reads
    self.threads = threads
  }

  /// The largest number of spins the result rows of one run may hold
  /// (reads × rows per read × variables): 2³¹, two GiB of `Int8`.
  public static let maxResultSpins = 1 << 31

  /// The most result rows a time budget allocates: 64 MiB of spins.
  public static let budgetSpins = 1 << 26

  /// The read count that makes a time limit a budget (`anneal solve
  /// --time-limit T` without `--reads`): as many reads as the rows of
  /// `budgetSpins` spins hold (at most 100000, at least 1).
  ///
  /// Reads that cannot finish in the time left do not start (`ReadRun`), so
  /// with this count the reads fill the limit; `SampleSet.info`'s
  /// `num_reads_requested` then shows the count, and the rows returned are
  /// the reads that ran.
  public static func budgetReads(numSpins n: Int, rowsPerRead: Int = 1) -> Int {
    max(1, min(100_000, budgetSpins / max(1, n * max(1, rowsPerRead))))
  }

  /// Throws a `SamplerError` for options no run can use on `numSpins`
  /// variables with `rowsPerRead` rows per read.
  public func validate(numSpins n: Int, rowsPerRead: Int = 1) throws {
    guard reads >= 0 else { throw SamplerError("reads must be non-negative (got \(reads))") }
    guard threads >= 1 else { throw SamplerError("threads must be at least 1 (got \(threads))") }
    if let t = control.timeLimit, !(t >= 0) {
      throw SamplerError("the time limit must be a non-negative number of seconds")
    }
    let rows = reads.multipliedReportingOverflow(by: max(1, rowsPerRead))
    let spins = rows.partialValue.multipliedReportingOverflow(by: max(1, n))
    guard !rows.overflow, !spins.overflow, spins.partialValue <= Self.maxResultSpins else {
      throw SamplerError(
        "\(reads) reads of \(n) variables\(rowsPerRead > 1 ? " × \(rowsPerRead) rows" : "") "
          + "would hold more than 2³¹ spins; ask for fewer reads (with a time limit, "
          + "reads that cannot start are not run anyway)")
    }
    _ = try InitialStates(initialStates, numSpins: n)
  }
}

/// Sampler parameters that embed the shared `ReadOptions`; their fields read
/// and write as if they were the parameters' own (`parameters.reads`).
@dynamicMemberLookup
public protocol ReadConfigurable: Sendable {
  /// The shared read options.
  var readOptions: ReadOptions { get set }
}

extension ReadConfigurable {
  /// `reads`, `threads`, `control` and `initialStates` of `readOptions`.
  public subscript<T>(dynamicMember path: WritableKeyPath<ReadOptions, T>) -> T {
    get { readOptions[keyPath: path] }
    set { readOptions[keyPath: path] = newValue }
  }
}
