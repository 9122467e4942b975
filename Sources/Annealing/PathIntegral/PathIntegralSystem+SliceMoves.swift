// The P single-slice proposals of one spin, as a checkerboard in imaginary
// time. Slice k interacts within spin i only with k ± 1, so the even slices
// are independent given the odd ones and vice versa: all even slices are
// decided at once, branch-free, then all odd slices; with odd P the last
// slice (adjacent to slice 0) is decided alone after them. This replaces a
// chain of P dependent, unpredictable decisions (a slice-by-slice loop ran
// at about half the speed). Three forms, by P:
// - P a multiple of 8: four proposals share each SSE instruction on the
//   colour-split layout, a colour's neighbours being the other colour
//   shifted by one lane (`proposeSlicesVector`);
// - P = 4, 8, 12: the spin's slices held in registers
//   (`proposeSlicesFour`, `proposeSlicesEight`, `proposeSlicesTwelve`);
// - P = 4 mod 8 (12, 20, …): each colour is a masked pass over the
//   natural layout, four slices a vector (`proposeSlicesQuads`);
// - otherwise a scalar loop over a ring buffer (`proposeSlicesScalar`).
// Each writes the new slices, d_k = s_new − s_old to `sliceChange`, and
// returns how many slices changed and Σ_k s_new^k f^k (for the worldline
// move). Each slice is flipped iff −ln u_k > ΔS_k (see
// PathIntegralSystem.swift), with −ln u_k from `negativeLogUniforms`.

extension PathIntegralSystem {
  /// The checkerboard over slices k = 0..<P of one spin (any P), one slice
  /// at a time through `sliceRing`.
  @inline(__always)
  func proposeSlicesScalar(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    let slices = trotter
    let ring = sliceRing
    let minusLogs = negativeLogUniforms
    let change = sliceChange
    let lastAlone = slices > 1 && slices % 2 == 1
    ring[0] = siteSpins[slices &- 1]
    for k in 0..<slices { ring[k &+ 1] = siteSpins[k] }
    ring[slices &+ 1] = siteSpins[0]
    // Even slices (all independent given the odd ones), then odd slices.
    let evenEnd = lastAlone ? slices &- 1 : slices
    var k = 0
    while k < evenEnd {
      ring[k &+ 1] = Self.propose(
        ring[k &+ 1], ring[k] + ring[k &+ 2], field: siteFields[k], log: minusLogs[k],
        scale: scale, jPerp: jPerp)
      k &+= 2
    }
    ring[0] = ring[slices]
    ring[slices &+ 1] = ring[1]
    k = 1
    while k < slices {
      ring[k &+ 1] = Self.propose(
        ring[k &+ 1], ring[k] + ring[k &+ 2], field: siteFields[k], log: minusLogs[k],
        scale: scale, jPerp: jPerp)
      k &+= 2
    }
    if lastAlone {
      ring[slices] = Self.propose(
        ring[slices], ring[slices &- 1] + ring[1], field: siteFields[slices &- 1],
        log: minusLogs[slices &- 1], scale: scale, jPerp: jPerp)
    }
    var changed = 0
    // Two partial sums in registers: independent additions instead of one
    // chain. (Indexing a SIMD4 accumulator by k & 3 went through the stack,
    // and each reload stalled on the store before it: 45 % of P = 4 sweeps.)
    var dotEven: SliceFloat = 0
    var dotOdd: SliceFloat = 0
    var slice = 0
    while slice &+ 1 < slices {
      let new0 = ring[slice &+ 1]
      let new1 = ring[slice &+ 2]
      let change0 = new0 - siteSpins[slice]
      let change1 = new1 - siteSpins[slice &+ 1]
      siteSpins[slice] = new0
      siteSpins[slice &+ 1] = new1
      change[slice] = change0
      change[slice &+ 1] = change1
      changed &+= Self.isNonzero(change0) &+ Self.isNonzero(change1)
      dotEven += new0 * siteFields[slice]
      dotOdd += new1 * siteFields[slice &+ 1]
      slice &+= 2
    }
    if slice < slices {
      let new = ring[slice &+ 1]
      let changeK = new - siteSpins[slice]
      siteSpins[slice] = new
      change[slice] = changeK
      changed &+= Self.isNonzero(changeK)
      dotEven += new * siteFields[slice]
    }
    return (changed, dotEven + dotOdd)
  }

