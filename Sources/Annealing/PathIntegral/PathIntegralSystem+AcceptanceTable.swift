// The slice proposals' acceptance from a table instead of −ln u (issue 22,
// round seven), on the Int8 fields (PathIntegralSystem+ByteFields.swift) at
// P = 16 and 32.
//
// There every coupling is ±c and every field an integer with |f| ≤ F =
// max_i(|h_i| + Σ_j |J_ij|) ≤ 127, so a slice proposal's action change
//
//     ΔS = 2 s (J⊥ (s⁻ + s⁺) − a f) = 4 J⊥ r − 2 a g,
//     r = s (s⁻ + s⁺) / 2 ∈ {−1, 0, 1},  g = s f ∈ [−F, F],
//
// takes at most 3 (2F + 1) values at a given (a, J⊥). For each, the table
// holds T = ⌈2³² min(1, e^{−ΔS})⌉ − 1 (0 ≤ T < 2³²), and the proposal is
// accepted iff u ≤ T for a uniform 32-bit u: with probability (T + 1)/2³²,
// which is min(1, e^{−ΔS}) to within 2⁻³² (exactly 1 when ΔS ≤ 0; 2⁻³²
// when e^{−ΔS} ≤ 2⁻³²; −ln u with 24-bit uniforms was within about 2⁻²⁴
// and never accepted ΔS > 17.3). The table is rebuilt whenever (a, J⊥)
// changes (once a sweep under a schedule: about 3 (2F + 1) stores, a
// multiplication per fractional entry and a few calls to exp, against
// P·n proposals).
//
// u is read 16 bits at a time: its high half u_h is one 16-bit half of a
// lane word of the slice generator (SliceLaneGenerator.swift; one step
// gives eight), compared with T's high half T_h; only on a tie (u_h = T_h,
// probability 2⁻¹⁶) is the low half drawn, from the read's xoshiro256++,
// and compared with T's low half: u ≤ T iff u_h < T_h, or u_h = T_h and
// u_l ≤ T_l. So the decisions are those of a 32-bit comparison while the
// lanes spend 16 bits a proposal; no probability is rounded to 2⁻¹⁶.
// SSE2 compares signed lanes only: the table keeps T_h with its top bit
// flipped (sign-extended to 32 bits, so a lookup is one `movd`), and the
// lane's 16 bits, sign-extended, are taken as u_h with its top bit flipped
// (uniform either way), so that u_h > T_h iff the signed 32-bit lanes
// compare greater. (xoshiro128+'s lowest bits have low linear complexity;
// here they are the lowest bits of half the u_h, which weigh 2⁻¹⁶…2⁻¹³ in
// u: each is still uniform, and the acceptance counts match those of −ln u,
// PathIntegralAcceptanceTableTests.)
//
// The index of an entry comes from Float arithmetic on the slices and the
// fields the passes already hold: s (K (s⁻ + s⁺) + f) + C with K = (2F +
// 1)/2 and C = 3F + 1 is (r + 1)(2F + 1) + g + F, an integer in [0,
// 6F + 3), exact in Float; adding 1.5·2²³ puts it in the low 16 bits of
// the result's bit pattern, so each index is one `pextrw` away (baseline
// x86-64 has no gathers: a lookup is `pextrw`, `movd` and about one
// unpack).
//
// A seed's samples on this path differ from those of −ln u (another
// sequence of random decisions with the same probabilities to within
// about 2⁻²⁴); they are the same at any thread count and in any process.

import QUBOModel

extension PathIntegralSystem {
  /// Whether the slice proposals of a system with these settings are
  /// decided by the acceptance table: on Int8 fields at P = 16 and 32.
  static func acceptanceTableApplies(byteFields: Bool, trotter: Int) -> Bool {
    byteFields && (trotter == 16 || trotter == 32)
  }

  /// The number of table entries for fields bounded by `bound`: 3 (2F + 1).
  static func acceptanceTableCount(bound: Int) -> Int { 3 * (2 * bound + 1) }

