// The state of a deterministic local search (steepest descent, tabu): spins,
// local fields f_i = h_i + Σ_j J_ij s_j, gains g_i = −ΔE_i = 2 s_i f_i, and
// the running energy, over raw buffers allocated once per read. A flip of i
// costs O(degree): g_i ← −g_i, and for each neighbour j,
// f_j += 2 s_i' J_ij and g_j += 4 s_j s_i' J_ij (s_i' the new value).

/// Spins, fields and gains of one local-search read.
struct LocalSearch {
  let n: Int
  let buffers: ProblemBuffers
  /// Spins ±1 as Double.
  let s: UnsafeMutablePointer<Double>
  /// Local fields.
  let f: UnsafeMutablePointer<Double>
  /// Gains `2 s_i f_i` (positive: the flip lowers the energy).
  let gain: UnsafeMutablePointer<Double>
  /// The running energy.
  var energy: Double = 0

  init(_ p: ProblemBuffers, fill: (UnsafeMutablePointer<Double>) -> Void) {
    n = p.n
    buffers = p
    s = .allocate(capacity: max(1, n))
    f = .allocate(capacity: max(1, n))
    gain = .allocate(capacity: max(1, n))
    s.initialize(repeating: 1, count: max(1, n))
    f.initialize(repeating: 0, count: max(1, n))
    gain.initialize(repeating: 0, count: max(1, n))
    fill(s)
    reset()
  }

  func deallocate() {
    s.deallocate()
    f.deallocate()
    gain.deallocate()
  }

  /// Recomputes fields, gains and energy from the spins.
  mutating func reset() {
    let p = buffers
    var e = p.offset
    var pair = 0.0
    for i in 0..<n {
      var c = 0.0
      for k in Int(p.start[i])..<Int(p.start[i + 1]) {
        c += p.coupling[k] * s[Int(p.neighbor[k])]
      }
      f[i] = p.h[i] + c
      gain[i] = 2 * s[i] * f[i]
      e += p.h[i] * s[i]
      pair += s[i] * c
    }
    energy = e + pair / 2
  }

  /// Flips spin `i`, updating fields, gains and energy.
  @inline(__always)
  mutating func flip(_ i: Int) {
    let p = buffers
    energy -= gain[i]
    let si = -s[i]
    s[i] = si
    gain[i] = -gain[i]
    let d = 2 * si
    for k in Int(p.start[i])..<Int(p.start[i + 1]) {
      let j = Int(p.neighbor[k])
      let delta = d * p.coupling[k]
      f[j] += delta
      gain[j] += 2 * s[j] * delta
    }
  }

  /// Flips spin `i` and restores `heap` after each gain it changes (one key
  /// at a time: an indexed heap is only repaired correctly when a single key
  /// differs from the heap order).
  @inline(__always)
  mutating func flip(_ i: Int, heap: GainHeap) {
    let p = buffers
    energy -= gain[i]
    let si = -s[i]
    s[i] = si
    gain[i] = -gain[i]
    heap.update(i)
    let d = 2 * si
    for k in Int(p.start[i])..<Int(p.start[i + 1]) {
      let j = Int(p.neighbor[k])
      let delta = d * p.coupling[k]
      f[j] += delta
      gain[j] += 2 * s[j] * delta
      heap.update(j)
    }
  }

  /// Steepest descent to a local minimum; returns `n` + the flips made.
  mutating func descend(stop: StopCondition) -> UInt64 {
    let heap = GainHeap(n: n, gain: gain)
    defer { heap.deallocate() }
    var updates = UInt64(n)
    var count = 0
    // Gains are updated incrementally; a true zero gain can read as a few
    // ulps above zero, and flipping on such noise could cycle. Real
    // improvements are far above this margin.
    let margin = 1e-12 * buffers.maxAbsField
    while n > 0 {
      let i = heap.top
      guard gain[i] > margin else { break }
      count += 1
      if count & 1023 == 0 && stop.shouldStop { break }
      flip(i, heap: heap)
      updates &+= 1
    }
    return updates
  }

  /// Copies the spins into `out` as Int8.
  func copySpins(to out: UnsafeMutablePointer<Int8>) {
    for i in 0..<n { out[i] = s[i] > 0 ? 1 : -1 }
  }

  /// Stores the current spins as read `r`'s row, with a recomputed energy.
  func store(
    read r: Int, into results: ReadResults, spinUpdates: UInt64, keepCut: Bool = false
  ) {
    let row = UnsafeMutablePointer<Int8>.allocate(capacity: max(1, n))
    defer { row.deallocate() }
    copySpins(to: row)
    results.store(
      read: r, state: UnsafeBufferPointer(start: row, count: n),
      energy: buffers.energy(row), spinUpdates: spinUpdates, keepCut: keepCut)
  }
}
