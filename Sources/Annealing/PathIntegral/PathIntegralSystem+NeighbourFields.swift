// After the slices of spin i changed by d_k = s_new^k − s_old^k, the caches
// that depend on spin i: the slice energies, H_p(s^k) += d_k f_i^k, and the
// neighbours' fields, f_j^k += J_ij d_k. Two ways, by how many slices
// changed:
// - slice by slice, when at most `sparseLimit` did (the usual case late in
//   an anneal): the changed slices are listed without branches, then each
//   is added to every neighbour;
// - otherwise as one contiguous loop over k per neighbour, with explicit
//   SSE vectors when P is a multiple of 4 (d held in registers for P = 4,
//   8, 12, 16, 32).
// The edges are packed (offset j·P, J_ij) pairs, one 8-byte load each, a
// row's positive couplings before its negative ones: when every coupling is
// ±c, the update over all slices computes c·d and −c·d once and adds them
// without a multiply. (Slice by slice it keeps one loop with the multiply:
// two loops, split at the sign, cost a second mispredicted loop exit per
// changed slice — callgrind's branch simulation, P = 4: 1.16 against 0.92
// mispredictions a spin — for one multiply saved per neighbour.)

extension PathIntegralSystem {
  /// Brings the slice energies and the neighbours' fields up to date after
  /// `changed` (> 0) slices of spin `i` changed by `change` (d_k, the
  /// `sliceChange` buffer).
  ///
  /// - Parameters:
  ///   - siteFields: f_i^k, the fields of spin i's slices.
  ///   - sparseLimit: up to this many changed slices, update slice by slice.
  ///   - vectorUpdates: P is a multiple of 4 (vector loops over slices).
  ///
  /// The sweep passes in what it holds in registers already (the buffers,
  /// the flags), so that none of it is reloaded from `self` per spin.
  @inline(__always)
  func applySliceChanges(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>, changed: Int, sparseLimit: Int,
    vectorUpdates: Bool
  ) {
    let firstEdge = Int(rowStart[i])
    let endEdge = Int(rowStart[i &+ 1])
    if changed <= sparseLimit {
      // ΔE^k = d_k f_i^k over the changed slices.
      let list = flippedSlices
      let count = listChangedSlices(change)
      for c in 0..<count {
        let k = Int(list[c])
        let changeK = change[k]
        sliceEnergy[k] += Double(changeK * siteFields[k])
        let sliceFields = fields + k
        for e in firstEdge..<endEdge {
          let edge = edges[e]
          sliceFields[Int(edge.offset)] += edge.coupling * changeK
        }
      }
    } else {
      addChangesOverAllSlices(
        ofSpin: i, fields: siteFields, change: change, vectorUpdates: vectorUpdates)
    }
  }

  /// Lists the slices k with d_k ≠ 0 in `flippedSlices`, without
  /// branches, and returns how many there are.
  @inline(__always)
  func listChangedSlices(_ change: UnsafeMutablePointer<SliceFloat>) -> Int {
    let list = flippedSlices
    var count = 0
    for k in 0..<trotter {
      list[count] = Int32(truncatingIfNeeded: k)
      count &+= Self.isNonzero(change[k])
    }
    return count
  }

