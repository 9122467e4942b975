// Exact skip-ahead by thinning for a group of eight Float lanes (issue 22,
// item 4): most groups decided with one draw and no exponential.
//
// The Float packs (FloatPackedSystem.swift) spent about two thirds of their
// time deciding, four xoshiro256++ draws for eight 24-bit uniforms and a
// degree-5 exponential over two SSE halves per spin, though on the default
// schedule about four groups in five accept nothing.
//
// Implementation goals, in order of priority:
// 1. The same law as drawing every lane: each lane not certain accepts with
//    its own p_k, independently of the others, and certain lanes accept.
// 2. One draw, no exponential and no further branch when nothing can flip.
//
// Thinning. Let p̄_k ≥ p_k be a bound that costs no exponential (below) and
// let lane k be a *candidate* with probability p̄_k, independently; a
// candidate accepts with probability p_k / p̄_k. Each lane then accepts
// with probability p_k, independently, as before. Certain lanes carry
// p̄ = 1 (a candidate that always accepts), which keeps that law.
// No candidate at all has probability 1 − A, A = 1 − Π(1 − p̄_k) ≤ Σ p̄_k:
//   u ≥ Σ p̄_k (one 53-bit uniform): the group is *quiet*, nothing flips.
// Otherwise, by inversion on the same u: with Q_k = Π_{j≤k}(1 − p̄_j), the
// first candidate K is the first k with u < 1 − Q_k (P(K = k) =
// Q_{k−1} p̄_k); none if u ≥ A, the few groups with A ≤ u < Σ p̄_k. Lanes
// before K are no candidates; lane K accepts with p_K / p̄_K; a lane after K
// is a candidate with p̄_k and then accepts with p_k / p̄_k, i.e. with p_k,
// so those lanes use their ordinary 24-bit uniforms against p_k. The
// products are Float, so the inversion resolves A to 2^−24 absolute, the
// resolution of those uniforms; the prefix products are a three-step scan
// over the two halves, branch-free.
//
// The bound, from exponent bits: with t = x log₂e (as in `expNegative`) and
// ι = round(16 t) by the 1.5·2^19 trick, the Float with bits
// (127 + 1/32 − ι/16)·2^23 (+16 units of margin) is Schraudolph's
// piecewise-linear 2^{1/32 − ι/16}, which lies above the exponential (the
// chord of a convex function), and 1/32 − ι/16 ≥ −t. So p̄ ≥ e^{−x}, at
// most 2^{1/16}·1.0615 ≈ 1.108 times it; the margin (≥ 9.5·10⁻⁷ relative)
// covers the polynomial's 2.2·10⁻⁷, so p_K / p̄_K ≤ 1. Capped at 1 (below
// x ≈ 0.02); from x = 40, where the lanes reject outright as before (p = 0),
// at most 10⁻¹⁷ (Metropolis clamps x to [−1, 40]) or 0 (heat bath).
// On the default schedule (BetaRange.default, 1000–3000 sweeps) the exact
// Π(1 − p_k) leaves 79 % (Gaussian n = 2000, degree 8) and 88 % (n = 800,
// degree 48) of the packs' groups without a flip; a per-lane bound within
// 6 % of p_k keeps 78 % and 87 % of groups candidate-free
// (docs/kernels-issue22.md, round ten).

/// The thinned decision of eight lanes.
enum ThinnedLanes {
  /// An upper bound on e^{−x} for x ∈ [−40, 40] from exponent bits alone
  /// (see the top of the file); meaningless outside, where the rules mask it.
  @inline(__always)
  static func expBound(_ x: FloatLanes) -> FloatLanes {
    let t = x * FloatLanes(repeating: 1.442_695_04)
    // 1.5·2^19: t + magic holds t rounded to sixteenths, so the bits'
    // difference is ι = round(16t).
    let magic = FloatLanes(repeating: 0x1.8p19)
    let sixteenths = unsafeBitCast(t + magic, to: SIMD8<Int32>.self) &- unsafeBitCast(
      magic, to: SIMD8<Int32>.self)
    return unsafeBitCast(
      SIMD8<Int32>(repeating: boundBits) &- (sixteenths &<< 19), to: FloatLanes.self)
  }

