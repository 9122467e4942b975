// The real-valued kernel with reads packed in SIMD lanes (issue 22, item 4).
//
// Models whose biases have no quantum (fields and couplings drawn from
// N(0, 1), the QUBOs that Learning and Tuning write) cannot use the integer
// tables of QuantizedSystem / PackedSystem; read by read (SpinSystem) every
// uphill proposal calls libm's exp, a third of the run's time, and the
// accept/reject branch is a coin flip the predictor cannot learn.
//
// Implementation goals, in order of priority:
// 1. The same Markov chain as SpinSystem up to Float rounding: Metropolis
//    min(1, e^{−βΔE}) or heat bath 1/(1 + e^{βΔE}) per lane, with the
//    acceptance probability within (3 + x)·10⁻⁷ (relative) of the exact
//    one at x = βΔE (the polynomial's error plus the rounding of x in
//    Float; 2·10⁻⁶ at most where acceptance exceeds the 2^−24 resolution
//    of the uniforms).
// 2. No exp call, no branch on a decision: eight reads of a pack share
//    each spin's proposal, as PackedSystem's Int16 lanes do.
// 3. Bounded rounding drift: fields are Float, so every `refreshInterval`
//    sweeps they (and the energies) are recomputed from the spins in Double
//    and rounded once. The kernel runs only where Float resolves the
//    model's gaps (`fits`): max_i |f_i| ≤ 2^13 · g, g the median smallest
//    |bias| per spin (BetaRange's cold-end scale), so a field's ulp is at
//    most g · 2^−10 and the drift over one refresh interval stays a small
//    fraction of the typical gap; other models run read by read in Double.
//
// Layout: s[i], f[i] are SIMD8<Float> (lane = read), so a spin's state across
// the pack is two SSE registers; edges are (j, J_ij) pairs in Float.
//
// A sweep visits spins in index order; for spin i:
//   ΔE = −2 s f per lane, x = β ΔE (lanes with x ≥ 40 rejected by mask);
//   e^{−x} = 2^{−t}, t = x log₂e = k + r, k = round(t) (the 1.5·2^23
//   trick: no SSE4 rounding needed), r ∈ [−½, ½]; 2^{−r} by a degree-5
//   polynomial (fitted on [−½, ½] with relative weight, max relative error
//   2.2·10⁻⁷ in Float), 2^{−k} by building the exponent bits;
//   accept iff u < p, u = (24-bit uniform)·2^−24 from two lanes per
//   xoshiro256++ draw, or ΔE ≤ 0 (Metropolis) — drawn only when the
//   group is not quiet: one draw against bounds from exponent bits
//   decides most groups without the exponential (ThinnedLanes.swift);
//   d = −2 s where accepted (0 elsewhere), s += d, f_j += d J_ij for
//   every neighbour (skipped when no lane flipped on models with mean
//   degree above 8, as PackedSystem does).
// Energies are kept per lane in Double, from Float ΔE sums flushed every
// 256 spins, and reset exactly at each refresh; a read's best state is
// chosen on them, and its reported energy is recomputed from the spins.

import CFloatLanes

/// Eight Float lanes, one per read of a pack.
typealias FloatLanes = SIMD8<Float>

/// How a lane's acceptance probability follows from x = βΔE.
///
/// A rule says which lanes accept whatever the draws (`certain`), the
/// probability p_k of the others (`probability`, 0 where rejected outright)
/// and an upper bound p̄_k ≥ p_k that costs no exponential (`bound`, 1 on
/// certain lanes, below 10⁻¹⁷ where rejected outright), from which `ThinnedLanes`
/// decides most groups of eight lanes with one draw.
protocol FloatLaneRule {
  /// The rule's number in the C sweep (CFloatLanes): 0 Metropolis, 1 heat bath.
  static var code: Int32 { get }
  /// Lanes accepted whatever the draws.
  static func certain(_ x: FloatLanes) -> SIMDMask<SIMD8<Int32>>
  /// p_k on lanes not certain (meaningless on certain ones).
  static func probability(_ x: FloatLanes) -> FloatLanes
  /// p̄_k ∈ [p_k, 1] on lanes not certain, 1 on certain lanes (a dummy
  /// candidate: a group with a certain lane is never quiet).
  static func bound(_ x: FloatLanes) -> FloatLanes
}

extension FloatLaneRule {
  /// The mask of lanes whose flip is accepted, for uniforms `u` in [0, 1):
  /// u < p_k, or certain.
  @inline(__always)
  static func accepts(_ x: FloatLanes, _ u: FloatLanes) -> SIMDMask<SIMD8<Int32>> {
    (u .< probability(x)) .| certain(x)
  }
}

