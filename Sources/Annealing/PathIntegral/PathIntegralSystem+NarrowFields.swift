// Int16 fields for integer models (issue 22, round four).
//
// When every h_i and J_ij is an integer and every |f_i^k| is at most
// `QuantizedSystem.maxBound` (4096; bounded by max_i |h_i| + Σ_j |J_ij|),
// the fields are kept as Int16 instead of Float: the update over all slices
// then moves 8 slices per SSE register instead of 4 (P = 8: one vector a
// neighbour instead of two; P = 16: two instead of four; P = 32: four
// instead of eight). Integer sums in this range are exact in both types, and
// wrapping Int16 arithmetic gives the exact result whenever the result is
// in range, so the fields, and with them the samples, are the same bit for
// bit as with Float fields.
//
// The slice moves still read Float fields: at each site the P Int16 fields
// are converted into `siteFieldScratch` (a few instructions a site), and
// the proposals, the worldline sum and the slice energies read that. A
// site's own fields do not change while it is visited (no self-coupling).
// Used for P = 8, 12, 16, 32 (P = 12 as an 8-lane and a 4-lane Int16
// vector a neighbour, against three Float vectors; at P = 4 a neighbour is
// one Float vector already, and 4 Int16 lanes save no instruction), unless
// the Int8 fields apply (PathIntegralSystem+ByteFields.swift).

import QUBOModel

/// Which fields a sweep reads and updates, as a type so that the choice is
/// a constant of each specialisation of the sweep (as a `Bool` argument it
/// was tested at every spin and cost the Float path 12 instructions a
/// proposal at P = 4).
protocol SliceFieldStorage {
  /// Whether the Int16 fields are the ones kept up to date.
  static var narrow: Bool { get }
  /// Whether the Int8 fields are (PathIntegralSystem+ByteFields.swift).
  static var bytes: Bool { get }
}

/// The Float fields.
enum FloatSliceFields: SliceFieldStorage {
  static var narrow: Bool { false }
  static var bytes: Bool { false }
}

/// The Int16 fields.
enum NarrowSliceFields: SliceFieldStorage {
  static var narrow: Bool { true }
  static var bytes: Bool { false }
}

extension PathIntegralSystem {
  /// Whether the fields of `problem` can be kept as Int16 at `trotter`
  /// slices: P is 8, 12, 16 or 32, every h_i and J_ij is an integer, and
  /// max_i(|h_i| + Σ_j |J_ij|) ≤ `QuantizedSystem.maxBound`.
  static func narrowFieldsApply(to problem: IsingProblem, trotter: Int) -> Bool {
    guard trotter == 8 || trotter == 12 || trotter == 16 || trotter == 32 else { return false }
    guard problem.h.allSatisfy({ $0 == $0.rounded() }),
      problem.coupling.allSatisfy({ $0 == $0.rounded() })
    else { return false }
    return problem.maxAbsField <= Double(QuantizedSystem.maxBound)
  }

  /// Converts the Int16 fields of spin `i` into `siteFieldScratch` and
  /// returns it: 8 lanes a step, then (P = 12) the last 4.
  @inline(__always)
  func expandNarrowFields(ofSpin i: Int) -> UnsafeMutablePointer<SliceFloat> {
    let source = UnsafeRawPointer(narrowFields + (i &* trotter))
    let target = UnsafeMutableRawPointer(siteFieldScratch)
    var at = 0
    while at &+ 8 <= trotter {
      let narrow = source.loadUnaligned(fromByteOffset: at &* 2, as: SIMD8<Int16>.self)
      let wide = Self.float(fromIntegers: SIMD8<Int32>(truncatingIfNeeded: narrow))
      target.storeBytes(of: wide, toByteOffset: at &* 4, as: SIMD8<SliceFloat>.self)
      at &+= 8
    }
    if at < trotter {
      let narrow = source.loadUnaligned(fromByteOffset: at &* 2, as: SIMD4<Int16>.self)
      let integers = SIMD4<Int32>(truncatingIfNeeded: narrow) &+ SIMD4(repeating: Self.magicBits)
      let wide = unsafeBitCast(integers, to: SliceVector.self) - SliceVector(repeating: 0x1.8p23)
      target.storeBytes(of: wide, toByteOffset: at &* 4, as: SliceVector.self)
    }
    return siteFieldScratch
  }