  /// T = ⌈2³² min(1, e^{−x})⌉ − 1 computed from p = e^{−x} (given, so that
  /// callers may form it by multiplication): the largest 32-bit u to
  /// accept. Exactly 2³² − 1 for x ≤ 0 and 0 when p ≤ 2⁻³². The table is
  /// filled four entries at a time by `fractionalAcceptanceThresholds`;
  /// this entry-by-entry form is the reference its tests compare with.
  @inline(__always)
  static func acceptanceThreshold(actionChange x: Double, probability p: Double) -> UInt32 {
    if x <= 0 { return .max }
    // ⌈v⌉ − 1 from the nearest integer of v, read from the bits of
    // v + 2⁵² (exact for 0 ≤ v ≤ 2³²): baseline x86-64 has no rounding
    // instruction (`rounded(.up)` calls ceil), and a checked conversion
    // tests its range.
    let scaled = min(p, 1) * 0x1p32
    let shifted = scaled + 0x1p52
    let nearest = Int64(bitPattern: shifted.bitPattern &- (0x1p52 as Double).bitPattern)
    let t = shifted - 0x1p52 >= scaled ? nearest &- 1 : nearest
    return UInt32(truncatingIfNeeded: max(t, 0))
  }

  /// `acceptanceThreshold` of four probabilities 0 < p (ΔS > 0) at once,
  /// without a branch, as the table stores them: T_h with its top bit
  /// flipped, sign-extended, and T_l. ⌈v⌉ − 1 is the low 32 bits of
  /// v + 2⁵² less one when v + 2⁵² rounded up (2⁵²'s low 32 bits are
  /// zero), and at least 0 since v > 0.
  @inline(__always)
  static func fractionalAcceptanceThresholds(
    _ p: SIMD4<Double>
  ) -> (high: SIMD4<Int32>, low: SIMD4<UInt16>) {
    let scaled = pointwiseMin(p, SIMD4(repeating: 1)) * 0x1p32
    let shifted = scaled + 0x1p52
    let roundedUp = unsafeBitCast(shifted - 0x1p52 .>= scaled, to: SIMD4<UInt64>.self)
    let t = SIMD4<UInt32>(
      truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD4<UInt64>.self) &+ roundedUp)
    let high = Int32(bitPattern: 0xFFFF_8000) ^ (unsafeBitCast(t, to: SIMD4<Int32>.self) &>> 16)
    return (high, SIMD4<UInt16>(truncatingIfNeeded: t))
  }

  /// Entries past the table's end that `prepareAcceptanceTable` may write.
  static let acceptanceTablePadding = 3

  /// The entry of T = 0 (u ≤ 0: accepted with probability 2⁻³²) and of
  /// T = 2³² − 1 (always accepted), high halves as stored.
  static let certainRejectHigh = Int32(Int16.min)
  static let certainAcceptHigh = Int32(Int16.max)

  /// Rebuilds the table for the slice proposals at `scale` (a) and `jPerp`
  /// (J⊥) if they changed since it was built.
  ///
  /// Entry (r + 1)(2F + 1) + g + F holds ΔS = 4 J⊥ r − 2 a g, which falls
  /// as g grows: each row is a run of T = 0 (e^{−ΔS} ≤ 2⁻³², ΔS ≥ 32 ln 2),
  /// a run of fractional T and a run of T = 2³² − 1 (ΔS ≤ 0). Along the
  /// middle run the probabilities form a geometric sequence: it starts
  /// from a call to exp and multiplies by e^{2a} (re-anchored every 16
  /// steps; the relative error stays below 10⁻¹⁴).
  func prepareAcceptanceTable(scale: SliceFloat, jPerp: SliceFloat) {
    guard usesAcceptanceTable else { return }
    if scale == acceptanceTableScale && jPerp == acceptanceTableJPerp { return }
    acceptanceTableScale = scale
    acceptanceTableJPerp = jPerp
    // The skip-ahead bound's weights: R ΔS = s (R 2J⊥ (s⁻ + s⁺) − R 2a f).
    skipPairWeight = SliceFloat(2 * Double(jPerp) * Self.skipBinsPerUnit)
    skipFieldWeight = SliceFloat(2 * Double(scale) * Self.skipBinsPerUnit)
    let bound = acceptanceFieldBound
    let width = 2 * bound + 1
    let a = Double(scale)
    assert(a >= 0, "the table's runs need ΔS to fall with g")
    let j = Double(jPerp)
    let step = exp(2 * a)
    let certainReject = 32 * M_LN2
    for r in -1...1 {
      let row = (r + 1) * width + bound
      let slice = 4 * j * Double(r)
      @inline(__always)
      func actionChange(_ g: Int) -> Double { slice - 2 * a * Double(g) }
      // The first g of −F...F + 1 with ΔS below `limit` (or at most it):
      // a guess from the line, then steps to the exact boundary of the
      // very expression the entries use.
      func first(below limit: Double, orEqual: Bool) -> Int {
        func inside(_ g: Int) -> Bool {
          orEqual ? actionChange(g) <= limit : actionChange(g) < limit
        }
        var g = -bound
        if a > 0 {
          let guess = ((slice - limit) / (2 * a)).rounded(.down)
          g = Int(max(Double(-bound), min(Double(bound + 1), guess)))
        }
        while g > -bound && inside(g - 1) { g -= 1 }
        while g <= bound && !inside(g) { g += 1 }
        return g
      }
      let middleStart = first(below: certainReject, orEqual: false)
      let acceptStart = max(middleStart, first(below: 0, orEqual: true))
      let high = acceptanceHigh + row
      let low = acceptanceLow + row
      (high - bound).update(
        repeating: Self.certainRejectHigh, count: middleStart + bound)
      (low - bound).update(repeating: 0, count: middleStart + bound)
      // Blocks of 16 from a call to exp, × e^{2a} between, four entries at
      // a time (`fractionalAcceptanceThresholds`): a block's last group may
      // write up to three entries past its end, which the next block or
      // the run of T = 2³² − 1 overwrites (the table has
      // `acceptanceTablePadding` entries past its last row for that).
      // ΔS > 0 before `acceptStart` (ΔS falls with g, a ≥ 0), so the
      // entries need neither ΔS nor its test, and p > 2⁻³³ there, as the
      // branch-free form needs. The entries are those of the form entry by
      // entry (`acceptanceThreshold`, the same sequence of p; tests).
      var g = middleStart
      while g < acceptStart {
        let blockEnd = min(g &+ 16, acceptStart)
        var p = exp(-actionChange(g))
        while g < blockEnd {
          let p1 = p * step
          let p2 = p1 * step
          let p3 = p2 * step
          let t = Self.fractionalAcceptanceThresholds(SIMD4(p, p1, p2, p3))
          UnsafeMutableRawPointer(high + g).storeBytes(of: t.high, as: SIMD4<Int32>.self)
          UnsafeMutableRawPointer(low + g).storeBytes(of: t.low, as: SIMD4<UInt16>.self)
          p = p3 * step
          g &+= 4
        }
        g = blockEnd
      }
      (high + acceptStart).update(
        repeating: Self.certainAcceptHigh, count: bound + 1 - acceptStart)
      (low + acceptStart).update(repeating: .max, count: bound + 1 - acceptStart)
    }
  }

  /// The checkerboard of `proposeSlicesVector` (colour-split layout, P a
  /// multiple of 16) with each proposal decided by the acceptance table:
  /// for each eight slices of a colour, one step of `lanes` gives the
  /// eight 16-bit high halves of u, and ties draw the low halves from
  /// `rng` (`resolveAcceptanceTies`).
  ///
  /// - Parameter vectorsPerColour: P/8, 2 or 4; a constant, so that each
  ///   form is straight-line code.
  /// - Parameter forced: lanes (slice positions) whose decision is given:
  ///   where `mask` is set, the rejection is `reject`'s lane instead of the
  ///   table's (`proposeSlicesThinned`).
  @inline(__always)
  func proposeSlicesByTable(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, rng: inout Xoshiro256PlusPlus,
    vectorsPerColour: Int, forced: (mask: UnsafeRawPointer, reject: UnsafeRawPointer)? = nil
  ) -> (changed: Int, dot: SliceFloat) {
    let oddStart = vectorsPerColour &* 16
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let changeBytes = UnsafeMutableRawPointer(sliceChange)
    let high = acceptanceHigh
    let weight = SliceVector(repeating: acceptanceNeighbourWeight)
    let bias = SliceVector(repeating: acceptanceIndexBias)
    // −(rejected proposals), lane-wise: a flip always changes the slice,
    // so P plus this is the number of changed slices.
    var rejected = SIMD4<Int32>(repeating: 0)
    // Σ s f over the new slices: at P = 16 summed as the passes go; at
    // P = 32 read back after both passes (kept in registers through the
    // passes there, they were spilled to the stack: 26.3 → 25.1
    // instructions a proposal; at P = 16 reading back cost 30.4 → 31.4).
    let dotAfterPasses = vectorsPerColour == 4
    var dot = SliceVector(repeating: 0)
    // The table index of slices `v` with neighbour sum `pair` and fields
    // `field`, in the low 16 bits of each 32-bit lane.
    @inline(__always)
    func indexBits(_ v: SliceVector, _ pair: SliceVector, _ field: SliceVector) -> SIMD8<UInt16> {
      unsafeBitCast(v * (weight * pair + field) + bias, to: SIMD8<UInt16>.self)
    }
    // Decides eight proposals (`v0`, `v1`) and stores the new slices at
    // byte offsets `at0`, `at1`. The high halves of u are one lane step:
    // for `v0` the low 16 bits of each word, for `v1` the high 16 bits,
    // each sign-extended to compare with the table's T_h in 32-bit lanes.
    @inline(__always)
    func decide(
      _ v0: SliceVector, _ pair0: SliceVector, _ field0: SliceVector, at at0: Int,
      _ v1: SliceVector, _ pair1: SliceVector, _ field1: SliceVector, at at1: Int
    ) {
      let words = unsafeBitCast(lanes.next(rightShift: rightShift), to: SIMD4<Int32>.self)
      let words0 = (words &<< 16) &>> 16
      let words1 = words &>> 16
      let index0 = indexBits(v0, pair0, field0)
      let index1 = indexBits(v1, pair1, field1)
      let thresholds0 = SIMD4<Int32>(
        high[Int(index0[0])], high[Int(index0[2])], high[Int(index0[4])], high[Int(index0[6])])
      let thresholds1 = SIMD4<Int32>(
        high[Int(index1[0])], high[Int(index1[2])], high[Int(index1[4])], high[Int(index1[6])])
      var reject0 = Self.acceptanceRejections(words0, thresholds0)
      var reject1 = Self.acceptanceRejections(words1, thresholds1)
      let ties = (words0 .== thresholds0) .| (words1 .== thresholds1)
      if unsafeBitCast(ties, to: UInt128.self) != 0 {
        (reject0, reject1) = resolveAcceptanceTies(
          words0, thresholds0, index0, words1, thresholds1, index1, rng: &rng)
      }
      // Skip-ahead (PathIntegralSystem+SkipAhead.swift): lanes before the
      // first candidate rejected, the first candidate's decision given.
      if let forced {
        reject0 =
          (reject0 & ~forced.mask.loadUnaligned(fromByteOffset: at0, as: SIMD4<UInt32>.self))
          | forced.reject.loadUnaligned(fromByteOffset: at0, as: SIMD4<UInt32>.self)
        reject1 =
          (reject1 & ~forced.mask.loadUnaligned(fromByteOffset: at1, as: SIMD4<UInt32>.self))
          | forced.reject.loadUnaligned(fromByteOffset: at1, as: SIMD4<UInt32>.self)
      }
      let new0 = Self.flip(v0, unless: reject0)
      let new1 = Self.flip(v1, unless: reject1)
      spinBytes.storeBytes(of: new0, toByteOffset: at0, as: SliceVector.self)
      spinBytes.storeBytes(of: new1, toByteOffset: at1, as: SliceVector.self)
      changeBytes.storeBytes(of: new0 - v0, toByteOffset: at0, as: SliceVector.self)
      changeBytes.storeBytes(of: new1 - v1, toByteOffset: at1, as: SliceVector.self)
      rejected &+= unsafeBitCast(reject0, to: SIMD4<Int32>.self)
      rejected &+= unsafeBitCast(reject1, to: SIMD4<Int32>.self)
      if !dotAfterPasses { dot += new0 * field0 + new1 * field1 }
    }
    // Even slice 2m (position m): neighbours are odd slices 2m ± 1, at
    // positions P/2 + m − 1 and P/2 + m. `oddBefore` is the odd vector
    // before the group's first (the last one for the first group).
    @inline(__always)
    func evenGroup(_ c: Int, _ oddBefore: SliceVector) -> SliceVector {
      let at0 = c &* 16
      let at1 = at0 &+ 16
      let odd0 = spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at0, as: SliceVector.self)
      let odd1 = spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at1, as: SliceVector.self)
      let previous0 = SliceVector(oddBefore[3], odd0[0], odd0[1], odd0[2])
      let previous1 = SliceVector(odd0[3], odd1[0], odd1[1], odd1[2])
      decide(
        spinBytes.loadUnaligned(fromByteOffset: at0, as: SliceVector.self), previous0 + odd0,
        fieldBytes.loadUnaligned(fromByteOffset: at0, as: SliceVector.self), at: at0,
        spinBytes.loadUnaligned(fromByteOffset: at1, as: SliceVector.self), previous1 + odd1,
        fieldBytes.loadUnaligned(fromByteOffset: at1, as: SliceVector.self), at: at1)
      return odd1
    }
    // Odd slice 2m + 1 (position P/2 + m): neighbours are the new even
    // slices 2m and 2m + 2, at positions m and m + 1 (wrapping to 0).
    @inline(__always)
    func oddGroup(_ c: Int) {
      let at0 = c &* 16
      let at1 = at0 &+ 16
      let even0 = spinBytes.loadUnaligned(fromByteOffset: at0, as: SliceVector.self)
      let even1 = spinBytes.loadUnaligned(fromByteOffset: at1, as: SliceVector.self)
      let evenAfter = spinBytes.loadUnaligned(
        fromByteOffset: c &+ 2 == vectorsPerColour ? 0 : at1 &+ 16, as: SliceVector.self)
      let next0 = SliceVector(even0[1], even0[2], even0[3], even1[0])
      let next1 = SliceVector(even1[1], even1[2], even1[3], evenAfter[0])
      decide(
        spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at0, as: SliceVector.self),
        even0 + next0,
        fieldBytes.loadUnaligned(fromByteOffset: oddStart &+ at0, as: SliceVector.self),
        at: oddStart &+ at0,
        spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at1, as: SliceVector.self),
        even1 + next1,
        fieldBytes.loadUnaligned(fromByteOffset: oddStart &+ at1, as: SliceVector.self),
        at: oddStart &+ at1)
    }
    // Written out per P (the loop over groups was not unrolled at P = 32,
    // and its state went through the stack).
    let lastOdd = spinBytes.loadUnaligned(
      fromByteOffset: oddStart &+ (vectorsPerColour &- 1) &* 16, as: SliceVector.self)
    if vectorsPerColour == 2 {
      _ = evenGroup(0, lastOdd)
      oddGroup(0)
    } else {
      let odd1 = evenGroup(0, lastOdd)
      _ = evenGroup(2, odd1)
      oddGroup(0)
      oddGroup(2)
    }
    var at = 0
    while dotAfterPasses && at < vectorsPerColour &* 32 {
      dot +=
        spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        * fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      at &+= 16
    }
    // Σ s f in two vector steps instead of `sum()`'s chain of lane
    // additions: every term and partial sum is an integer below 2²⁴ (Int8
    // fields), so the order does not change the result.
    let halves = dot + SliceVector(dot[2], dot[3], dot[0], dot[1])
    let changed = vectorsPerColour &* 8 &+ Int(rejected.wrappedSum())
    return (changed, halves[0] + halves[1])
  }

  /// The rejections of two vectors of proposals, some of whose high
  /// halves of u tied with the table's (`words` = `thresholds` in some
  /// lanes; rare: 2⁻¹⁶ a proposal): for each tied lane, `v0`'s in lane
  /// order then `v1`'s, the low half from the top 16 bits of a draw of
  /// `rng`, rejected iff above T's low half. A lane's table index is in the
  /// even 16-bit lane 2l of its `index`.
  @inline(never)
  func resolveAcceptanceTies(
    _ words0: SIMD4<Int32>, _ thresholds0: SIMD4<Int32>, _ index0: SIMD8<UInt16>,
    _ words1: SIMD4<Int32>, _ thresholds1: SIMD4<Int32>, _ index1: SIMD8<UInt16>,
    rng: inout Xoshiro256PlusPlus
  ) -> (SIMD4<UInt32>, SIMD4<UInt32>) {
    func rejections(
      _ words: SIMD4<Int32>, _ thresholds: SIMD4<Int32>, _ index: SIMD8<UInt16>
    ) -> SIMD4<UInt32> {
      var reject = SIMD4<UInt32>(repeating: 0)
      for lane in 0..<4 {
        if words[lane] > thresholds[lane] {
          reject[lane] = .max
        } else if words[lane] == thresholds[lane] {
          let low = UInt16(truncatingIfNeeded: rng.next() >> 48)
          reject[lane] = low > acceptanceLow[Int(index[2 * lane])] ? .max : 0
        }
      }
      return reject
    }
    let reject0 = rejections(words0, thresholds0, index0)
    return (reject0, rejections(words1, thresholds1, index1))
  }

  /// All bits set in the lanes whose proposal the high halves reject:
  /// `words` (u_h with its top bit flipped, sign-extended) above
  /// `thresholds` (the table's T_h, stored the same way), i.e. u_h > T_h.
  @inline(__always)
  static func acceptanceRejections(
    _ words: SIMD4<Int32>, _ thresholds: SIMD4<Int32>
  ) -> SIMD4<UInt32> {
    unsafeBitCast(words .> thresholds, to: SIMD4<UInt32>.self)
  }

  /// `v` with its sign flipped in the lanes where `reject` is zero.
  @inline(__always)
  static func flip(_ v: SliceVector, unless reject: SIMD4<UInt32>) -> SliceVector {
    let bits = unsafeBitCast(v, to: SIMD4<UInt32>.self) ^ (~reject & 0x8000_0000)
    return unsafeBitCast(bits, to: SliceVector.self)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
