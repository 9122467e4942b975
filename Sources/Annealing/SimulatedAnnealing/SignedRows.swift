// Couplings of one magnitude, split by sign (issue 22, round four).
//
// On models whose integer couplings all have the same magnitude m (±1 spin
// glasses, Gset, the peers' worst case: J_ij/q ∈ {−m, +m}; K2000 too when
// its couplings stay in CSR rather than dense rows), a flip
// of spin i with field change d adds d·m to the fields of the neighbours
// with positive couplings and subtracts it from the others. Each CSR row is
// stored here with its positive neighbours first (`index`, split at
// `negativeStart[i]`), so the neighbour loops of QuantizedSystem and
// PackedSystem load one Int32 index per edge and add or subtract one
// precomputed value, with no coupling load, shift or multiply (the packed
// loop also drops the broadcast of J into a vector). Integer additions
// commute, so the fields, energies and samples equal the multiply-per-edge
// loop's bit for bit (modulo 2^16 in the Int16 lanes, as before).
//
// Profile that motivated it (perf, ±1 model n = 800, degree 48, 10 reads,
// 20 000 sweeps, one thread): the pack of 8 took 57 % of the run and its
// neighbour loop about half of that at ten instructions per edge (load the
// edge word, split it, broadcast J, multiply, add, store); the two single
// reads took 37 %, mostly in their own neighbour loop.

/// The neighbours of each spin ordered positive couplings first, for
/// models whose couplings (in units of q) share one magnitude.
final class SignedRows: @unchecked Sendable {
  /// The common magnitude `m` of `J_ij / q`.
  let magnitude: Int32
  /// Neighbour indices, row `i` at `start[i] ..< start[i + 1]` of the
  /// problem's CSR, positive couplings first.
  let index: UnsafeMutablePointer<Int32>
  /// Where the negative couplings of row `i` begin.
  let negativeStart: UnsafeMutablePointer<Int32>

  /// Builds the split rows, or returns nil when the couplings have more
  /// than one magnitude (or there are none).
  ///
  /// - Complexity: O(n + nnz).
  init?(n: Int, start: UnsafePointer<Int32>, neighbor: UnsafePointer<Int32>,
        coupling: UnsafePointer<Int32>) {
    let m = Int(start[n])
    guard m > 0 else { return nil }
    let magnitude = coupling[0].magnitude
    guard magnitude > 0, magnitude <= UInt32(Int32.max) else { return nil }
    for k in 0..<m where coupling[k].magnitude != magnitude { return nil }
    self.magnitude = Int32(magnitude)
    let index = UnsafeMutablePointer<Int32>.allocate(capacity: m)
    let negativeStart = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    forEachEdgeSignFirst(
      rows: n, rowStart: { Int(start[$0]) }, isNegative: { coupling[$0] < 0 },
      place: { index[$0] = neighbor[$1] },
      split: { negativeStart[$0] = Int32(truncatingIfNeeded: $1) })
    self.index = index
    self.negativeStart = negativeStart
  }

  deinit {
    index.deallocate()
    negativeStart.deallocate()
  }
}

/// The field update of one read on split rows: `φ_j ± d·m`.
struct SignedUnitUpdate: UnitFieldUpdate {
  let start: UnsafeMutablePointer<Int32>
  let index: UnsafeMutablePointer<Int32>
  let negativeStart: UnsafeMutablePointer<Int32>
  let magnitude: Int32

  init(start: UnsafeMutablePointer<Int32>, rows: SignedRows) {
    self.start = start
    index = rows.index
    negativeStart = rows.negativeStart
    magnitude = rows.magnitude
  }

  @inline(__always)
  func apply(_ i: Int, _ d: Int32, to f: UnsafeMutablePointer<Int32>) {
    let step = d &* magnitude
    var e = Int(start[i])
    let middle = Int(negativeStart[i])
    let end = Int(start[i &+ 1])
    while e < middle {
      f[Int(index[e])] &+= step
      e &+= 1
    }
    while e < end {
      f[Int(index[e])] &-= step
      e &+= 1
    }
  }
}

/// The field update of a pack on split rows: `f_j ± d·m` per lane.
struct SignedPackedUpdate: PackedFieldUpdate {
  let start: UnsafeMutablePointer<Int32>
  let index: UnsafeMutablePointer<Int32>
  let negativeStart: UnsafeMutablePointer<Int32>
  let magnitude: Int16

  /// Nil when the magnitude does not fit an Int16 lane (the pack's
  /// fields would not either).
  init?(start: UnsafeMutablePointer<Int32>, rows: SignedRows) {
    guard rows.magnitude <= Int32(Int16.max) else { return nil }
    self.start = start
    index = rows.index
    negativeStart = rows.negativeStart
    magnitude = Int16(rows.magnitude)
  }

  @inline(__always)
  func apply<W: PackedWidth>(
    _ i: Int, _ width: W.Type, _ d0: PackedLanes, _ d1: PackedLanes,
    to f: UnsafeMutablePointer<PackedLanes>
  ) {
    let H = W.halves
    let m = PackedLanes(repeating: magnitude)
    let step0 = d0 &* m
    let step1 = d1 &* m
    var e = Int(start[i])
    let middle = Int(negativeStart[i])
    let end = Int(start[i &+ 1])
    while e < middle {
      let j = Int(index[e]) &* H
      f[j] &+= step0
      if H == 2 { f[j &+ 1] &+= step1 }
      e &+= 1
    }
    while e < end {
      let j = Int(index[e]) &* H
      f[j] &-= step0
      if H == 2 { f[j &+ 1] &-= step1 }
      e &+= 1
    }
  }
}
