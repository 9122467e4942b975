// The integer kernel with eight reads packed in SIMD lanes.
//
// Simulated annealing with R independent reads is the path-integral layout
// (PathIntegralSystem.swift) without the slice coupling: spins and local
// fields are stored read-minor, s[i][lane], f[i][lane], as Int16 lanes of
// one SSE register, so everything about spin i across the eight reads of a
// pack is one 16-byte vector. A sweep visits the spins in index order and
// proposes spin i in all lanes at once:
// 1. k = −s_i φ_i per lane (ΔE = 2q·k, as in QuantizedSystem.swift).
// 2. Acceptance, branch-free per lane, as "y ≥ 2βq·k" with y a transformed
//    uniform: Metropolis y = −ln u (u < e^{−x} ⟺ −ln u > x), heat bath
//    y = ln((1 − u)/u) (u < 1/(1 + e^x) ⟺ ln(1/u − 1) > x). The uniforms are
//    u = (b + ½)·2⁻²⁴ from 24-bit integers b (two per 64-bit xoshiro256++
//    draw) and the logarithm is `piLog`, accurate to about one Float ulp, so
//    the implemented acceptance probability differs from the exact one by
//    about 2⁻²⁴ at most (the path-integral kernel's accuracy).
// 3. The flip mask gives d = s_new − s_old per lane, and every neighbour's
//    field takes one vector update f_j += J_ij·d, which serves eight reads.
//    When no lane flipped the neighbour loop is skipped.
// Energies are tracked exactly per lane in units of q (Int64), so the best
// state of each read is chosen without rounding; a sweep that improves some
// lanes' best energy copies those lanes into the best-state buffer with one
// masked blend per spin. Int16 lanes hold any field of a model that fits
// the integer kernel (|φ| ≤ QuantizedSystem.maxBound = 4096): arithmetic
// wraps modulo 2^16, and every stored field is within that bound.
//
// Reads are grouped in packs of eight (pack p holds reads 8p ..< 8p + 8);
// a pack draws from the stream `Xoshiro256PlusPlus(seed:, stream: ~p)`
// and lanes past the last read run but are discarded, so read r's result
// depends on the seed and r only, never on the thread count.

/// Eight Int16 lanes, one per read of a pack.
typealias PackedLanes = SIMD8<Int16>

/// How a pack turns its uniforms into per-lane acceptance thresholds.
protocol PackedAcceptance {
  /// `y(u)` such that a flip with `x = βΔE` is accepted iff `y ≥ x`.
  static func threshold(_ u: PISimd) -> PISimd
}

/// Metropolis: `y = |ln u| = −ln u` (the absolute value keeps a rounding
/// error for u near 1 from rejecting a flip with ΔE = 0).
enum PackedMetropolis: PackedAcceptance {
  @inline(__always)
  static func threshold(_ u: PISimd) -> PISimd {
    let bits = unsafeBitCast(piLog(u), to: SIMD8<UInt32>.self) & 0x7FFF_FFFF
    return unsafeBitCast(bits, to: PISimd.self)
  }
}

/// Heat bath: `y = ln((1 − u)/u)`.
enum PackedGibbs: PackedAcceptance {
  @inline(__always)
  static func threshold(_ u: PISimd) -> PISimd {
    piLog((PISimd(repeating: 1) - u) / u)
  }
}

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

/// Spins, integer fields and exact energies of the eight reads of a pack.
struct PackedSystem {
  /// Reads per pack.
  static let width = 8

  let n: Int
  let start: UnsafeMutablePointer<Int32>
  let edge: UnsafeMutablePointer<UInt64>
  /// `s[i][lane]` ∈ {−1, +1}.
  let s: UnsafeMutablePointer<PackedLanes>
  /// `f[i][lane] = φ_i` of that lane, in units of q.
  let f: UnsafeMutablePointer<PackedLanes>
  /// Each lane's energy in units of q, without the offset.
  var units: SIMD8<Int64>
  /// Spins between flushes of the Int32 energy accumulator, so that it
  /// cannot overflow (each step adds at most 2K per lane).
  let chunk: Int

  /// Whether a problem with these biases fits Int16 lanes.
  static func fits(_ p: ProblemBuffers) -> Bool {
    guard let q = p.quantum else { return false }
    return p.maxAbsField / q <= Double(QuantizedSystem.maxBound)
  }

