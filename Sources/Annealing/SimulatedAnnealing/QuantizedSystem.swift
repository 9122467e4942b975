#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The integer kernel for models whose biases are multiples of a quantum q.
//
// Implementation goals, in order of priority:
// 1. Exactness: with h_i = q·a_i and J_ij = q·b_ij (a, b integers), the local
//    field is f_i = q·φ_i with φ_i = a_i + Σ_j b_ij s_j an Int32, and a flip
//    changes the energy by ΔE_i = −2 s_i f_i = 2q·k_i, k_i = −s_i φ_i. All
//    kernel arithmetic is integer, so the running energy (in units of q) is
//    exact and the best state is chosen without rounding ties.
// 2. No unpredictable branch but "flip or not": the acceptance probability
//    A(k) (Metropolis min(1, e^{−2βqk}) or Gibbs 1/(1 + e^{2βqk})) is tabulated
//    once per β for k ∈ [−K, K], K = max_i |φ_i| bound, as 53-bit integer
//    thresholds T(k) = ⌊A(k)·2^53⌋; a proposal draws u53 = next() >> 11 and
//    accepts iff u53 < T(k), which is exactly P(accept) = T(k)/2^53 = A(k) up
//    to 2^−53. Entries past the underflow point (2βq|k| > ln 2^53) are 0 or
//    2^53 exactly.
// 3. Compact memory: Int32 fields and couplings halve the traffic of the
//    Double kernel on large graphs. On dense models the couplings may be
//    held as dense Int16 rows (`rows`, DenseRows.swift), so that a flip
//    updates all n fields with one vectorised row operation. When every
//    coupling has the same magnitude (±1 models), CSR rows are read split
//    by sign (`signed`, SignedRows.swift): φ_j ± d·m, with no multiply.

/// Spins, integer local fields and acceptance thresholds of one read.
struct QuantizedSystem: AnnealingSystem {
  let n: Int
  let q: Double
  let offset: Double
  let start: UnsafeMutablePointer<Int32>
  let neighbor: UnsafeMutablePointer<Int32>
  let weight: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<UInt64>
  /// `J_ij / q` at `i·n + j` when flips update the fields by dense rows;
  /// nil for CSR.
  let rows: UnsafeMutablePointer<Int16>?
  /// The CSR update on rows split by sign (SignedRows.swift), when the
  /// couplings share one magnitude and rows are not dense.
  let signed: SignedUnitUpdate?
  /// Spins ±1 (Int8, so that saving a best state is a `memcpy`).
  var s: UnsafeMutablePointer<Int8>
  /// Local fields in units of q.
  var f: UnsafeMutablePointer<Int32>
  /// Thresholds `T(k)`, stored at `k + bound`.
  let threshold: UnsafeMutablePointer<UInt64>
  /// `K`: every `|k_i|` is at most this.
  let bound: Int
  let acceptance: Acceptance
  /// The energy in units of q, without the offset.
  var units: Int64 = 0
  /// Flips accepted by the previous sweep (chooses the sweep variant).
  var lastAccepted = 0
  /// Whether the mean degree is small enough for branch-free sweeps.
  let sparse: Bool

  /// The largest `K` (table of `2K + 1` entries) the kernel accepts.
  static let maxBound = 4096

  /// Whether `p` can run on this kernel with tables refilled every
  /// `sweepsPerStep` sweeps.
  static func fits(_ p: ProblemBuffers, sweepsPerStep: Double) -> Bool {
    guard let q = p.quantum else { return false }
    let k = p.maxAbsField / q
    return k <= Double(maxBound) && 2 * k + 1 <= max(256, Double(p.n) * sweepsPerStep)
  }

