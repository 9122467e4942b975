import QUBOModel

/// Output slots for the reads of one run, written from many threads.
///
/// Read `r` writes only row `r`, so no locking is needed; rows of reads that
/// never ran (time limit, cancellation) are left out of the final set. A row
/// stored once the run's stop condition has fired is marked cut short.
public final class ReadResults: @unchecked Sendable {
  /// Spins per row.
  public let numSpins: Int
  /// Rows allocated.
  public let reads: Int
  @usableFromInline let spins: UnsafeMutableBufferPointer<Int8>
  @usableFromInline let energies: UnsafeMutableBufferPointer<Double>
  @usableFromInline let updates: UnsafeMutableBufferPointer<UInt64>
  @usableFromInline let finished: UnsafeMutableBufferPointer<Bool>
  @usableFromInline let cut: UnsafeMutableBufferPointer<Bool>
  @usableFromInline let stop: StopCondition

  /// Room for `reads` rows of `numSpins` spins; rows stored after `stop`
  /// fires are marked cut short.
  public init(numSpins: Int, reads: Int, stop: StopCondition = .never) {
    self.numSpins = numSpins
    self.reads = reads
    self.stop = stop
    spins = .allocate(capacity: max(1, numSpins * reads))
    spins.initialize(repeating: 1)
    energies = .allocate(capacity: max(1, reads))
    energies.initialize(repeating: 0)
    updates = .allocate(capacity: max(1, reads))
    updates.initialize(repeating: 0)
    finished = .allocate(capacity: max(1, reads))
    finished.initialize(repeating: false)
    cut = .allocate(capacity: max(1, reads))
    cut.initialize(repeating: false)
  }

  deinit {
    spins.deallocate()
    energies.deallocate()
    updates.deallocate()
    finished.deallocate()
    cut.deallocate()
  }

  /// Stores the result of read `r`: its state, energy and spin-update count
  /// (added to any recorded before); `keepCut` keeps the row's cut mark
  /// instead of asking the stop condition (for a row polished afterwards).
  /// The stop condition's observer, if any, hears of the row.
  @inlinable
  public func store(
    read r: Int, state: UnsafeBufferPointer<Int8>, energy: Double, spinUpdates: UInt64,
    keepCut: Bool = false
  ) {
    precondition(state.count == numSpins)
    let row = UnsafeMutableBufferPointer(rebasing: spins[(r * numSpins)..<((r + 1) * numSpins)])
    _ = row.initialize(from: state)
    energies[r] = energy
    updates[r] &+= spinUpdates
    finished[r] = true
    if !keepCut { cut[r] = stop.shouldStop }
    stop.observer?.notify(ReadEvent(read: r, energy: energy, stored: true))
  }

  /// Spin `i` of row `r`.
  @inlinable
  public func spin(row r: Int, _ i: Int) -> Int8 { spins[r * numSpins + i] }

  /// The finished rows stored after the stop condition fired, ascending.
  public var cutRows: [Int] { (0..<reads).filter { finished[$0] && cut[$0] } }

  /// Records spin updates of read `r` that produced no row (cut short).
  @inlinable
  public func addUpdates(read r: Int, _ n: UInt64) { updates[r] &+= n }

  /// The total of all reads' spin updates.
  public var totalUpdates: UInt64 { updates.reduce(0, &+) }

  /// How many reads stored a row.
  public var finishedCount: Int { finished.reduce(0) { $0 + ($1 ? 1 : 0) } }

  /// The finished rows, in read order, as a dense spin `SampleSet`.
  public func sampleSet(info: [String: JSONValue] = [:]) -> SampleSet {
    var s: [Int8] = []
    var e: [Double] = []
    s.reserveCapacity(numSpins * reads)
    for r in 0..<reads where finished[r] {
      s.append(contentsOf: spins[(r * numSpins)..<((r + 1) * numSpins)])
      e.append(energies[r])
    }
    var info = info
    info["spin_updates"] = .int(Int(truncatingIfNeeded: totalUpdates))
    info["num_reads_requested"] = .int(reads)
    return SampleSet(
      variables: Variables(range: numSpins), vartype: .spin,
      samples: numSpins == 0 ? [] : s, energies: e, info: info)
  }
}