  /// The neighbours' fields and slice energies after many slices of spin
  /// `i` changed: one loop over all slices per neighbour.
  ///
  /// Not inlined: it costs hundreds of instructions a call, and inlined into
  /// every form of the sweep it made the compiler outline the whole update
  /// instead (about 8 instructions a spin more at P = 4).
  @inline(never)
  func addChangesOverAllSlices(
    ofSpin i: Int, fields siteFields: UnsafeMutablePointer<SliceFloat>,
    change: UnsafeMutablePointer<SliceFloat>, vectorUpdates: Bool
  ) {
    let slices = trotter
    let firstEdge = Int(rowStart[i])
    let endEdge = Int(rowStart[i &+ 1])
    if vectorUpdates {
      addSliceEnergyChanges(change, siteFields)
    } else {
      for k in 0..<slices { sliceEnergy[k] += Double(change[k] * siteFields[k]) }
    }
    let split = Int(negativeStart[i])
    if couplingMagnitude != 0 && slices == 4 {
      addChangesBySign(SIMD4<SliceFloat>.self, change, firstEdge, split, endEdge)
    } else if couplingMagnitude != 0 && slices == 8 {
      addChangesBySign(SIMD8<SliceFloat>.self, change, firstEdge, split, endEdge)
    } else if couplingMagnitude != 0 && slices == 16 {
      addChangesBySign(SIMD16<SliceFloat>.self, change, firstEdge, split, endEdge)
    } else if couplingMagnitude != 0 && slices == 32 {
      addChangesBySign(
        SIMD16<SliceFloat>.self, SIMD16<SliceFloat>.self, change, firstEdge, split, endEdge)
    } else if couplingMagnitude != 0 && slices == 12 {
      addChangesBySign(
        SIMD8<SliceFloat>.self, SIMD4<SliceFloat>.self, change, firstEdge, split, endEdge)
    } else if vectorUpdates {
      addChangesByVectors(change, firstEdge: firstEdge, endEdge: endEdge)
    } else {
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fields + Int(edge.offset)
        let coupling = edge.coupling
        for k in 0..<slices { neighbourFields[k] += coupling * change[k] }
      }
    }
  }

  /// H_p(s^k) += d_k f_i^k for every slice, P (a multiple of 4) slices
  /// four at a time: the same products and sums as one slice at a time
  /// (the loop the compiler vectorised itself checked aliasing at every
  /// call).
  @inline(__always)
  func addSliceEnergyChanges(
    _ change: UnsafeMutablePointer<SliceFloat>, _ siteFields: UnsafeMutablePointer<SliceFloat>
  ) {
    let changeBytes = UnsafeRawPointer(change)
    let fieldBytes = UnsafeRawPointer(siteFields)
    let energyBytes = UnsafeMutableRawPointer(sliceEnergy)
    var k = 0
    while k < trotter {
      let product =
        changeBytes.loadUnaligned(fromByteOffset: k &* 4, as: SliceVector.self)
        * fieldBytes.loadUnaligned(fromByteOffset: k &* 4, as: SliceVector.self)
      let low = SIMD2<Double>(Double(product[0]), Double(product[1]))
      let high = SIMD2<Double>(Double(product[2]), Double(product[3]))
      energyBytes.storeBytes(
        of: energyBytes.loadUnaligned(fromByteOffset: k &* 8, as: SIMD2<Double>.self) + low,
        toByteOffset: k &* 8, as: SIMD2<Double>.self)
      energyBytes.storeBytes(
        of: energyBytes.loadUnaligned(fromByteOffset: k &* 8 &+ 16, as: SIMD2<Double>.self)
          + high,
        toByteOffset: k &* 8 &+ 16, as: SIMD2<Double>.self)
      k &+= 4
    }
  }

  /// f_j^k += ±c·d_k for every neighbour j and slice k when every coupling
  /// is ±c (`couplingMagnitude`), with P = `V.scalarCount`: c·d and −c·d are
  /// computed once, then each neighbour costs a load, an add and a store
  /// per vector (no multiply, no broadcast of J_ij). The sums are the same
  /// Float values as J_ij·d_k, so samples do not change.
  @inline(__always)
  func addChangesBySign<V: SIMD>(
    _: V.Type, _ change: UnsafeMutablePointer<SliceFloat>, _ firstEdge: Int, _ split: Int,
    _ endEdge: Int
  ) where V.Scalar == SliceFloat {
    let d = UnsafeRawPointer(change).loadUnaligned(as: V.self)
    let plus = couplingMagnitude * d
    let minus = -couplingMagnitude * d
    @inline(__always)
    func add(_ edge: Int, _ x: V) {
      let neighbourFields = UnsafeMutableRawPointer(fields + Int(edges[edge].offset))
      neighbourFields.storeBytes(
        of: neighbourFields.loadUnaligned(as: V.self) + x, as: V.self)
    }
    for e in firstEdge..<split { add(e, plus) }
    for e in split..<endEdge { add(e, minus) }
  }

  /// `addChangesBySign` with the P slices as two vectors, `A` then `B`
  /// (P = 12: 8 + 4; P = 32: 16 + 16; as one 32-lane vector the compiler
  /// spilled it: 14 times the instructions).
  @inline(__always)
  func addChangesBySign<A: SIMD, B: SIMD>(
    _: A.Type, _: B.Type, _ change: UnsafeMutablePointer<SliceFloat>, _ firstEdge: Int,
    _ split: Int, _ endEdge: Int
  ) where A.Scalar == SliceFloat, B.Scalar == SliceFloat {
    let changeBytes = UnsafeRawPointer(change)
    let second = MemoryLayout<SliceFloat>.stride &* A.scalarCount
    let d0 = changeBytes.loadUnaligned(as: A.self)
    let d1 = changeBytes.loadUnaligned(fromByteOffset: second, as: B.self)
    @inline(__always)
    func add(_ edge: Int, _ x0: A, _ x1: B) {
      let neighbourFields = UnsafeMutableRawPointer(fields + Int(edges[edge].offset))
      neighbourFields.storeBytes(of: neighbourFields.loadUnaligned(as: A.self) + x0, as: A.self)
      neighbourFields.storeBytes(
        of: neighbourFields.loadUnaligned(fromByteOffset: second, as: B.self) + x1,
        toByteOffset: second, as: B.self)
    }
    let plus0 = couplingMagnitude * d0
    let plus1 = couplingMagnitude * d1
    for e in firstEdge..<split { add(e, plus0, plus1) }
    let minus0 = -couplingMagnitude * d0
    let minus1 = -couplingMagnitude * d1
    for e in split..<endEdge { add(e, minus0, minus1) }
  }

  /// f_j^k += J_ij d_k for every neighbour j and slice k, four slices per
  /// instruction.
  ///
  /// For P a multiple of 4, over the CSR entries firstEdge..<endEdge of the
  /// current spin. Written with explicit vectors: the
  /// loop the compiler vectorises itself re-checks aliasing and peels for
  /// every neighbour (48 instructions a neighbour at P = 16; 24 here, with
  /// d held in registers for P = 4, 8, 12, 16, 32).
  @inline(__always)
  func addChangesByVectors(
    _ change: UnsafeMutablePointer<SliceFloat>, firstEdge: Int, endEdge: Int
  ) {
    let changeBytes = UnsafeRawPointer(change)
    @inline(__always)
    func add(_ neighbourFields: UnsafeMutableRawPointer, _ at: Int, _ x: SliceVector) {
      let v = neighbourFields.loadUnaligned(fromByteOffset: at, as: SliceVector.self) + x
      neighbourFields.storeBytes(of: v, toByteOffset: at, as: SliceVector.self)
    }
    @inline(__always)
    func changeVector(_ index: Int) -> SliceVector {
      changeBytes.loadUnaligned(fromByteOffset: index &* 16, as: SliceVector.self)
    }
    @inline(__always)
    func fieldsOf(_ edge: KernelEdge) -> UnsafeMutableRawPointer {
      UnsafeMutableRawPointer(fields + Int(edge.offset))
    }
    switch trotter {
    case 4:
      let change0 = changeVector(0)
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        add(fieldsOf(edge), 0, edge.coupling * change0)
      }
    case 8:
      let change0 = changeVector(0)
      let change1 = changeVector(1)
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fieldsOf(edge)
        add(neighbourFields, 0, edge.coupling * change0)
        add(neighbourFields, 16, edge.coupling * change1)
      }
    case 16:
      let change0 = changeVector(0)
      let change1 = changeVector(1)
      let change2 = changeVector(2)
      let change3 = changeVector(3)
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fieldsOf(edge)
        add(neighbourFields, 0, edge.coupling * change0)
        add(neighbourFields, 16, edge.coupling * change1)
        add(neighbourFields, 32, edge.coupling * change2)
        add(neighbourFields, 48, edge.coupling * change3)
      }
    case 12:
      let change0 = changeVector(0)
      let change1 = changeVector(1)
      let change2 = changeVector(2)
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fieldsOf(edge)
        add(neighbourFields, 0, edge.coupling * change0)
        add(neighbourFields, 16, edge.coupling * change1)
        add(neighbourFields, 32, edge.coupling * change2)
      }
    case 32:
      // Eight vectors of d and the broadcast coupling fit the 16 SSE registers.
      let change0 = changeVector(0)
      let change1 = changeVector(1)
      let change2 = changeVector(2)
      let change3 = changeVector(3)
      let change4 = changeVector(4)
      let change5 = changeVector(5)
      let change6 = changeVector(6)
      let change7 = changeVector(7)
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fieldsOf(edge)
        add(neighbourFields, 0, edge.coupling * change0)
        add(neighbourFields, 16, edge.coupling * change1)
        add(neighbourFields, 32, edge.coupling * change2)
        add(neighbourFields, 48, edge.coupling * change3)
        add(neighbourFields, 64, edge.coupling * change4)
        add(neighbourFields, 80, edge.coupling * change5)
        add(neighbourFields, 96, edge.coupling * change6)
        add(neighbourFields, 112, edge.coupling * change7)
      }
    default:
      let bytes = trotter &* MemoryLayout<SliceFloat>.stride
      for e in firstEdge..<endEdge {
        let edge = edges[e]
        let neighbourFields = fieldsOf(edge)
        let coupling = SliceVector(repeating: edge.coupling)
        var at = 0
        while at < bytes {
          add(
            neighbourFields, at,
            coupling * changeBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self))
          at &+= 16
        }
      }
    }
  }
}