  /// `applySliceChanges` on the Int16 fields: the slice energies as there,
  /// the neighbours' fields f_j^k += J_ij d_k in Int16.
  @inline(__always)
  func applyNarrowSliceChanges(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>, changed: Int, sparseLimit: Int
  ) {
    let firstEdge = Int(rowStart[i])
    let endEdge = Int(rowStart[i &+ 1])
    if changed <= sparseLimit {
      let list = flippedSlices
      let count = listChangedSlices(change)
      let magnitude = couplingMagnitude
      let split = Int(negativeStart[i])
      for c in 0..<count {
        let k = Int(list[c])
        let changeK = change[k]
        sliceEnergy[k] += Double(changeK * siteFields[k])
        let sliceFields = narrowFields + k
        if magnitude != 0 {
          // ±c couplings: c·d_k and −c·d_k once, then an add a neighbour.
          let plus = Self.lowBits(magnitude * changeK)
          let minus = 0 &- plus
          for e in firstEdge..<split { sliceFields[Int(edges[e].offset)] &+= plus }
          for e in split..<endEdge { sliceFields[Int(edges[e].offset)] &+= minus }
        } else {
          for e in firstEdge..<endEdge {
            let edge = edges[e]
            sliceFields[Int(edge.offset)] &+= Self.lowBits(edge.coupling * changeK)
          }
        }
      }
    } else {
      addNarrowChangesOverAllSlices(ofSpin: i, fields: siteFields, change: change)
    }
  }

  /// `addChangesOverAllSlices` on the Int16 fields, P = 8, 12, 16 or 32.
  @inline(never)
  func addNarrowChangesOverAllSlices(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>
  ) {
    let slices = trotter
    let firstEdge = Int(rowStart[i])
    let endEdge = Int(rowStart[i &+ 1])
    addSliceEnergyChanges(change, siteFields)
    let split = Int(negativeStart[i])
    if slices == 8 {
      addNarrowChanges(SIMD8<Int16>.self, change, firstEdge, split, endEdge)
    } else if slices == 12 {
      addNarrowChanges(
        SIMD8<Int16>.self, SIMD4<Int16>.self, change, firstEdge, split, endEdge)
    } else if slices == 16 {
      addNarrowChanges(SIMD16<Int16>.self, change, firstEdge, split, endEdge)
    } else {
      addNarrowChanges(
        SIMD16<Int16>.self, change, firstEdge, split, endEdge, secondHalf: true)
    }
  }

  /// d_k as Int16 lanes, slices `first`..<`first` + V.scalarCount (a
  /// multiple of 8, or 4: then 8 slices are read, within `sliceChange`'s
  /// padding to a multiple of 8, and the first 4 kept).
  @inline(__always)
  func narrowChange<V: SIMD>(
    _: V.Type, _ change: UnsafeMutablePointer<SliceFloat>, from first: Int
  ) -> V where V.Scalar == Int16 {
    var d = V()
    var k = 0
    while k < V.scalarCount {
      let wide = UnsafeRawPointer(change + (first &+ k)).loadUnaligned(
        as: SIMD8<SliceFloat>.self)
      let narrow = SIMD8<Int16>(truncatingIfNeeded: Self.integers(fromFloat: wide))
      for lane in 0..<min(8, V.scalarCount) { d[k &+ lane] = narrow[lane] }
      k &+= 8
    }
    return d
  }

  /// f_j^k += J_ij d_k on Int16 lanes for every neighbour j.
  ///
  /// With ±c couplings (`couplingMagnitude`) c·d and −c·d are computed
  /// once, else J_ij·d per neighbour. `secondHalf`: P = 2·V.scalarCount,
  /// two vectors a neighbour.
  @inline(__always)
  func addNarrowChanges<V: SIMD>(
    _: V.Type, _ change: UnsafeMutablePointer<SliceFloat>, _ firstEdge: Int, _ split: Int,
    _ endEdge: Int, secondHalf: Bool = false
  ) where V.Scalar == Int16 {
    let d0 = narrowChange(V.self, change, from: 0)
    let d1 = secondHalf ? narrowChange(V.self, change, from: V.scalarCount) : V()
    let second = MemoryLayout<Int16>.stride &* V.scalarCount
    @inline(__always)
    func add(_ edge: Int, _ x0: V, _ x1: V) {
      let target = UnsafeMutableRawPointer(narrowFields + Int(edges[edge].offset))
      target.storeBytes(of: target.loadUnaligned(as: V.self) &+ x0, as: V.self)
      if secondHalf {
        target.storeBytes(
          of: target.loadUnaligned(fromByteOffset: second, as: V.self) &+ x1,
          toByteOffset: second, as: V.self)
      }
    }
    if couplingMagnitude != 0 {
      let c = Self.lowBits(couplingMagnitude)
      let plus0 = c &* d0
      let plus1 = c &* d1
      for e in firstEdge..<split { add(e, plus0, plus1) }
      let minus0 = 0 &- plus0
      let minus1 = 0 &- plus1
      for e in split..<endEdge { add(e, minus0, minus1) }
    } else {
      for e in firstEdge..<endEdge {
        let coupling = V(repeating: Self.lowBits(edges[e].coupling))
        add(e, coupling &* d0, coupling &* d1)
      }
    }
  }

