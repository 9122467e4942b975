#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The integer kernel with reads packed in SIMD lanes.
//
// Simulated annealing with R independent reads is the path-integral layout
// (PathIntegralSystem.swift) without the slice coupling: spins and local
// fields are stored read-minor, s[i][lane], f[i][lane], as Int16 lanes, so
// everything about spin i across the reads of a pack is one 16-byte SSE
// vector (8 reads) or two adjacent ones (16 reads). A sweep visits the spins
// in index order and proposes spin i in all lanes at once:
// 1. k = −s_i φ_i per lane (ΔE = 2q·k, as in QuantizedSystem.swift).
// 2. Acceptance, branch-free per lane: the acceptance probability A(k)
//    (Metropolis min(1, e^{−2βqk}), heat bath 1/(1 + e^{2βqk})) is
//    tabulated once per β for k ∈ [−K, K] as 31-bit thresholds
//    T(k) = round(A(k)·2^31) − 1; each lane gathers its T(k) (eight scalar
//    loads: SSE2 has no gather) and accepts iff b ≤ T(k) for a 31-bit
//    uniform integer b (two per 64-bit xoshiro256++ draw), which happens
//    with probability (T(k) + 1)/2^31 = A(k) within 2^−32.
// 3. The flip mask gives d = s_new − s_old per lane, and every neighbour's
//    field takes one vector update f_j += J_ij·d, which serves 8 (or 16)
//    reads. On dense models (mean degree > 8) the neighbour loop is skipped
//    when no lane flipped; on sparse ones it always runs (with d = 0 in the
//    rejecting lanes), which costs less than the mispredicted branch. With
//    dense rows (`rows`, DenseRows.swift) the loop runs over all j with the
//    weights of row i read contiguously, and no index loads. When every
//    coupling has the same magnitude m (±1 models), the CSR loop runs on
//    rows split by sign (`signed`, SignedRows.swift): f_j ± d·m, one index
//    load per edge and no multiply.
// Energies are tracked exactly per lane in units of q (Int64, flushed from
// Int32 accumulators), so the best state of each read is chosen without
// rounding; a sweep that improves some lanes' best energy copies those
// lanes into the best-state buffer with one masked blend per spin. Int16
// lanes hold any field of a model that fits the integer kernel
// (|φ| ≤ QuantizedSystem.maxBound = 4096): arithmetic wraps modulo 2^16,
// and every stored field is within that bound.
//
// Reads are grouped in packs of w = 8 lanes (16 from 32 reads on): pack p
// holds reads w·p ..< w·p + w and draws from the stream
// `Xoshiro256PlusPlus(seed:, stream: ~p)`; lanes past the last packed read
// run but are discarded. Fewer than three leftover reads run one by one on
// their usual streams (`PackLayout`). The layout depends on the read count
// only, so read r's result depends on the seed, r and the read count, never
// on the thread count.
//
// Measured at one thread, 1000 sweeps, sample seconds (the read-by-read
// integer kernel: 8.5 / 12 / 18 ms per read on the three instances of the
// peer benchmark, 2000-spin degree-4 and 800-spin degree-48 ±1 glasses and
// G22):
// - the first version, −ln u from a vectorised logarithm (`laneLogarithm`) compared
//   with 2βqk in Float lanes, the neighbour loop behind a branch:
//   degree 4, 16 reads, 0.093 s;
// - the threshold table instead (no log, no Float conversion): 0.064 s;
//   the branch-free neighbour loop on sparse models: 0.044 s (on G22,
//   mean degree 20, branch-free was slower: 48 against 43 ms for 8 reads);
//   one pack of 8 reads costs 22 / 25 / 39 ms, as much as 2.7 / 2 / 2.1
//   single reads, hence packs from 3 reads on;
// - 16-lane packs: 40 / 43 ms for 16 reads against 44 / 49 ms in two
//   8-lane packs. They halve the parallel work units, so they are used only
//   from 32 reads (at least two packs);
// - 10 reads as one pack and two single reads instead of two packs:
//   38 / 50 / 79 ms against 45 / 54 / 89 ms.

/// Eight Int16 lanes, one per read of a pack.
typealias PackedLanes = SIMD8<Int16>

/// Whether a sweep skips the neighbour loop when no lane flipped.
protocol PackedBranching {
  /// True: always run the neighbour loop (with d = 0 in rejecting lanes).
  static var always: Bool { get }
}