/// Metropolis: accept iff x ≤ 0 or u < e^{−x}.
enum MetropolisLanes: FloatLaneRule {
  static var code: Int32 { 0 }

  @inline(__always)
  static func certain(_ x: FloatLanes) -> SIMDMask<SIMD8<Int32>> { x .<= 0 }

  @inline(__always)
  static func probability(_ x: FloatLanes) -> FloatLanes {
    let limit = FloatLanes(repeating: FloatPackedSystem.maxExponent)
    var p = FloatPackedSystem.expNegative(x)
    p.replace(with: 0, where: .!(x .< limit))
    return p
  }

  /// The bound at x clamped to [−1, 40] (e^{−40} < 10⁻¹⁷ stands for the
  /// outright rejection from 40), capped at 1, which x ≤ 0 always reaches;
  /// the selects are written as LLVM's min/max patterns (`minps`, `maxps`).
  @inline(__always)
  static func bound(_ x: FloatLanes) -> FloatLanes {
    let one = FloatLanes(repeating: 1)
    let limit = FloatLanes(repeating: FloatPackedSystem.maxExponent)
    var y = x
    y.replace(with: -one, where: .!(y .> -one))
    y.replace(with: limit, where: .!(y .< limit))
    var p = ThinnedLanes.expBound(y)
    p.replace(with: one, where: .!(p .< one))
    return p
  }
}

/// Heat bath: accept iff u < 1 / (1 + e^{x}).
enum GibbsLanes: FloatLaneRule {
  static var code: Int32 { 1 }

  @inline(__always)
  static func certain(_ x: FloatLanes) -> SIMDMask<SIMD8<Int32>> {
    x .<= -FloatLanes(repeating: FloatPackedSystem.maxExponent)
  }

  @inline(__always)
  static func probability(_ x: FloatLanes) -> FloatLanes {
    let magnitude = unsafeBitCast(
      unsafeBitCast(x, to: SIMD8<UInt32>.self) & SIMD8<UInt32>(repeating: 0x7FFF_FFFF),
      to: FloatLanes.self)
    let y = FloatPackedSystem.expNegative(magnitude)
    let one = FloatLanes(repeating: 1)
    var p = one / (one + y)
    p.replace(with: y * p, where: x .> 0)
    p.replace(with: 0, where: .!(magnitude .< FloatLanes(repeating: FloatPackedSystem.maxExponent)))
    return p
  }

  /// 1/(1 + e^{x}) < e^{−x}: the Metropolis bound for x > 0, capped at 1;
  /// 1 for x ≤ 0 (always a candidate; certain lanes among them).
  @inline(__always)
  static func bound(_ x: FloatLanes) -> FloatLanes {
    let one = FloatLanes(repeating: 1)
    let limit = FloatLanes(repeating: FloatPackedSystem.maxExponent)
    var p = ThinnedLanes.expBound(x)
    p.replace(with: one, where: (p .> one) .| (x .<= 0))
    p.replace(with: 0, where: .!(x .< limit))
    return p
  }
}

/// Spins, Float fields and energies of the eight reads of a pack, for
/// models without a quantum.
struct FloatPackedSystem {
  /// Reads per pack.
  static let lanes = 8
  /// Sweeps between two exact recomputations of fields and energies.
  static let refreshInterval = 64
  /// The largest `max_i |f_i| / g` the Float fields may hold (`fits`).
  static let maxRatio = 0x1p13
  /// Spins between flushes of the Float energy sums into Double.
  static let flushSpins = 256

  let n: Int
  let buffers: ProblemBuffers
  /// The CSR row starts of `buffers`.
  let start: UnsafeMutablePointer<Int32>
  /// `(j, J_ij)` per CSR entry: `j` in the low 32 bits, `J_ij` as Float bits
  /// in the high 32.
  let edge: UnsafeMutablePointer<UInt64>
  /// `s[i][lane]` ∈ {−1, +1}.
  let s: UnsafeMutablePointer<FloatLanes>
  /// `f[i][lane] = h_i + Σ_j J_ij s_j` of that lane.
  let f: UnsafeMutablePointer<FloatLanes>
  /// Each lane's energy (with the offset).
  var energy: SIMD8<Double>
  /// β of the current step, as Float.
  var beta: Float = 0
  /// The instruction set the C sweep runs on (`sweep(_:rng:)`; 0: the
  /// Swift sweep).
  var level = FloatPackedSystem.bestLevel

