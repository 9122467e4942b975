// Int8 fields for integer models with ±c couplings and small fields
// (issue 22, round six).
//
// When every coupling is ±c (an integer, c ≤ 63), every h_i is an integer
// and every |f_i^k| is at most 127 (max_i |h_i| + Σ_j |J_ij| ≤ 127: ±1
// models of degree up to 127, such as the dense 800-spin, degree-48
// benchmark instance), the fields fit Int8, and the update over all slices
// moves 16 slices per SSE register: P = 16 one vector a neighbour instead
// of two Int16 ones, P = 32 two instead of four, and P = 12 one 16-byte
// vector whose last four lanes add zero (the first four fields of the next
// spin are read and written back unchanged; the buffer has 16 spare
// bytes) instead of an 8- and a 4-lane Int16 vector. The same argument as
// for Int16 (PathIntegralSystem+NarrowFields.swift) makes it exact: every
// field is an integer in range, wrapping Int8 arithmetic gives the exact
// sum whenever the sum is in range, and ±c·d_k (|c·d_k| ≤ 126) is an exact
// Int8; so fields, and with them the samples, are the Float path's bit for
// bit. The slice moves read Float fields converted from the Int8 ones into
// `siteFieldScratch`, as with Int16.
//
// The slice energies' changes d_k·f_k are summed in Float during a sweep
// (`sliceEnergyChange`, four slices an instruction) and added to the Double
// energies at its end. Exact, hence the same energies: every partial sum is
// an integer of magnitude at most n·2·max|f| ≤ 2²⁴ (required), and the
// energies are multiples of ¼ (the offset is required to be one, |offset|
// ≤ 2⁴⁰), so the Double additions are exact in any grouping.
//
// Not for P = 8 (8 Int8 lanes cost the same instructions as 8 Int16
// lanes), nor for couplings of several magnitudes (SSE2 has no Int8
// multiply; those keep Int16).

import QUBOModel

/// The Int8 fields.
enum ByteSliceFields: SliceFieldStorage {
  static var narrow: Bool { false }
  static var bytes: Bool { true }
}

extension PathIntegralSystem {
  /// Whether the fields of `problem` can be kept as Int8 at `trotter`
  /// slices: P is 12, 16 or 32, the fields fit Int16
  /// (`narrowFieldsApply(to:trotter:)`: integer h and J), every coupling
  /// is ±c with c = `couplingMagnitude` ≤ 63, max|f| = max_i(|h_i| +
  /// Σ_j |J_ij|) ≤ 127, n·2·max|f| ≤ 2²⁴, and the offset is a multiple of
  /// ¼ with |offset| ≤ 2⁴⁰ (the slice energies' Float sums are exact).
  static func byteFieldsApply(
    to problem: IsingProblem, trotter: Int, couplingMagnitude: SliceFloat
  ) -> Bool {
    guard trotter == 12 || trotter == 16 || trotter == 32 else { return false }
    guard couplingMagnitude > 0, couplingMagnitude <= 63 else { return false }
    let offset = problem.offset * 4
    guard offset == offset.rounded(), abs(problem.offset) <= 0x1p40 else { return false }
    let bound = problem.maxAbsField
    return narrowFieldsApply(to: problem, trotter: trotter) && bound <= 127
      && Double(problem.numSpins) * 2 * bound <= 0x1p24
  }

  /// Adds the sweep's `sliceEnergyChange` to `sliceEnergy` and clears it.
  func addSliceEnergyChangesOfSweep() {
    for k in 0..<trotter {
      sliceEnergy[k] += Double(sliceEnergyChange[k])
      sliceEnergyChange[k] = 0
    }
  }