/// Skip the neighbour loop when no lane flipped (dense models).
enum PackedSkipping: PackedBranching {
  static var always: Bool { false }
}

/// Never branch on the decisions (sparse models).
enum PackedBranchFree: PackedBranching {
  static var always: Bool { true }
}

/// How many 8-lane vectors (halves) a pack holds per spin: 1 or 2.
protocol PackedWidth {
  /// 1 (eight reads) or 2 (sixteen reads).
  static var halves: Int { get }
}

/// Eight reads per pack.
enum EightLanes: PackedWidth {
  static var halves: Int { 1 }
}

/// Sixteen reads per pack (two vectors per spin, sharing every edge load).
enum SixteenLanes: PackedWidth {
  static var halves: Int { 2 }
}

/// Spins, integer fields and exact energies of the reads of a pack.
struct PackedSystem {
  /// Lanes per vector.
  static let lanes = 8

  let n: Int
  /// Vectors per spin (1 or 2); the pack has `8 · halves` reads.
  let halves: Int
  let start: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<UInt64>
  /// `J_ij / q` at `i·n + j` when flips update the fields by dense rows;
  /// nil for CSR.
  let rows: UnsafeMutablePointer<Int16>?
  /// The CSR update on rows split by sign (SignedRows.swift), when the
  /// couplings share one magnitude and rows are not dense.
  let signed: SignedPackedUpdate?
  /// `s[i·H + lane / 8][lane % 8]` ∈ {−1, +1}, H = `halves`.
  let s: UnsafeMutablePointer<PackedLanes>
  /// `f[i·H + lane / 8][lane % 8] = φ_i` of that lane, in units of q.
  let f: UnsafeMutablePointer<PackedLanes>
  /// Each lane's energy in units of q, without the offset (H vectors).
  let units: UnsafeMutablePointer<SIMD8<Int64>>
  let q: Double
  let acceptance: Acceptance
  /// `K`: every `|k|` is at most this.
  let bound: Int
  /// Thresholds `T(k)`, stored at `k + bound`.
  let threshold: UnsafeMutablePointer<Int32>
  /// Spins between flushes of the Int32 energy accumulators, so that they
  /// cannot overflow (each step adds at most 2K per lane).
  let chunk: Int

  /// Whether a problem with these biases fits Int16 lanes.
  static func fits(_ p: ProblemBuffers) -> Bool {
    guard let q = p.quantum else { return false }
    return p.maxAbsField / q <= Double(QuantizedSystem.maxBound)
  }

  /// The reads of a pack.
  var width: Int { Self.lanes * halves }

  /// Allocates the buffers; `fill(lane, s)` writes a lane's initial spins
  /// as ±1 Doubles. With `dense` (which must hold `units` rows of `p`),
  /// flips update fields by rows; otherwise by rows split by sign when the
  /// biases have them and `splitSigns` is true (the same samples either way).
  init(
    _ p: ProblemBuffers, _ biases: QuantizedBiases, halves: Int, acceptance: Acceptance,
    dense: DenseRows? = nil, splitSigns: Bool = true,
    fill: (Int, UnsafeMutablePointer<Double>) -> Void
  ) {
    rows = dense?.units
    if dense == nil, splitSigns, let split = biases.signed {
      signed = SignedPackedUpdate(start: p.start, rows: split)
    } else {
      signed = nil
    }
    n = p.n
    self.halves = halves
    start = p.start
    edge = biases.edge
    let h = biases.h
    q = biases.q
    self.acceptance = acceptance
    bound = max(1, Int((p.maxAbsField / biases.q).rounded(.up)))
    threshold = .allocate(capacity: 2 * bound + 1)
    threshold.initialize(repeating: 0, count: 2 * bound + 1)
    chunk = max(1, (1 << 30) / (2 * bound + 1))
    let count = max(1, n * halves)
    s = .allocate(capacity: count)
    s.initialize(repeating: PackedLanes(repeating: 1), count: count)
    f = .allocate(capacity: count)
    f.initialize(repeating: PackedLanes(repeating: 0), count: count)
    units = .allocate(capacity: halves)
    units.initialize(repeating: SIMD8<Int64>(repeating: 0), count: halves)
    let d = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    for lane in 0..<(Self.lanes * halves) {
      d.initialize(repeating: 1, count: max(1, n))
      fill(lane, d)
      for i in 0..<n { s[i * halves + lane / Self.lanes][lane % Self.lanes] = d[i] > 0 ? 1 : -1 }
    }
    d.deallocate()
    for half in 0..<halves {
      var energy = SIMD8<Int64>(repeating: 0)
      for i in 0..<n {
        var c = SIMD8<Int32>(repeating: 0)
        for e in Int(start[i])..<Int(start[i + 1]) {
          let word = edge[e]
          let j = Int(UInt32(truncatingIfNeeded: word))
          let w = Int32(truncatingIfNeeded: word >> 32)
          c &+= SIMD8<Int32>(truncatingIfNeeded: s[j * halves + half]) &* w
        }
        let si = SIMD8<Int64>(truncatingIfNeeded: s[i * halves + half])
        let hi = SIMD8<Int32>(repeating: h[i])
        f[i * halves + half] = PackedLanes(truncatingIfNeeded: hi &+ c)
        // 2E = Σ 2 h_i s_i + Σ s_i c_i, exact in Int64.
        energy &+= si &* SIMD8<Int64>(truncatingIfNeeded: hi &+ hi &+ c)
      }
      units[half] = energy / 2
    }
  }

