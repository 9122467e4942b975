import QUBOModel

// The CSR arrays of an `IsingProblem`, copied once into raw memory that every
// read of a run shares read-only, so a kernel opens no array (no ARC, no
// bounds checks, no nested closures) inside its sweeps.

/// Read-only raw copies of a problem's CSR arrays, shared by all reads.
final class ProblemBuffers: @unchecked Sendable {
  /// The number of spins.
  let n: Int
  /// `h_i`.
  let h: UnsafeMutablePointer<Double>
  /// Row starts, `n + 1` entries.
  let start: UnsafeMutablePointer<Int32>
  /// Neighbour indices.
  let neighbor: UnsafeMutablePointer<Int32>
  /// `J_ij` per neighbour entry.
  let coupling: UnsafeMutablePointer<Double>
  /// The largest degree.
  let maxDegree: Int
  /// The constant term.
  let offset: Double
  /// `max_i (|h_i| + Σ_j |J_ij|)`: half the largest possible `|ΔE|`.
  let maxAbsField: Double

  /// Copies `problem`'s arrays. With `integerKernels` false (the Double-only
  /// local searches: tabu, steepest descent, polishing) the integer and Float
  /// layouts SA and PT choose between are not built: `quantum` is nil and
  /// `floatPacks` false whatever the biases are.
  init(_ problem: IsingProblem, integerKernels: Bool = true) {
    n = problem.numSpins
    let m = problem.neighbor.count
    h = .allocate(capacity: max(1, n))
    start = .allocate(capacity: n + 1)
    neighbor = .allocate(capacity: max(1, m))
    coupling = .allocate(capacity: max(1, m))
    for i in 0..<n { h[i] = problem.h[i] }
    var dmax = 0
    for i in 0...n { start[i] = problem.rowStart[i] }
    for i in 0..<n { dmax = max(dmax, Int(start[i + 1] - start[i])) }
    maxDegree = dmax
    for k in 0..<m {
      neighbor[k] = problem.neighbor[k]
      coupling[k] = problem.coupling[k]
    }
    offset = problem.offset
    let smax = problem.maxAbsField
    maxAbsField = smax
    let q =
      integerKernels
      ? ProblemBuffers.findQuantum(n: n, h: h, start: start, coupling: coupling) : nil
    quantum = q
    floatPacks = integerKernels && q == nil && FloatPackedSystem.fits(
      n: n, h: h, start: start, coupling: coupling, maxAbsField: smax)
    if let q {
      let hu = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
      let cu = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, m))
      for i in 0..<n { hu[i] = Int32(h[i] / q) }
      for k in 0..<m { cu[k] = Int32(coupling[k] / q) }
      let pe = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, m))
      for k in 0..<m {
        pe[k] =
          UInt64(UInt32(bitPattern: neighbor[k]))
          | UInt64(UInt32(bitPattern: cu[k])) << 32
      }
      hUnits = hu
      couplingUnits = cu
      packedEdges = pe
      signedRows = SignedRows(n: n, start: start, neighbor: neighbor, coupling: cu)
    } else {
      hUnits = nil
      couplingUnits = nil
      packedEdges = nil
      signedRows = nil
    }
  }

  /// `E(s) = offset + Σ h_i s_i + ½ Σ_i s_i Σ_j J_ij s_j`, from scratch.
  func energy(_ s: UnsafePointer<Int8>) -> Double {
    var e = offset
    var pair = 0.0
    for i in 0..<n {
      let si = Double(s[i])
      e += h[i] * si
      var f = 0.0
      for k in Int(start[i])..<Int(start[i + 1]) {
        f += coupling[k] * Double(s[Int(neighbor[k])])
      }
      pair += si * f
    }
    return e + pair / 2
  }

  deinit {
    h.deallocate()
    start.deallocate()
    neighbor.deallocate()
    coupling.deallocate()
    hUnits?.deallocate()
    couplingUnits?.deallocate()
    packedEdges?.deallocate()
  }

  /// The exact quantum `q` of the biases, when there is one.
  ///
  /// When every `h_i` and `J_ij` is an integer multiple of `q` (tried: 1,
  /// then 1/2, 1/4, …, 1/1024) and every `|h_i| + Σ_j |J_ij|` stays below
  /// 2^30 q, every local field is an exact Int32 multiple of `q`, and the
  /// quantised kernel (`QuantizedSystem`) runs in integer arithmetic. Nil
  /// when the buffers were built without `integerKernels`.
  let quantum: Double?
  /// Whether reads may run in Float packs (`FloatPackedSystem.fits`),
  /// decided once here: it sorts n values.
  let floatPacks: Bool
  /// `h_i / q` when `quantum` exists.
  let hUnits: UnsafeMutablePointer<Int32>?
  /// `J_ij / q` per neighbour entry when `quantum` exists.
  let couplingUnits: UnsafeMutablePointer<Int32>?
  /// Neighbour entries packed as `UInt32(j) | UInt64(J_ij / q) << 32`, so
  /// the integer kernel reads one word per edge.
  let packedEdges: UnsafeMutablePointer<UInt64>?
  /// The rows split by sign when every `J_ij / q` has one magnitude
  /// (SignedRows.swift).
  let signedRows: SignedRows?
  /// The integer form of the biases, when they have a quantum.
  var quantized: QuantizedBiases? {
    guard let quantum, let hUnits, let couplingUnits, let packedEdges else { return nil }
    return QuantizedBiases(
      q: quantum, h: hUnits, coupling: couplingUnits, edge: packedEdges, signed: signedRows)
  }

  /// The bound on `max_i (|h_i| + Σ_j |J_ij|) / q` for a quantum to count.
  static let quantumLimit = 0x1p30

  private static func findQuantum(
    n: Int, h: UnsafePointer<Double>, start: UnsafePointer<Int32>,
    coupling: UnsafePointer<Double>
  ) -> Double? {
    var q = 1.0
    for _ in 0...10 {
      if isMultiple(of: q, n: n, h: h, start: start, coupling: coupling) { return q }
      q /= 2
    }
    return nil
  }

  private static func isMultiple(
    of q: Double, n: Int, h: UnsafePointer<Double>, start: UnsafePointer<Int32>,
    coupling: UnsafePointer<Double>
  ) -> Bool {
    let limit = quantumLimit
    for i in 0..<n {
      var total = abs(h[i]) / q
      guard total == total.rounded() else { return false }
      for k in Int(start[i])..<Int(start[i + 1]) {
        let c = abs(coupling[k]) / q
        guard c == c.rounded() else { return false }
        total += c
      }
      guard total < limit else { return false }
    }
    return true
  }
}

/// Biases as integer multiples of a quantum `q` (views into `ProblemBuffers`).
struct QuantizedBiases {
  /// The quantum.
  let q: Double
  /// `h_i / q`.
  let h: UnsafeMutablePointer<Int32>
  /// `J_ij / q` per neighbour entry.
  let coupling: UnsafeMutablePointer<Int32>
  /// Neighbour entries packed as `UInt32(j) | UInt64(J_ij / q) << 32`.
  let edge: UnsafeMutablePointer<UInt64>
  /// The rows split by sign, when the couplings share one magnitude.
  let signed: SignedRows?
}