  /// (127 + 1/32)·2^23 + 16: the exponent bias, the half-sixteenth that t
  /// may lie below ι/16, and a margin of 16 units (≥ 9.5·10⁻⁷ relative).
  static let boundBits: Int32 = 127 << 23 + 1 << 18 + 16

  /// The group's uniform: 53 bits in [0, 1), one draw.
  @inline(__always)
  static func draw(_ rng: inout Xoshiro256PlusPlus) -> Double {
    Double(rng.next() >> 11) * 0x1p-53
  }

  /// Whether u ≥ Σ p̄_k (≥ A): no lane is a candidate, and none is certain
  /// (certain lanes carry p̄ = 1), so nothing flips.
  @inline(__always)
  static func quiet(_ bound: FloatLanes, _ u: Double) -> Bool {
    let four = bound.lowHalf + bound.highHalf
    let two = four.lowHalf + four.highHalf
    return u >= Double(two[0] + two[1])
  }

  /// The accepted lanes for x = βΔE under rule `R`, or nil when the group
  /// is quiet (nothing flips): one draw, then, if some lane may be a
  /// candidate, the lanes' own uniforms against `threshold`.
  ///
  /// `@_transparent`: with `@inline(__always)` this generic function stayed
  /// a call, which kept the generator's state in memory (g8, 8 reads:
  /// 0.48 against 0.44 s).
  @_transparent
  static func accepts<R: FloatLaneRule>(
    _ rule: R.Type, _ x: FloatLanes, _ rng: inout Xoshiro256PlusPlus
  ) -> SIMDMask<SIMD8<Int32>>? {
    let bound = R.bound(x)
    let u = draw(&rng)
    if quiet(bound, u) { return nil }
    let t = threshold(R.probability(x), bound, u)
    return (FloatPackedSystem.uniforms(&rng) .< t) .| R.certain(x)
  }

  /// The lanes' thresholds once the group is not quiet: the first
  /// candidate K by inversion on u, 0 before K, p_K / p̄_K at K and p_k
  /// after it; lane k accepts iff its own uniform lies below (or it is
  /// certain). Not generic, so that it inlines into every sweep.
  ///
  /// With Q_k = Π_{j≤k}(1 − p̄_j), u < A_k iff 1 − u > Q_k; the product
  /// form resolves A_k to 2^−24 absolute, the resolution of the lanes'
  /// uniforms.
  @inline(__always)
  static func threshold(_ p: FloatLanes, _ bound: FloatLanes, _ u: Double) -> FloatLanes {
    let q = FloatLanes(repeating: 1) - bound
    // Exclusive products, within each half and then across.
    let lo = SIMD4<Float>(1, q[0], q[1], q[2])
    let hi = SIMD4<Float>(q[3], q[4], q[5], q[6])
    let lo1 = lo * SIMD4<Float>(1, lo[0], lo[1], lo[2])
    let hi1 = hi * SIMD4<Float>(1, hi[0], hi[1], hi[2])
    let lo2 = lo1 * SIMD4<Float>(1, 1, lo1[0], lo1[1])
    let hi2 = hi1 * SIMD4<Float>(1, 1, hi1[0], hi1[1]) * SIMD4<Float>(repeating: lo2[3])
    let exclusive = FloatLanes(lowHalf: lo2, highHalf: hi2)
    let inclusive = exclusive * q
    let v = FloatLanes(repeating: Float(1 - u))
    let after = v .> exclusive
    let first = (v .> inclusive) .& .!after
    var t = FloatLanes(repeating: 0)
    t.replace(with: p, where: after)
    t.replace(with: p / bound, where: first)
    return t
  }

  /// Whether any lane of `mask` is set (an OR of the halves, cheaper than
  /// the stdlib's `any`).
  @inline(__always)
  static func any(_ mask: SIMDMask<SIMD8<Int32>>) -> Bool {
    let m = unsafeBitCast(mask, to: SIMD8<Int32>.self)
    let four = m.lowHalf | m.highHalf
    let two = four.lowHalf | four.highHalf
    return two[0] | two[1] != 0
  }
}