  /// Frees the buffers.
  func deallocate() {
    s.deallocate()
    f.deallocate()
    units.deallocate()
    threshold.deallocate()
  }

  /// Fills the threshold table for inverse temperature `beta`.
  func prepare(beta: Double) {
    let one = 0x1p31
    for k in -bound...bound {
      let a = acceptance.probability(betaDelta: 2 * beta * q * Double(k))
      threshold[k + bound] = Int32(min(one, (a * one).rounded()) - 1)
    }
  }

  /// The decisions for one vector of spin i: the spin change d per lane
  /// (0 where rejected), the energy change 2k (0 where rejected) and the
  /// accept mask (−1 where accepted).
  @inline(__always)
  func decide(
    _ at: Int, _ t: UnsafeMutablePointer<Int32>, rng: inout Xoshiro256PlusPlus
  ) -> (d: PackedLanes, du: SIMD8<Int32>, accept: SIMD8<Int32>) {
    let bits = SIMD4<UInt64>(rng.next(), rng.next(), rng.next(), rng.next())
    let b = unsafeBitCast(unsafeBitCast(bits, to: SIMD8<UInt32>.self) &>> 1, to: SIMD8<Int32>.self)
    let si = s[at]
    let k = 0 &- si &* f[at]
    let limit = SIMD8<Int32>(
      t[Int(k[0])], t[Int(k[1])], t[Int(k[2])], t[Int(k[3])],
      t[Int(k[4])], t[Int(k[5])], t[Int(k[6])], t[Int(k[7])])
    let accept = ~unsafeBitCast(b .> limit, to: SIMD8<Int32>.self)
    let k32 = SIMD8<Int32>(truncatingIfNeeded: k)
    let d = (0 &- (si &+ si)) & PackedLanes(truncatingIfNeeded: accept)
    s[at] = si &+ d
    return (d, (k32 &+ k32) & accept, accept)
  }

  /// One sweep over the spins in index order, `W.halves` vectors per spin.
  @inline(__always)
  func sweep<W: PackedWidth, B: PackedBranching>(
    _ width: W.Type, _ branching: B.Type, rng: inout Xoshiro256PlusPlus
  ) {
    if let rows {
      denseSweep(W.self, B.self, DensePackedUpdate(rows: rows, n: n), rng: &rng)
    } else if let signed {
      signedSweep(W.self, B.self, signed, rng: &rng)
    } else {
      sweep(W.self, B.self, SparsePackedUpdate(start: start, edge: edge), rng: &rng)
    }
  }

  /// A sweep on dense rows, out of line so that the CSR sweep inlines into
  /// the driver alone.
  @inline(never)
  func denseSweep<W: PackedWidth, B: PackedBranching>(
    _ width: W.Type, _ branching: B.Type, _ update: DensePackedUpdate,
    rng: inout Xoshiro256PlusPlus
  ) {
    sweep(W.self, B.self, update, rng: &rng)
  }

  /// A sweep on rows split by sign, out of line for the same reason.
  @inline(never)
  func signedSweep<W: PackedWidth, B: PackedBranching>(
    _ width: W.Type, _ branching: B.Type, _ update: SignedPackedUpdate,
    rng: inout Xoshiro256PlusPlus
  ) {
    sweep(W.self, B.self, update, rng: &rng)
  }