  /// `addNarrowChanges` with the P slices as two vectors of different
  /// widths, `A` then `B` (P = 12: 8 + 4 lanes).
  @inline(__always)
  func addNarrowChanges<A: SIMD, B: SIMD>(
    _: A.Type, _: B.Type, _ change: UnsafeMutablePointer<SliceFloat>, _ firstEdge: Int,
    _ split: Int, _ endEdge: Int
  ) where A.Scalar == Int16, B.Scalar == Int16 {
    let d0 = narrowChange(A.self, change, from: 0)
    let d1 = narrowChange(B.self, change, from: A.scalarCount)
    let second = MemoryLayout<Int16>.stride &* A.scalarCount
    @inline(__always)
    func add(_ edge: Int, _ x0: A, _ x1: B) {
      let target = UnsafeMutableRawPointer(narrowFields + Int(edges[edge].offset))
      target.storeBytes(of: target.loadUnaligned(as: A.self) &+ x0, as: A.self)
      target.storeBytes(
        of: target.loadUnaligned(fromByteOffset: second, as: B.self) &+ x1,
        toByteOffset: second, as: B.self)
    }
    if couplingMagnitude != 0 {
      let c = Self.lowBits(couplingMagnitude)
      let plus0 = c &* d0
      let plus1 = c &* d1
      for e in firstEdge..<split { add(e, plus0, plus1) }
      let minus0 = 0 &- plus0
      let minus1 = 0 &- plus1
      for e in split..<endEdge { add(e, minus0, minus1) }
    } else {
      for e in firstEdge..<endEdge {
        let coupling = Self.lowBits(edges[e].coupling)
        add(e, A(repeating: coupling) &* d0, B(repeating: coupling) &* d1)
      }
    }
  }

  // Conversions between integer-valued Float and integers without the
  // conversion instructions' range checks (Swift's checked conversions, and
  // its generic SIMD ones, cost tens of instructions a lane): for an integer
  // x with |x| < 2²², x + 1.5·2²³ holds x in the low bits of its
  // significand, its bit pattern being 0x4B40_0000 + x.

  /// The bit pattern of 1.5·2²³.
  static let magicBits: Int32 = 0x4B40_0000

  /// x mod 2¹⁶ for an integer-valued x with |x| < 2²².
  @inline(__always)
  static func lowBits(_ x: SliceFloat) -> Int16 {
    Int16(truncatingIfNeeded: (x + 0x1.8p23).bitPattern)
  }

  /// The integers held by integer-valued lanes with |x| < 2²².
  @inline(__always)
  static func integers(fromFloat x: SIMD8<SliceFloat>) -> SIMD8<Int32> {
    unsafeBitCast(x + SIMD8(repeating: 0x1.8p23), to: SIMD8<Int32>.self)
      &- SIMD8(repeating: magicBits)
  }

  /// Integers with |x| < 2²² as Float lanes.
  @inline(__always)
  static func float(fromIntegers x: SIMD8<Int32>) -> SIMD8<SliceFloat> {
    unsafeBitCast(x &+ SIMD8(repeating: magicBits), to: SIMD8<SliceFloat>.self)
      - SIMD8(repeating: 0x1.8p23)
  }

  /// The fields as Float, from the Int16 or Int8 copies when those are the
  /// ones kept up to date, in storage order (tests).
  func currentFields() -> [SliceFloat] {
    (0..<(n * trotter)).map {
      usesByteFields
        ? SliceFloat(byteFields[$0])
        : usesNarrowFields ? SliceFloat(narrowFields[$0]) : fields[$0]
    }
  }
}
