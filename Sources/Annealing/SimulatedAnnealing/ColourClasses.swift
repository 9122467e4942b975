// Colour classes of the coupling graph, for sweeps that vectorise within one
// read (issue 22, item 4; ColourSystem.swift).
//
// Spins of one colour share no coupling, so flipping any of them leaves the
// others' local fields unchanged: eight spins of a class can be proposed at
// once from the fields as they stand, and accepting any subset of them is
// the same as proposing them one after the other. A sweep class by class is
// then an exact Metropolis (or heat-bath) sweep in a fixed order, the
// classes' order.
//
// Colouring: greedy, spins by decreasing degree (Welsh & Powell, 1967; ties
// by index), each taking the smallest colour none of its neighbours holds.
// Layout: the classes one after the other, spins of a class by increasing
// degree (then index), each class padded with idle slots to a multiple of
// `width`, so every group of eight slots is one aligned vector of a single
// class. Idle slots hold spin −1 and a field so large that their flip is
// always rejected. Rows (CSR by slot) are padded to even length with zero
// couplings to a sink slot past the last. Sorting by degree makes
// consecutive flips walk rows of one length, so the branch that ends a
// flip's neighbour loop is predicted: on the degree-8 Gaussian glass this
// took a sweep from 0.74 to 0.55 s (8 reads, 20 000 sweeps), the even rows
// from 0.89 to 0.74 (docs/kernels-issue22.md, round nine).
// The colouring depends on the model only, so it is built once per run and
// shared read-only by every read.

/// The colour classes of a problem and the slot layout built on them.
final class ColourLayout: @unchecked Sendable {
  /// Slots per vector.
  static let width = 8
  /// The field of an idle slot (spin −1): ΔE = +2·2^60, always rejected.
  static let idleField: Float = 0x1p60

  /// For each 8-bit mask, the indices of its set bits in increasing order
  /// (then zeros), as eight Int32: a vector pass appends the accepted
  /// lanes of a group with one store.
  nonisolated(unsafe) static let laneTable: UnsafeMutablePointer<Int32> = {
    let t = UnsafeMutableRawPointer.allocate(byteCount: 256 * 32, alignment: 64)
      .bindMemory(to: Int32.self, capacity: 256 * 8)
    for mask in 0..<256 {
      var k = 0
      for lane in 0..<8 where mask >> lane & 1 == 1 {
        t[mask * 8 + k] = Int32(lane)
        k += 1
      }
      for j in k..<8 { t[mask * 8 + j] = 0 }
    }
    return t
  }()
  /// The number of set bits of each 8-bit mask.
  nonisolated(unsafe) static let laneCounts: UnsafeMutablePointer<UInt8> = {
    let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for mask in 0..<256 { t[mask] = UInt8(mask.nonzeroBitCount) }
    return t
  }()

  /// Every row's length is a multiple of this (padded with zero couplings
  /// to the sink slot), the flip loop's unrolling. (4 was measured too:
  /// the same on degree 48, 9 % slower on degree 8, docs/kernels-issue22.md.)
  static let rowMultiple = 2

  /// The number of spins.
  let n: Int
  /// The number of slots (spins and idle slots), a multiple of `width`.
  let slots: Int
  /// Slot `classStart[c]` is the first of class `c`; `classStart[colours]`
  /// is `slots`.
  let classStart: [Int]
  /// `slot[i]`: the slot of spin `i`.
  let slot: UnsafeMutablePointer<Int32>
  /// `spin[a]`: the spin in slot `a`, or −1 for an idle slot.
  let spin: UnsafeMutablePointer<Int32>
  /// `h` by slot (0 for idle slots).
  let h: UnsafeMutablePointer<Double>
  /// CSR row starts by slot (`slots + 1` entries; idle rows empty, the
  /// others of even length, padded with a zero coupling to slot `slots`,
  /// the sink, which no sweep proposes).
  let start: UnsafeMutablePointer<Int32>
  /// Neighbour slots per CSR entry.
  let neighbor: UnsafeMutablePointer<Int32>
  /// `J` per CSR entry in Double (refreshes) …
  let coupling: UnsafeMutablePointer<Double>
  /// `UInt32(b) | UInt64(Float(J_ab).bitPattern) << 32` per CSR entry, so
  /// a flip's neighbour loop reads one word per edge.
  let edge: UnsafeMutablePointer<UInt64>
  /// The constant term.
  let offset: Double