  @inline(__always)
  func sweep<W: PackedWidth, B: PackedBranching, U: PackedFieldUpdate>(
    _ width: W.Type, _ branching: B.Type, _ update: U, rng: inout Xoshiro256PlusPlus
  ) {
    let H = W.halves
    let t = threshold + bound
    let zero = PackedLanes(repeating: 0)
    var i = 0
    while i < n {
      let end = min(n, i &+ chunk)
      var du0 = SIMD8<Int32>(repeating: 0)
      var du1 = SIMD8<Int32>(repeating: 0)
      while i < end {
        let at = i &* H
        let first = decide(at, t, rng: &rng)
        du0 &+= first.du
        var d1 = zero
        var accept = first.accept
        if H == 2 {
          let second = decide(at &+ 1, t, rng: &rng)
          du1 &+= second.du
          d1 = second.d
          accept |= second.accept
        }
        if B.always || any(accept .!= SIMD8<Int32>(repeating: 0)) {
          update.apply(i, W.self, first.d, d1, to: f)
        }
        i &+= 1
      }
      units[0] &+= SIMD8<Int64>(truncatingIfNeeded: du0)
      if H == 2 { units[1] &+= SIMD8<Int64>(truncatingIfNeeded: du1) }
    }
  }

  /// Copies into `best` the spins of the lanes where `mask` is −1 (one
  /// mask per half).
  func blend(into best: UnsafeMutablePointer<PackedLanes>, mask: UnsafePointer<PackedLanes>) {
    for i in 0..<n {
      for half in 0..<halves {
        let at = i * halves + half
        best[at] = (s[at] & mask[half]) | (best[at] & ~mask[half])
      }
    }
  }

  /// Writes lane `lane` of `source` as Int8 spins to `out`.
  func extract(
    _ source: UnsafeMutablePointer<PackedLanes>, lane: Int, to out: UnsafeMutablePointer<Int8>
  ) {
    let half = lane / Self.lanes
    let l = lane % Self.lanes
    for i in 0..<n { out[i] = Int8(truncatingIfNeeded: source[i * halves + half][l]) }
  }
}

/// How the flips of spin `i` in a pack update the fields: `f[j][lane] +=
/// d[lane]·J_ij/q` for every `j`, `d0` for the first vector, `d1` for the
/// second (16 lanes).
protocol PackedFieldUpdate {
  /// Adds `d·J_ij/q` to every field vector of every `j`.
  func apply<W: PackedWidth>(
    _ i: Int, _ width: W.Type, _ d0: PackedLanes, _ d1: PackedLanes,
    to f: UnsafeMutablePointer<PackedLanes>)
}

/// The CSR gather over packed edge words.
struct SparsePackedUpdate: PackedFieldUpdate {
  let start: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<UInt64>

  @inline(__always)
  func apply<W: PackedWidth>(
    _ i: Int, _ width: W.Type, _ d0: PackedLanes, _ d1: PackedLanes,
    to f: UnsafeMutablePointer<PackedLanes>
  ) {
    let H = W.halves
    var e = Int(start[i])
    let stop = Int(start[i &+ 1])
    while e < stop {
      let word = edge[e]
      let j = Int(UInt32(truncatingIfNeeded: word)) &* H
      let J = PackedLanes(repeating: Int16(truncatingIfNeeded: word >> 32))
      f[j] &+= d0 &* J
      if H == 2 { f[j &+ 1] &+= d1 &* J }
      e &+= 1
    }
  }
}

/// Row `i` of dense Int16 rows, read contiguously.
struct DensePackedUpdate: PackedFieldUpdate {
  let rows: UnsafeMutablePointer<Int16>
  let n: Int

  @inline(__always)
  func apply<W: PackedWidth>(
    _ i: Int, _ width: W.Type, _ d0: PackedLanes, _ d1: PackedLanes,
    to f: UnsafeMutablePointer<PackedLanes>
  ) {
    let H = W.halves
    let row = rows + i &* n
    var j = 0
    while j < n {
      let J = PackedLanes(repeating: row[j])
      let at = j &* H
      f[at] &+= d0 &* J
      if H == 2 { f[at &+ 1] &+= d1 &* J }
      j &+= 1
    }
  }
}