  /// Allocates the buffers; `fill(lane, s)` writes a lane's initial spins
  /// as ±1 Doubles.
  init(
    _ p: ProblemBuffers, _ biases: QuantizedBiases,
    fill: (Int, UnsafeMutablePointer<Double>) -> Void
  ) {
    n = p.n
    start = p.start
    edge = biases.edge
    let h = biases.h
    let bound = max(1, Int((p.maxAbsField / biases.q).rounded(.up)))
    chunk = max(1, (1 << 30) / (2 * bound + 1))
    s = .allocate(capacity: max(1, n))
    s.initialize(repeating: PackedLanes(repeating: 1), count: max(1, n))
    f = .allocate(capacity: max(1, n))
    f.initialize(repeating: PackedLanes(repeating: 0), count: max(1, n))
    let d = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
    for lane in 0..<Self.width {
      d.initialize(repeating: 1, count: max(1, n))
      fill(lane, d)
      for i in 0..<n { s[i][lane] = d[i] > 0 ? 1 : -1 }
    }
    d.deallocate()
    var energy = SIMD8<Int64>(repeating: 0)
    for i in 0..<n {
      var c = SIMD8<Int32>(repeating: 0)
      for e in Int(start[i])..<Int(start[i + 1]) {
        let word = edge[e]
        let j = Int(UInt32(truncatingIfNeeded: word))
        let w = Int32(truncatingIfNeeded: word >> 32)
        c &+= SIMD8<Int32>(truncatingIfNeeded: s[j]) &* w
      }
      let si = SIMD8<Int64>(truncatingIfNeeded: s[i])
      let hi = SIMD8<Int32>(repeating: h[i])
      f[i] = PackedLanes(truncatingIfNeeded: hi &+ c)
      // 2E = Σ 2 h_i s_i + Σ s_i c_i, exact in Int64.
      energy &+= si &* SIMD8<Int64>(truncatingIfNeeded: hi &+ hi &+ c)
    }
    units = energy / 2
  }

  /// Frees the buffers.
  func deallocate() {
    s.deallocate()
    f.deallocate()
  }

  /// One sweep over the spins in index order, at `scale` = 2βq.
  @inline(__always)
  mutating func sweep<A: PackedAcceptance, B: PackedBranching>(
    _ rule: A.Type, _ branching: B.Type, scale: Float, rng: inout Xoshiro256PlusPlus
  ) {
    let c = PISimd(repeating: scale)
    var i = 0
    while i < n {
      let end = min(n, i &+ chunk)
      var du = SIMD8<Int32>(repeating: 0)
      while i < end {
        let bits = SIMD4<UInt64>(rng.next(), rng.next(), rng.next(), rng.next())
        let raw = unsafeBitCast(bits, to: SIMD8<UInt32>.self) &>> 8
        let u = (PISimd(SIMD8<Int32>(truncatingIfNeeded: raw)) + 0.5) * 0x1.0p-24
        let y = A.threshold(u)
        let si = s[i]
        let k = 0 &- si &* f[i]
        let k32 = SIMD8<Int32>(truncatingIfNeeded: k)
        let accept = y .>= c * PISimd(k32)
        if B.always || any(accept) {
          let m32 = unsafeBitCast(accept, to: SIMD8<Int32>.self)
          du &+= (k32 &+ k32) & m32
          let d = (0 &- (si &+ si)) & PackedLanes(truncatingIfNeeded: m32)
          s[i] = si &+ d
          var e = Int(start[i])
          let stop = Int(start[i &+ 1])
          while e < stop {
            let word = edge[e]
            let j = Int(UInt32(truncatingIfNeeded: word))
            f[j] &+= d &* PackedLanes(repeating: Int16(truncatingIfNeeded: word >> 32))
            e &+= 1
          }
        }
        i &+= 1
      }
      units &+= SIMD8<Int64>(truncatingIfNeeded: du)
    }
  }

  /// Copies into `best` the spins of the lanes where `mask` is −1.
  func blend(into best: UnsafeMutablePointer<PackedLanes>, mask: PackedLanes) {
    let keep = ~mask
    for i in 0..<n { best[i] = (s[i] & mask) | (best[i] & keep) }
  }

  /// Writes lane `lane` of `source` as Int8 spins to `out`.
  func extract(
    _ source: UnsafeMutablePointer<PackedLanes>, lane: Int, to out: UnsafeMutablePointer<Int8>
  ) {
    for i in 0..<n { out[i] = Int8(truncatingIfNeeded: source[i][lane]) }
  }
}