  /// The number of colour classes.
  var colours: Int { classStart.count - 1 }

  /// The number of spins in each class (without idle slots).
  var classSizes: [Int] {
    (0..<colours).map { c in
      (classStart[c]..<classStart[c + 1]).reduce(0) { $0 + (spin[$1] >= 0 ? 1 : 0) }
    }
  }

  /// Greedy colours of the coupling graph of `p`: `colour[i]` in
  /// `0 ..< count`, no two coupled spins alike.
  ///
  /// - Complexity: O(n log n + nnz).
  static func greedyColours(_ p: ProblemBuffers) -> (colour: [Int32], count: Int) {
    let n = p.n
    let degree = (0..<n).map { Int(p.start[$0 + 1] - p.start[$0]) }
    let order = (0..<n).sorted { (degree[$1], $0) < (degree[$0], $1) }
    var colour = [Int32](repeating: -1, count: n)
    var seenBy = [Int](repeating: -1, count: p.maxDegree + 1)
    var count = 0
    for i in order {
      for k in Int(p.start[i])..<Int(p.start[i + 1]) {
        let c = Int(colour[Int(p.neighbor[k])])
        if c >= 0 { seenBy[c] = i }
      }
      var c = 0
      while seenBy[c] == i { c += 1 }
      colour[i] = Int32(c)
      count = max(count, c + 1)
    }
    return (colour, count)
  }

  /// Colours `p` and lays its classes out in slots.
  ///
  /// - Complexity: O(n log n + nnz).
  init(_ p: ProblemBuffers) {
    n = p.n
    offset = p.offset
    let (colour, count) = Self.greedyColours(p)
    var members = [[Int]](repeating: [], count: count)
    for i in 0..<n { members[Int(colour[i])].append(i) }
    // Within a class by degree, so that consecutive flips walk rows of one
    // length and the row loop's exit is predicted.
    for c in 0..<count {
      members[c].sort {
        (p.start[$0 + 1] - p.start[$0], $0) < (p.start[$1 + 1] - p.start[$1], $1)
      }
    }
    var starts = [0]
    for c in 0..<count {
      let size = members[c].count
      starts.append(starts[c] + (size + Self.width - 1) / Self.width * Self.width)
    }
    classStart = starts
    slots = starts[count]
    let m = Int(p.start[n])
    slot = .allocate(capacity: max(1, n))
    spin = .allocate(capacity: max(1, slots))
    spin.initialize(repeating: -1, count: max(1, slots))
    for c in 0..<count {
      for (k, i) in members[c].enumerated() {
        slot[i] = Int32(starts[c] + k)
        spin[starts[c] + k] = Int32(i)
      }
    }
    h = .allocate(capacity: max(1, slots))
    start = .allocate(capacity: slots + 1)
    let capacity = max(1, m + (Self.rowMultiple - 1) * n)
    neighbor = .allocate(capacity: capacity)
    coupling = .allocate(capacity: capacity)
    edge = .allocate(capacity: capacity)
    var e = 0
    for a in 0..<slots {
      start[a] = Int32(e)
      let i = Int(spin[a])
      guard i >= 0 else {
        h[a] = 0
        continue
      }
      h[a] = p.h[i]
      for k in Int(p.start[i])..<Int(p.start[i + 1]) {
        neighbor[e] = slot[Int(p.neighbor[k])]
        coupling[e] = p.coupling[k]
        e += 1
      }
      // Rows of even length (a zero coupling to the sink slot), so the
      // flip loop, unrolled by two, never branches on the parity.
      while (e - Int(start[a])) % Self.rowMultiple != 0 {
        neighbor[e] = Int32(slots)
        coupling[e] = 0
        e += 1
      }
    }
    start[slots] = Int32(e)
    for k in 0..<e {
      edge[k] =
        UInt64(UInt32(bitPattern: neighbor[k])) | UInt64(Float(coupling[k]).bitPattern) << 32
    }
  }

  deinit {
    slot.deallocate()
    spin.deallocate()
    h.deallocate()
    start.deallocate()
    neighbor.deallocate()
    coupling.deallocate()
    edge.deallocate()
  }
}