  /// `sliceEnergyChange[k] += d_k f_k` for every slice, four at a time.
  ///
  /// - Parameter slices: P (a constant where the caller knows it, so that
  ///   the loop is unrolled).
  @inline(__always)
  func addSliceEnergyChangesInFloat(
    _ change: UnsafeMutablePointer<SliceFloat>, _ siteFields: UnsafeMutablePointer<SliceFloat>,
    slices: Int
  ) {
    let changeBytes = UnsafeRawPointer(change)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let sumBytes = UnsafeMutableRawPointer(sliceEnergyChange)
    var at = 0
    while at < slices &* 4 {
      let product =
        changeBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
        * fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
      sumBytes.storeBytes(
        of: sumBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self) + product,
        toByteOffset: at, as: SliceVector.self)
      at &+= 16
    }
  }

  /// Converts the Int8 fields of spin `i` into `siteFieldScratch` and
  /// returns it: 16 lanes a step (P = 12: the last four lanes are the next
  /// spin's, stored into the scratch's padding and never read).
  ///
  /// - Parameter slices: P (a constant where the form knows it, so that
  ///   the loop is unrolled).
  @inline(__always)
  func expandByteFields(ofSpin i: Int, slices: Int) -> UnsafeMutablePointer<SliceFloat> {
    let source = UnsafeRawPointer(byteFields + (i &* slices))
    let target = UnsafeMutableRawPointer(siteFieldScratch)
    var at = 0
    while at < slices {
      // Sign extension the SSE2 way: each byte unpacked with itself to a
      // word, each word with itself to a double word (the byte in all
      // four), then an arithmetic shift by 24 (`punpcklbw`, `punpcklwd`,
      // `psrad`). The generic conversions loaded the bytes two at a time
      // and worked on half vectors (about 50 instructions for 16 lanes).
      let b = source.loadUnaligned(fromByteOffset: at, as: SIMD16<Int8>.self)
      let low = unsafeBitCast(
        SIMD16<Int8>(
          b[0], b[0], b[1], b[1], b[2], b[2], b[3], b[3],
          b[4], b[4], b[5], b[5], b[6], b[6], b[7], b[7]),
        to: SIMD8<Int16>.self)
      let high = unsafeBitCast(
        SIMD16<Int8>(
          b[8], b[8], b[9], b[9], b[10], b[10], b[11], b[11],
          b[12], b[12], b[13], b[13], b[14], b[14], b[15], b[15]),
        to: SIMD8<Int16>.self)
      @inline(__always)
      func widen(_ w: SIMD8<Int16>, _ first: Int) -> SliceVector {
        let d = SIMD8<Int16>(
          w[first], w[first], w[first + 1], w[first + 1],
          w[first + 2], w[first + 2], w[first + 3], w[first + 3])
        return SliceVector(unsafeBitCast(d, to: SIMD4<Int32>.self) &>> 24)
      }
      let base = at &* 4
      target.storeBytes(of: widen(low, 0), toByteOffset: base, as: SliceVector.self)
      target.storeBytes(of: widen(low, 4), toByteOffset: base &+ 16, as: SliceVector.self)
      target.storeBytes(of: widen(high, 0), toByteOffset: base &+ 32, as: SliceVector.self)
      target.storeBytes(of: widen(high, 4), toByteOffset: base &+ 48, as: SliceVector.self)
      at &+= 16
    }
    return siteFieldScratch
  }

  /// `applySliceChanges` on the Int8 fields: the slice energies' changes
  /// into `sliceEnergyChange`, the neighbours' fields f_j^k ±= c·d_k in
  /// Int8.
  @inline(__always)
  func applyByteSliceChanges(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>, changed: Int, sparseLimit: Int
  ) {
    if changed <= sparseLimit {
      let firstEdge = Int(rowStart[i])
      let endEdge = Int(rowStart[i &+ 1])
      let list = flippedSlices
      let count = listChangedSlices(change)
      let magnitude = couplingMagnitude
      let split = Int(negativeStart[i])
      for c in 0..<count {
        let k = Int(list[c])
        let changeK = change[k]
        sliceEnergyChange[k] += changeK * siteFields[k]
        let sliceFields = byteFields + k
        let plus = Int8(truncatingIfNeeded: Self.lowBits(magnitude * changeK))
        let minus = 0 &- plus
        for e in firstEdge..<split { sliceFields[Int(edges[e].offset)] &+= plus }
        for e in split..<endEdge { sliceFields[Int(edges[e].offset)] &+= minus }
      }
    } else {
      addByteChangesOverAllSlices(ofSpin: i, fields: siteFields, change: change)
    }
  }

  /// The slice energies and the neighbours' Int8 fields after many slices
  /// of spin `i` changed: c·d and −c·d as Int8 lanes once, then one
  /// (P = 12, 16) or two (P = 32) 16-byte vectors a neighbour.
  @inline(never)
  func addByteChangesOverAllSlices(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>
  ) {
    switch trotter {
    case 16: addSliceEnergyChangesInFloat(change, siteFields, slices: 16)
    case 32: addSliceEnergyChangesInFloat(change, siteFields, slices: 32)
    default: addSliceEnergyChangesInFloat(change, siteFields, slices: trotter)
    }
    let firstEdge = Int(rowStart[i])
    let split = Int(negativeStart[i])
    let endEdge = Int(rowStart[i &+ 1])
    let twelve = trotter == 12
    let plus0 = byteChanges(change, from: 0, lanes: twelve ? 12 : 16)
    if trotter == 32 {
      let plus1 = byteChanges(change, from: 16, lanes: 16)
      addByteChanges(plus0, plus1, firstEdge, split, endEdge, two: true)
    } else {
      addByteChanges(plus0, SIMD16(), firstEdge, split, endEdge, two: false)
    }
  }

  /// c·d_k for slices `first`..<`first` + `lanes` as Int8 lanes (the
  /// other lanes of the 16 zero): the low byte of each integer-valued
  /// c·d_k + 1.5·2²³ (|c·d_k| ≤ 126).
  @inline(__always)
  func byteChanges(
    _ change: UnsafeMutablePointer<SliceFloat>, from first: Int, lanes: Int
  ) -> SIMD16<Int8> {
    let bytes = UnsafeRawPointer(change + first)
    let c = SliceVector(repeating: couplingMagnitude)
    @inline(__always)
    func quarter(_ q: Int) -> SIMD4<Int32> {
      let x = c * bytes.loadUnaligned(fromByteOffset: q &* 16, as: SliceVector.self)
      return unsafeBitCast(x + SliceVector(repeating: 0x1.8p23), to: SIMD4<Int32>.self)
    }
    let last = lanes == 16 ? quarter(3) : SIMD4<Int32>()
    let low = SIMD8<Int32>(lowHalf: quarter(0), highHalf: quarter(1))
    let high = SIMD8<Int32>(lowHalf: quarter(2), highHalf: last)
    return SIMD16<Int8>(truncatingIfNeeded: SIMD16<Int32>(lowHalf: low, highHalf: high))
  }

  /// f_j^k += x for every neighbour j before `split` (J_ij = +c) and −x
  /// from `split` on (J_ij = −c), one 16-byte vector a neighbour, or two
  /// (`two`: x0 then x1).
  @inline(__always)
  func addByteChanges(
    _ x0: SIMD16<Int8>, _ x1: SIMD16<Int8>, _ firstEdge: Int, _ split: Int, _ endEdge: Int,
    two: Bool
  ) {
    @inline(__always)
    func add(_ edge: Int, _ y0: SIMD16<Int8>, _ y1: SIMD16<Int8>) {
      let target = UnsafeMutableRawPointer(byteFields + Int(edges[edge].offset))
      target.storeBytes(
        of: target.loadUnaligned(as: SIMD16<Int8>.self) &+ y0, as: SIMD16<Int8>.self)
      if two {
        target.storeBytes(
          of: target.loadUnaligned(fromByteOffset: 16, as: SIMD16<Int8>.self) &+ y1,
          toByteOffset: 16, as: SIMD16<Int8>.self)
      }
    }
    for e in firstEdge..<split { add(e, x0, x1) }
    let minus0 = 0 &- x0
    let minus1 = 0 &- x1
    for e in split..<endEdge { add(e, minus0, minus1) }
  }
}