  /// The checkerboard for P a multiple of 8, four slices per instruction,
  /// on the colour-split layout (`position(ofSlice:)`): the even slices of
  /// a spin are positions 0..<P/2, the odd ones P/2..<P, so each colour is
  /// loaded as whole vectors, and the imaginary-time neighbours of a colour
  /// are the other colour shifted by one lane.
  ///
  /// The new even slices are stored before the odd pass reloads them from
  /// the same addresses with the same width, which keeps store-to-load
  /// forwarding fast. −ln u_k is used in position order (the values are
  /// i.i.d., so any assignment is equally valid).
  ///
  /// - Parameter vectorsPerColour: P/8; a constant for P = 16 and 32
  ///   (`SixteenSliceMoves`, `ThirtyTwoSliceMoves`), so that the loops are
  ///   unrolled and every address is a constant offset.
  @inline(__always)
  func proposeSlicesVector(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat, vectorsPerColour: Int
  ) -> (changed: Int, dot: SliceFloat) {
    let oddStart = vectorsPerColour &* 4 * MemoryLayout<SliceFloat>.stride
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let changeBytes = UnsafeMutableRawPointer(sliceChange)
    let logBytes = UnsafeRawPointer(negativeLogUniforms)
    // ΔS = 2 s (J⊥ (s⁻ + s⁺) − a f): the factor 2 is folded into both.
    let twoJPerp = SliceVector(repeating: 2 * jPerp)
    let twoScale = SliceVector(repeating: 2 * scale)
    var changed = SIMD4<Int32>(repeating: 0)
    var dot = SliceVector(repeating: 0)
    // Even slice 2m (position m): neighbours are odd slices 2m ± 1, at
    // positions P/2 + m − 1 and P/2 + m.
    var oddBefore = spinBytes.loadUnaligned(
      fromByteOffset: oddStart &+ (vectorsPerColour &- 1) &* 16, as: SliceVector.self)
    for c in 0..<vectorsPerColour {
      let at = c &* 16
      let odd = spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at, as: SliceVector.self)
      let previous = SliceVector(oddBefore[3], odd[0], odd[1], odd[2])
      oddBefore = odd
      let even = spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      let evenField = fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      let actionChange = even * (twoJPerp * (previous + odd) - twoScale * evenField)
      let minusLog = logBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      let new = Self.flip(even, where: minusLog .> actionChange)
      spinBytes.storeBytes(of: new, toByteOffset: at, as: SliceVector.self)
      changeBytes.storeBytes(of: new - even, toByteOffset: at, as: SliceVector.self)
      changed &-= unsafeBitCast(new .!= even, to: SIMD4<Int32>.self)
      dot += new * evenField
    }
    // Odd slice 2m + 1 (position P/2 + m): neighbours are the new even
    // slices 2m and 2m + 2, at positions m and m + 1 (wrapping to 0).
    for c in 0..<vectorsPerColour {
      let at = c &* 16
      let even = spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      let evenAfter = spinBytes.loadUnaligned(
        fromByteOffset: c &+ 1 == vectorsPerColour ? 0 : at &+ 16, as: SliceVector.self)
      let next = SliceVector(even[1], even[2], even[3], evenAfter[0])
      let odd = spinBytes.loadUnaligned(fromByteOffset: oddStart &+ at, as: SliceVector.self)
      let oddField = fieldBytes.loadUnaligned(
        fromByteOffset: oddStart &+ at, as: SliceVector.self)
      let actionChange = odd * (twoJPerp * (even + next) - twoScale * oddField)
      let minusLog = logBytes.loadUnaligned(fromByteOffset: oddStart &+ at, as: SliceVector.self)
      let new = Self.flip(odd, where: minusLog .> actionChange)
      spinBytes.storeBytes(of: new, toByteOffset: oddStart &+ at, as: SliceVector.self)
      changeBytes.storeBytes(of: new - odd, toByteOffset: oddStart &+ at, as: SliceVector.self)
      changed &-= unsafeBitCast(new .!= odd, to: SIMD4<Int32>.self)
      dot += new * oddField
    }
    return (Int(changed.wrappedSum()), dot.sum())
  }

  /// The checkerboard for P a multiple of 4 but not of 8 (P = 12, 20, …;
  /// P = 4 has `proposeSlicesFour`).
  ///
  /// On the natural layout: slices 4c..<4c + 4 are one vector, even slices
  /// are lanes 0 and 2 of every vector, odd slices lanes 1 and 3. Each
  /// colour is one masked pass over all P/4 vectors: the even pass reads
  /// only odd neighbours (unchanged during it), the odd pass the new even
  /// ones.
  @inline(__always)
  func proposeSlicesQuads(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    let vectors = trotter / 4
    let lastVector = (vectors &- 1) &* 16
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let changeBytes = UnsafeMutableRawPointer(sliceChange)
    let logBytes = UnsafeRawPointer(negativeLogUniforms)
    let twoJPerp = SliceVector(repeating: 2 * jPerp)
    let twoScale = SliceVector(repeating: 2 * scale)
    let parity = SIMD4<Int32>(0, 1, 0, 1)
    let evenLanes = parity .== 0
    let oddLanes = parity .== 1
    // The old slices, for d_k.
    for c in 0..<vectors {
      let at = c &* 16
      changeBytes.storeBytes(
        of: spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self),
        toByteOffset: at, as: SliceVector.self)
    }
    for pass in 0..<2 {
      let lanes = pass == 0 ? evenLanes : oddLanes
      // Slice 4c − 1, wrapping to P − 1 for c = 0 (read before any store of
      // this pass could change it: in the even pass it is odd, and in the odd
      // pass lane 3 of the last vector is not the one that lane 0 needs).
      var sliceBefore = spinBytes.loadUnaligned(
        fromByteOffset: lastVector, as: SliceVector.self)[3]
      for c in 0..<vectors {
        let at = c &* 16
        let current = spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        let sliceAfter = spinBytes.load(
          fromByteOffset: c &+ 1 == vectors ? 0 : at &+ 16, as: SliceFloat.self)
        let previous = SliceVector(sliceBefore, current[0], current[1], current[2])
        let next = SliceVector(current[1], current[2], current[3], sliceAfter)
        sliceBefore = current[3]
        let field = fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        let actionChange = current * (twoJPerp * (previous + next) - twoScale * field)
        let minusLog = logBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        let new = Self.flip(current, where: (minusLog .> actionChange) .& lanes)
        spinBytes.storeBytes(of: new, toByteOffset: at, as: SliceVector.self)
      }
    }
    var changed = SIMD4<Int32>(repeating: 0)
    var dot = SliceVector(repeating: 0)
    for c in 0..<vectors {
      let at = c &* 16
      let new = spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      let old = changeBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      changeBytes.storeBytes(of: new - old, toByteOffset: at, as: SliceVector.self)
      changed &-= unsafeBitCast(new .!= old, to: SIMD4<Int32>.self)
      dot += new * fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
    }
    return (Int(changed.wrappedSum()), dot.sum())
  }

  /// The checkerboard for P = 4 in registers: the four slices of the spin
  /// are one vector, their imaginary-time neighbours two rotations of it.
  ///
  /// The same arithmetic as `proposeSlicesQuads` with one vector (the same
  /// samples for a seed), without its stores and reloads between passes.
  @inline(__always)
  func proposeSlicesFour(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let old = spinBytes.loadUnaligned(as: SliceVector.self)
    let field = UnsafeRawPointer(siteFields).loadUnaligned(as: SliceVector.self)
    let minusLog = UnsafeRawPointer(negativeLogUniforms).loadUnaligned(as: SliceVector.self)
    let twoJPerp = SliceVector(repeating: 2 * jPerp)
    let twoScale = SliceVector(repeating: 2 * scale)
    // Even slices 0 and 2, then odd slices 1 and 3 with the new even ones.
    let previousOld = SliceVector(old[3], old[0], old[1], old[2])
    let nextOld = SliceVector(old[1], old[2], old[3], old[0])
    let evenChange = old * (twoJPerp * (previousOld + nextOld) - twoScale * field)
    let even = Self.flip(old, where: minusLog .> evenChange, signs: evenSliceSigns)
    let previous = SliceVector(even[3], even[0], even[1], even[2])
    let next = SliceVector(even[1], even[2], even[3], even[0])
    let oddChange = even * (twoJPerp * (previous + next) - twoScale * field)
    let new = Self.flip(even, where: minusLog .> oddChange, signs: oddSliceSigns)
    spinBytes.storeBytes(of: new, as: SliceVector.self)
    UnsafeMutableRawPointer(sliceChange).storeBytes(of: new - old, as: SliceVector.self)
    let changed = unsafeBitCast(new .!= old, to: SIMD4<Int32>.self)
    return (Int(0 &- changed.wrappedSum()), (new * field).sum())
  }

  /// The checkerboard for P = 8 in registers: one vector per colour of
  /// the colour-split layout.
  ///
  /// The same arithmetic as `proposeSlicesVector` with one vector a colour
  /// (the same samples for a seed), without its loops and reloads.
  @inline(__always)
  func proposeSlicesEight(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let logBytes = UnsafeRawPointer(negativeLogUniforms)
    let twoJPerp = SliceVector(repeating: 2 * jPerp)
    let twoScale = SliceVector(repeating: 2 * scale)
    // Slices 0, 2, 4, 6 and 1, 3, 5, 7.
    let even = spinBytes.loadUnaligned(as: SliceVector.self)
    let odd = spinBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self)
    let evenField = fieldBytes.loadUnaligned(as: SliceVector.self)
    let oddField = fieldBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self)
    let previous = SliceVector(odd[3], odd[0], odd[1], odd[2])
    let evenChange = even * (twoJPerp * (previous + odd) - twoScale * evenField)
    let newEven = Self.flip(
      even, where: logBytes.loadUnaligned(as: SliceVector.self) .> evenChange)
    let next = SliceVector(newEven[1], newEven[2], newEven[3], newEven[0])
    let oddChange = odd * (twoJPerp * (newEven + next) - twoScale * oddField)
    let newOdd = Self.flip(
      odd, where: logBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self) .> oddChange)
    spinBytes.storeBytes(of: newEven, as: SliceVector.self)
    spinBytes.storeBytes(of: newOdd, toByteOffset: 16, as: SliceVector.self)
    let changeBytes = UnsafeMutableRawPointer(sliceChange)
    changeBytes.storeBytes(of: newEven - even, as: SliceVector.self)
    changeBytes.storeBytes(of: newOdd - odd, toByteOffset: 16, as: SliceVector.self)
    let changed =
      unsafeBitCast(newEven .!= even, to: SIMD4<Int32>.self)
      &+ unsafeBitCast(newOdd .!= odd, to: SIMD4<Int32>.self)
    return (Int(0 &- changed.wrappedSum()), (newEven * evenField + newOdd * oddField).sum())
  }

  /// The checkerboard for P = 12 in registers: slices 0–3, 4–7 and 8–11
  /// are three vectors, each colour one masked pass over them.
  ///
  /// The same arithmetic as `proposeSlicesQuads` with three vectors (the
  /// same samples for a seed), without its stores and reloads.
  @inline(__always)
  func proposeSlicesTwelve(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> (changed: Int, dot: SliceFloat) {
    let spinBytes = UnsafeMutableRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let logBytes = UnsafeRawPointer(negativeLogUniforms)
    let twoJPerp = SliceVector(repeating: 2 * jPerp)
    let twoScale = SliceVector(repeating: 2 * scale)
    let old0 = spinBytes.loadUnaligned(as: SliceVector.self)
    let old1 = spinBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self)
    let old2 = spinBytes.loadUnaligned(fromByteOffset: 32, as: SliceVector.self)
    let field0 = fieldBytes.loadUnaligned(as: SliceVector.self)
    let field1 = fieldBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self)
    let field2 = fieldBytes.loadUnaligned(fromByteOffset: 32, as: SliceVector.self)
    let log0 = logBytes.loadUnaligned(as: SliceVector.self)
    let log1 = logBytes.loadUnaligned(fromByteOffset: 16, as: SliceVector.self)
    let log2 = logBytes.loadUnaligned(fromByteOffset: 32, as: SliceVector.self)
    // One colour's proposals on vector `v` whose imaginary-time neighbours
    // are `previous` and `next`; `signs` has the sign bit in the lanes of
    // that colour (the other lanes of the neighbour vectors are unused).
    @inline(__always)
    func pass(
      _ v: SliceVector, _ previous: SliceVector, _ next: SliceVector, _ field: SliceVector,
      _ minusLog: SliceVector, _ signs: SIMD4<UInt32>
    ) -> SliceVector {
      let actionChange = v * (twoJPerp * (previous + next) - twoScale * field)
      return Self.flip(v, where: minusLog .> actionChange, signs: signs)
    }
    // Even lanes 0 and 2 of vector v: slices 4v − 1, 4v + 1 and 4v + 1,
    // 4v + 3 (one shuffle each).
    @inline(__always)
    func evenPass(
      _ v: SliceVector, _ before: SliceVector, _ field: SliceVector, _ minusLog: SliceVector,
      _ signs: SIMD4<UInt32>
    ) -> SliceVector {
      pass(
        v, SliceVector(before[3], before[3], v[1], v[1]), SliceVector(v[1], v[1], v[3], v[3]),
        field, minusLog, signs)
    }
    // Odd lanes 1 and 3: slices 4v, 4v + 2 and 4v + 2, 4v + 4.
    @inline(__always)
    func oddPass(
      _ v: SliceVector, _ after: SliceVector, _ field: SliceVector, _ minusLog: SliceVector,
      _ signs: SIMD4<UInt32>
    ) -> SliceVector {
      pass(
        v, SliceVector(v[0], v[0], v[2], v[2]), SliceVector(v[2], v[2], after[0], after[0]),
        field, minusLog, signs)
    }
    let evenSigns = evenSliceSigns
    let even0 = evenPass(old0, old2, field0, log0, evenSigns)
    let even1 = evenPass(old1, old0, field1, log1, evenSigns)
    let even2 = evenPass(old2, old1, field2, log2, evenSigns)
    let oddSigns = oddSliceSigns
    let new0 = oddPass(even0, even1, field0, log0, oddSigns)
    let new1 = oddPass(even1, even2, field1, log1, oddSigns)
    let new2 = oddPass(even2, even0, field2, log2, oddSigns)
    spinBytes.storeBytes(of: new0, as: SliceVector.self)
    spinBytes.storeBytes(of: new1, toByteOffset: 16, as: SliceVector.self)
    spinBytes.storeBytes(of: new2, toByteOffset: 32, as: SliceVector.self)
    let changeBytes = UnsafeMutableRawPointer(sliceChange)
    changeBytes.storeBytes(of: new0 - old0, as: SliceVector.self)
    changeBytes.storeBytes(of: new1 - old1, toByteOffset: 16, as: SliceVector.self)
    changeBytes.storeBytes(of: new2 - old2, toByteOffset: 32, as: SliceVector.self)
    let changed =
      unsafeBitCast(new0 .!= old0, to: SIMD4<Int32>.self)
      &+ unsafeBitCast(new1 .!= old1, to: SIMD4<Int32>.self)
      &+ unsafeBitCast(new2 .!= old2, to: SIMD4<Int32>.self)
    let dot = new0 * field0 + new1 * field1 + new2 * field2
    return (Int(0 &- changed.wrappedSum()), dot.sum())
  }

  /// `v` with the lanes selected by `mask` and `signs` (the sign bit in
  /// the lanes that may flip, from memory: see `evenSliceSigns`) negated.
  @inline(__always)
  static func flip(
    _ v: SliceVector, where mask: SIMDMask<SIMD4<Int32>>, signs: SIMD4<UInt32>
  ) -> SliceVector {
    let m = SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(mask, to: SIMD4<Int32>.self))
    let bits = unsafeBitCast(v, to: SIMD4<UInt32>.self) ^ (m & signs)
    return unsafeBitCast(bits, to: SliceVector.self)
  }

  /// `v` with the lanes selected by `mask` negated (sign bit flipped).
  @inline(__always)
  static func flip(_ v: SliceVector, where mask: SIMDMask<SIMD4<Int32>>) -> SliceVector {
    let m = SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(mask, to: SIMD4<Int32>.self))
    let bits = unsafeBitCast(v, to: SIMD4<UInt32>.self) ^ (m & 0x8000_0000)
    return unsafeBitCast(bits, to: SliceVector.self)
  }

  /// The new value of a slice spin `spin` whose imaginary-time neighbours
  /// sum to `pair`: flipped iff −ln u > 2 s^k (J⊥ (s^{k−1} + s^{k+1}) − a
  /// f^k), without a branch.
  @inline(__always)
  static func propose(
    _ spin: SliceFloat, _ pair: SliceFloat, field: SliceFloat, log minusLog: SliceFloat,
    scale: SliceFloat, jPerp: SliceFloat
  ) -> SliceFloat {
    let actionChange = 2 * spin * (jPerp * pair - scale * field)
    let flip: UInt32 = minusLog > actionChange ? 0x8000_0000 : 0
    return SliceFloat(bitPattern: spin.bitPattern ^ flip)
  }

  /// 1 if `x` is not ±0, else 0, without a branch.
  @inline(__always)
  static func isNonzero(_ x: SliceFloat) -> Int {
    Int(((x.bitPattern & 0x7FFF_FFFF) &+ 0x7FFF_FFFF) >> 31)
  }
}