  /// Allocates the buffers; `fill` writes the initial spins as ±1 Doubles.
  /// With `dense` (which must hold `units` rows of `p`), flips update
  /// fields by rows; otherwise by rows split by sign when the biases have
  /// them and `splitSigns` is true (the same fields and samples either way).
  init(
    _ p: ProblemBuffers, _ biases: QuantizedBiases, acceptance: Acceptance,
    dense: DenseRows? = nil, splitSigns: Bool = true,
    fill: (UnsafeMutablePointer<Double>) -> Void
  ) {
    rows = dense?.units
    if dense == nil, splitSigns, let split = biases.signed {
      signed = SignedUnitUpdate(start: p.start, rows: split)
    } else {
      signed = nil
    }
    let q = biases.q
    let h = biases.h
    n = p.n
    self.q = q
    offset = p.offset
    start = p.start
    neighbor = p.neighbor
    weight = biases.coupling
    edge = biases.edge
    self.acceptance = acceptance
    sparse = Double(p.start[p.n]) <= 8 * Double(max(1, p.n))
    bound = Int((p.maxAbsField / q).rounded(.up))
    threshold = .allocate(capacity: 2 * bound + 1)
    threshold.initialize(repeating: 0, count: 2 * bound + 1)
    s = .allocate(capacity: max(1, n))
    f = .allocate(capacity: max(1, n))
    let d = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    d.initialize(repeating: 1, count: max(1, n))
    fill(d)
    for i in 0..<n { s[i] = d[i] > 0 ? 1 : -1 }
    d.deallocate()
    f.initialize(repeating: 0, count: max(1, n))
    var linear: Int64 = 0
    var pair: Int64 = 0
    for i in 0..<n {
      var c: Int32 = 0
      for k in Int(start[i])..<Int(start[i + 1]) {
        c &+= weight[k] &* Int32(s[Int(neighbor[k])])
      }
      f[i] = h[i] &+ c
      linear += Int64(h[i]) * Int64(s[i])
      pair += Int64(s[i]) * Int64(c)
    }
    units = linear + pair / 2
  }

  mutating func exchangeState(with other: inout Self) {
    swap(&s, &other.s)
    swap(&f, &other.f)
    swap(&units, &other.units)
  }

  /// Frees the buffers.
  func deallocate() {
    s.deallocate()
    f.deallocate()
    threshold.deallocate()
  }

  /// The running energy.
  var energy: Double { offset + q * Double(units) }

  /// Fills the threshold table for inverse temperature `beta`.
  mutating func prepare(beta: Double) {
    let one = 0x1p53
    for k in -bound...bound {
      let a = acceptance.probability(betaDelta: 2 * beta * q * Double(k))
      threshold[k + bound] = UInt64(min(one, (a * one).rounded(.down)))
    }
  }

  /// Flips spin `i`, whose flip changes the energy by `2q·k`.
  @inline(__always)
  mutating func flip(_ i: Int, _ k: Int32) {
    if let rows {
      flip(i, k, DenseUnitUpdate(rows: rows, n: n))
    } else if let signed {
      flip(i, k, signed)
    } else {
      flip(i, k, SparseUnitUpdate(start: start, edge: edge))
    }
  }

  @inline(__always)
  mutating func flip<U: UnitFieldUpdate>(_ i: Int, _ k: Int32, _ update: U) {
    let si = 0 &- s[i]
    s[i] = si
    units &+= 2 &* Int64(k)
    update.apply(i, 2 &* Int32(si), to: f)
  }

  /// One sweep of `n` proposals in `Order`; returns the accepted flips.
  ///
  /// On sparse models (mean degree ≤ 8), when the previous sweep accepted
  /// more than 20% of its proposals, the "flip or not" branch would be
  /// mispredicted often; the sweep then applies every proposal's update with
  /// a factor that is zero for a rejected flip, with no branch on the
  /// decision (measured on a 2000-spin degree-4 glass: 170 M proposals/s at
  /// any β, against 90–150 M/s branching when 20–100% are accepted, and
  /// 265 M/s branching at 10%). Both paths make the same decisions from the
  /// same numbers, so results do not depend on the choice.
  @inline(__always)
  mutating func sweep<O: SweepOrder>(_ order: O.Type, rng: inout Xoshiro256PlusPlus) -> Int {
    let accepted: Int
    if let rows {
      accepted = denseSweep(O.self, DenseUnitUpdate(rows: rows, n: n), rng: &rng)
    } else if let signed {
      accepted = signedSweep(O.self, signed, rng: &rng)
    } else {
      accepted = sweep(O.self, SparseUnitUpdate(start: start, edge: edge), rng: &rng)
    }
    lastAccepted = accepted
    return accepted
  }