  /// The widest instruction set of this machine that the C sweep has.
  ///
  /// 2 AVX-512 (F, VL), 1 AVX2, 0 baseline x86-64 (and every other
  /// architecture). Every level gives the same bits.
  static let bestLevel = cfl_best_level()

  /// Whether Float fields resolve the gaps of a model without a quantum
  /// (see the top of the file): `maxAbsField ≤ maxRatio · g`, g the median
  /// over spins of the smallest non-zero |bias| touching each (spins with
  /// none left out); false for a model with no non-zero bias.
  ///
  /// - Complexity: O(n + nnz), plus O(n log n) for the median.
  static func fits(
    n: Int, h: UnsafePointer<Double>, start: UnsafePointer<Int32>,
    coupling: UnsafePointer<Double>, maxAbsField: Double
  ) -> Bool {
    var smallest: [Double] = []
    smallest.reserveCapacity(n)
    for i in 0..<n {
      var m = h[i] != 0 ? abs(h[i]) : Double.infinity
      for k in Int(start[i])..<Int(start[i + 1]) where coupling[k] != 0 {
        m = min(m, abs(coupling[k]))
      }
      if m.isFinite { smallest.append(m) }
    }
    guard !smallest.isEmpty else { return false }
    smallest.sort()
    let g = smallest[smallest.count / 2]
    return maxAbsField <= maxRatio * g
  }

  /// Allocates the buffers; `fill(lane, s)` writes a lane's initial spins
  /// as ±1 Doubles.
  init(_ p: ProblemBuffers, fill: (Int, UnsafeMutablePointer<Double>) -> Void) {
    buffers = p
    n = p.n
    start = p.start
    let m = Int(p.start[p.n])
    edge = .allocate(capacity: max(1, m))
    for k in 0..<m {
      edge[k] =
        UInt64(UInt32(bitPattern: p.neighbor[k]))
        | UInt64(Float(p.coupling[k]).bitPattern) << 32
    }
    let count = max(1, n)
    s = .allocate(capacity: count)
    s.initialize(repeating: FloatLanes(repeating: 1), count: count)
    f = .allocate(capacity: count)
    f.initialize(repeating: FloatLanes(repeating: 0), count: count)
    energy = SIMD8<Double>(repeating: 0)
    let d = UnsafeMutablePointer<Double>.allocate(capacity: count)
    for lane in 0..<Self.lanes {
      d.initialize(repeating: 1, count: count)
      fill(lane, d)
      for i in 0..<n { s[i][lane] = d[i] > 0 ? 1 : -1 }
    }
    d.deallocate()
    refresh()
  }

  /// Frees the buffers.
  func deallocate() {
    edge.deallocate()
    s.deallocate()
    f.deallocate()
  }

  /// Recomputes every field and energy from the spins in Double.
  mutating func refresh() {
    let p = buffers
    var e = SIMD8<Double>(repeating: p.offset)
    var pair = SIMD8<Double>(repeating: 0)
    for i in 0..<n {
      var c = SIMD8<Double>(repeating: 0)
      for k in Int(p.start[i])..<Int(p.start[i + 1]) {
        c += p.coupling[k] * SIMD8<Double>(s[Int(p.neighbor[k])])
      }
      let si = SIMD8<Double>(s[i])
      f[i] = FloatLanes(c + SIMD8<Double>(repeating: p.h[i]))
      e += p.h[i] * si
      pair += si * c
    }
    energy = e + pair / 2
  }

  /// Readies the pack for inverse temperature `beta`.
  mutating func prepare(beta: Double) { self.beta = Float(beta) }

  /// The x = βΔE from which a flip is rejected outright (e^{−40} ≈ 4·10⁻¹⁸
  /// is below the 2^−24 resolution of the uniforms).
  static let maxExponent: Float = 40

  /// e^{−x} per lane for x ∈ [−40, 40] (see the top of the file); lanes
  /// outside hold meaningless values that the rules mask out (no clamp:
  /// the stdlib's pointwiseMin/Max are not inlined).
  @inline(__always)
  static func expNegative(_ x: FloatLanes) -> FloatLanes {
    let t = x * FloatLanes(repeating: 1.442_695_04)
    let magic = FloatLanes(repeating: 0x1.8p23)
    let shifted = t + magic
    let k = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(
      magic, to: SIMD8<Int32>.self)
    let r = t - (shifted - magic)
    var poly = FloatLanes(repeating: -0.001_326_698_0)
    poly = poly * r + FloatLanes(repeating: 0.009_675_469_2)
    poly = poly * r + FloatLanes(repeating: -0.055_507_425)
    poly = poly * r + FloatLanes(repeating: 0.240_221_22)
    poly = poly * r + FloatLanes(repeating: -0.693_146_94)
    poly = poly * r + FloatLanes(repeating: 1.000_000_1)
    let scale = unsafeBitCast((SIMD8<Int32>(repeating: 127) &- k) &<< 23, to: FloatLanes.self)
    return poly * scale
  }

