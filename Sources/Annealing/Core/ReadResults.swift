import QUBOModel

/// Output slots for the reads of one run, written from many threads.
///
/// Read `r` writes only row `r`, so no locking is needed; rows of reads that
/// never ran (time limit, cancellation) are left out of the final set.
public final class ReadResults: @unchecked Sendable {
  /// Spins per row.
  public let numSpins: Int
  /// Rows allocated.
  public let reads: Int
  @usableFromInline let spins: UnsafeMutableBufferPointer<Int8>
  @usableFromInline let energies: UnsafeMutableBufferPointer<Double>
  @usableFromInline let updates: UnsafeMutableBufferPointer<UInt64>
  @usableFromInline let finished: UnsafeMutableBufferPointer<Bool>

  /// Room for `reads` rows of `numSpins` spins.
  public init(numSpins: Int, reads: Int) {
    self.numSpins = numSpins
    self.reads = reads
    spins = .allocate(capacity: max(1, numSpins * reads))
    spins.initialize(repeating: 1)
    energies = .allocate(capacity: max(1, reads))
    energies.initialize(repeating: 0)
    updates = .allocate(capacity: max(1, reads))
    updates.initialize(repeating: 0)
    finished = .allocate(capacity: max(1, reads))
    finished.initialize(repeating: false)
  }

  deinit {
    spins.deallocate()
    energies.deallocate()
    updates.deallocate()
    finished.deallocate()
  }

  /// Stores the result of read `r`: its state, energy and spin-update count.
  @inlinable
  public func store(
    read r: Int, state: UnsafeBufferPointer<Int8>, energy: Double, spinUpdates: UInt64
  ) {
    precondition(state.count == numSpins)
    let row = UnsafeMutableBufferPointer(rebasing: spins[(r * numSpins)..<((r + 1) * numSpins)])
    _ = row.initialize(from: state)
    energies[r] = energy
    updates[r] = spinUpdates
    finished[r] = true
  }

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