  /// A sweep on dense rows, kept out of line so that the CSR sweeps inline
  /// into the driver as they did before dense rows existed (inlined, the
  /// dense variants cost the CSR ones up to 9% more instructions).
  @inline(never)
  mutating func denseSweep<O: SweepOrder>(
    _ order: O.Type, _ update: DenseUnitUpdate, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    sweep(O.self, update, rng: &rng)
  }

  /// A sweep on rows split by sign, out of line for the same reason.
  @inline(never)
  mutating func signedSweep<O: SweepOrder>(
    _ order: O.Type, _ update: SignedUnitUpdate, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    sweep(O.self, update, rng: &rng)
  }

  @inline(__always)
  mutating func sweep<O: SweepOrder, U: UnitFieldUpdate>(
    _ order: O.Type, _ update: U, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    let rate = Double(lastAccepted) / Double(max(1, n))
    if sparse && rate > 0.2 {
      return sweepBranchFree(O.self, update, rng: &rng)
    }
    return sweepBranching(O.self, update, rng: &rng)
  }

  @inline(__always)
  mutating func sweepBranchFree<O: SweepOrder, U: UnitFieldUpdate>(
    _ order: O.Type, _ update: U, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    var accepted = 0
    let table = threshold + bound
    var u = units
    for step in 0..<n {
      let i = O.index(step, n: n, rng: &rng)
      let si = Int32(s[i])
      let k = 0 &- (si &* f[i])
      let flip: Int32 = rng.next() >> 11 < table[Int(k)] ? 1 : 0
      // flip = 1: s_i' = −s_i, d = 2 s_i' = −2 s_i; flip = 0: d = 0.
      let d = 0 &- 2 &* si &* flip
      s[i] = Int8(truncatingIfNeeded: si &- si &* 2 &* flip)
      u &+= 2 &* Int64(k &* flip)
      accepted &+= Int(flip)
      update.apply(i, d, to: f)
    }
    units = u
    return accepted
  }

  @inline(__always)
  mutating func sweepBranching<O: SweepOrder, U: UnitFieldUpdate>(
    _ order: O.Type, _ update: U, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    var accepted = 0
    let table = threshold + bound
    for step in 0..<n {
      let i = O.index(step, n: n, rng: &rng)
      let k = 0 &- (Int32(s[i]) &* f[i])
      if rng.next() >> 11 < table[Int(k)] {
        flip(i, k, update)
        accepted &+= 1
      }
    }
    return accepted
  }

  /// Copies the spins into `out` as Int8.
  func copySpins(to out: UnsafeMutablePointer<Int8>) {
    out.update(from: s, count: n)
  }
}

/// How a flip of spin `i` updates the integer local fields: `φ_j += d·J_ij/q`
/// for every `j` (d = 2 s_i', or 0 for a rejected proposal).
protocol UnitFieldUpdate {
  /// Adds `d·J_ij/q` to every `f[j]`.
  func apply(_ i: Int, _ d: Int32, to f: UnsafeMutablePointer<Int32>)
}

/// The CSR gather over packed edge words.
struct SparseUnitUpdate: UnitFieldUpdate {
  let start: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<UInt64>

  @inline(__always)
  func apply(_ i: Int, _ d: Int32, to f: UnsafeMutablePointer<Int32>) {
    var e = Int(start[i])
    let end = Int(start[i + 1])
    while e < end {
      let word = edge[e]
      f[Int(UInt32(truncatingIfNeeded: word))] &+= d &* Int32(truncatingIfNeeded: word >> 32)
      e &+= 1
    }
  }
}

/// One contiguous row operation over dense Int16 rows.
struct DenseUnitUpdate: UnitFieldUpdate {
  let rows: UnsafeMutablePointer<Int16>
  let n: Int

  @inline(__always)
  func apply(_ i: Int, _ d: Int32, to f: UnsafeMutablePointer<Int32>) {
    addRow(rows + i &* n, times: d, to: f, count: n)
  }
}