  /// Eight uniforms in [0, 1) with 24 bits each, from four draws.
  ///
  /// (Eight xoshiro128++ generators in SIMD lanes were tried instead: the
  /// compiler turns their 32-bit rotations into scalar ones on SSE2, and
  /// sweeps took 25 % longer.)
  @inline(__always)
  static func uniforms(_ rng: inout Xoshiro256PlusPlus) -> FloatLanes {
    let bits = SIMD4<UInt64>(rng.next(), rng.next(), rng.next(), rng.next())
    let words = unsafeBitCast(bits, to: SIMD8<UInt32>.self) &>> 8
    return FloatLanes(unsafeBitCast(words, to: SIMD8<Int32>.self))
      * FloatLanes(repeating: 0x1p-24)
  }

  /// One sweep over the spins in index order with rule `R`.
  ///
  /// From level 1 on by the C kernel (CFloatLanes/lanes.c): bit for bit
  /// `sweep(_:_:rng:)` with `PackedSkipping`, on wider registers. At level
  /// 0 the Swift sweep runs (the plain C one measured up to 9 % slower on
  /// the degree-48 model).
  @inline(__always)
  mutating func sweep<R: FloatLaneRule>(_ rule: R.Type, rng: inout Xoshiro256PlusPlus) {
    guard level > 0 else {
      sweep(R.self, PackedSkipping.self, rng: &rng)
      return
    }
    var state = SIMD4<UInt64>(rng.s0, rng.s1, rng.s2, rng.s3)
    var total = SIMD8<Double>(repeating: 0)
    withUnsafeMutablePointer(to: &state) { words in
      withUnsafeMutablePointer(to: &total) { sums in
        words.withMemoryRebound(to: UInt64.self, capacity: 4) { g in
          sums.withMemoryRebound(to: Double.self, capacity: 8) { t in
            cfl_pack_sweep(
              level, R.code, Int64(n), start, edge,
              UnsafeMutableRawPointer(s).assumingMemoryBound(to: Float.self),
              UnsafeMutableRawPointer(f).assumingMemoryBound(to: Float.self), beta, g, t)
          }
        }
      }
    }
    rng.s0 = state[0]
    rng.s1 = state[1]
    rng.s2 = state[2]
    rng.s3 = state[3]
    energy += total
  }

  /// One sweep over the spins in index order with rule `R`, in Swift.
  ///
  /// `B` says whether the neighbour loop runs when no lane flipped. The
  /// reference the C sweep (`sweep(_:rng:)`) is tested against, bit for bit.
  @inline(__always)
  mutating func sweep<R: FloatLaneRule, B: PackedBranching>(
    _ rule: R.Type, _ branching: B.Type, rng: inout Xoshiro256PlusPlus
  ) {
    let b = FloatLanes(repeating: beta)
    let zero = FloatLanes(repeating: 0)
    var total = SIMD8<Double>(repeating: 0)
    var i = 0
    while i < n {
      let end = min(n, i &+ Self.flushSpins)
      var sum = zero
      while i < end {
        let si = s[i]
        let dE = FloatLanes(repeating: -2) * si * f[i]
        guard let accept = ThinnedLanes.accepts(R.self, dE * b, &rng) else {
          i &+= 1  // quiet: no lane flips (ThinnedLanes.swift)
          continue
        }
        var d = zero
        d.replace(with: FloatLanes(repeating: -2) * si, where: accept)
        sum.replace(with: sum + dE, where: accept)
        if B.always || ThinnedLanes.any(accept) {
          s[i] = si + d
          var e = Int(start[i])
          let stop = Int(start[i &+ 1])
          while e < stop {
            let word = edge[e]
            let j = Int(UInt32(truncatingIfNeeded: word))
            f[j] += d * Float(bitPattern: UInt32(truncatingIfNeeded: word >> 32))
            e &+= 1
          }
        }
        i &+= 1
      }
      total += SIMD8<Double>(sum)
    }
    energy += total
  }

  /// Writes lane `lane` of `source` as Int8 spins to `out`.
  func extract(
    _ source: UnsafeMutablePointer<FloatLanes>, lane: Int, to out: UnsafeMutablePointer<Int8>
  ) {
    for i in 0..<n { out[i] = source[i][lane] > 0 ? 1 : -1 }
  }
}
