// The couplings of a dense model as an n×n row-major matrix, so that an
// accepted flip of spin i updates every local field with one contiguous row
// operation, f_j += d·J_ij for j = 0 ..< n (d = 2 s_i' with s_i' the new
// spin), instead of a CSR gather that loads a neighbour index per entry.
//
// Implementation goals, in order of priority:
// 1. The same samples as the CSR kernels for the same seed. The row holds
//    J_ij at j and 0 elsewhere (J_ii = 0), so the row operation adds to
//    f_j exactly the product the CSR loop adds, and ±0 to the other fields.
//    Adding ±0 leaves a non-zero field unchanged and can only change the
//    sign of a zero one, which no acceptance rule sees (ΔE = ±0 is ≤ 0 for
//    Metropolis, and exp(±0) = 1 for the heat bath). The integer kernels are
//    exact anyway. So the RNG stream and every decision are those of CSR.
// 2. No index loads and a loop that vectorises: SIMD loads and stores over
//    the row and the fields (`addRow`), a scalar tail.
// 3. Bounded memory: dense rows only for at most `maxEntries` n² entries,
//    and (automatically) only from a density where they pay.
//
// The integer kernels share one Int16 matrix of J_ij / q: every model they
// accept has |J_ij / q| ≤ K ≤ QuantizedSystem.maxBound = 4096.

/// How the simulated-annealing kernels store the couplings they update
/// local fields from.
public enum CouplingLayout: String, Sendable, CaseIterable {
  /// Dense rows when the model is dense and small enough
  /// (`DenseRows.prefersDense`), CSR otherwise.
  case auto
  /// CSR (neighbour index and coupling per entry) always.
  case sparse
  /// Dense rows whenever n² is at most `DenseRows.maxEntries`.
  case dense
}

/// A problem's couplings as dense n×n row-major matrices, shared read-only
/// by all reads of a run.
final class DenseRows: @unchecked Sendable {
  /// The number of spins.
  let n: Int
  /// `J_ij` at `i·n + j` (0 where there is no coupling), when built.
  let real: UnsafeMutablePointer<Double>?
  /// `J_ij / q` at `i·n + j`, when built (biases with a quantum q only).
  let units: UnsafeMutablePointer<Int16>?

  /// The largest `n²` for which rows are built (128 MiB of Doubles).
  static let maxEntries = 1 << 24

  /// The density `m / (n(n − 1))` (m the directed CSR entries) from which
  /// `.auto` chooses dense rows.
  static let minDensity = 0.25

  /// Whether `layout` gives dense rows for `p`.
  static func chosen(_ layout: CouplingLayout, for p: ProblemBuffers) -> Bool {
    let n = p.n
    guard n > 1, n * n <= maxEntries else { return false }
    switch layout {
    case .sparse: return false
    case .dense: return true
    case .auto: return prefersDense(p)
    }
  }

  /// Whether dense rows pay on `p`: at least `minDensity` of all pairs
  /// coupled.
  static func prefersDense(_ p: ProblemBuffers) -> Bool {
    let n = Double(p.n)
    return Double(p.start[p.n]) >= minDensity * n * (n - 1)
  }

  /// Builds the Double rows (`real`) or, when `integer`, the Int16 rows of
  /// `J_ij / q` (`units`; `p` must have a quantum).
  init(_ p: ProblemBuffers, integer: Bool) {
    n = p.n
    let count = n * n
    if integer, let q = p.quantum {
      let rows = UnsafeMutablePointer<Int16>.allocate(capacity: count)
      rows.initialize(repeating: 0, count: count)
      for i in 0..<n {
        for k in Int(p.start[i])..<Int(p.start[i + 1]) {
          let at = i * n + Int(p.neighbor[k])
          rows[at] = rows[at] &+ Int16(p.coupling[k] / q)
        }
      }
      units = rows
      real = nil
    } else {
      let rows = UnsafeMutablePointer<Double>.allocate(capacity: count)
      rows.initialize(repeating: 0, count: count)
      for i in 0..<n {
        for k in Int(p.start[i])..<Int(p.start[i + 1]) {
          rows[i * n + Int(p.neighbor[k])] += p.coupling[k]
        }
      }
      real = rows
      units = nil
    }
  }

  deinit {
    real?.deallocate()
    units?.deallocate()
  }
}

/// `f[j] += d · row[j]` for `j ∈ 0 ..< n`, four lanes at a time.
///
/// Lane for lane the same multiply and add as the scalar loop, so the
/// result is bit-identical to it.
@inline(__always)
func addRow(
  _ row: UnsafePointer<Double>, times d: Double, to f: UnsafeMutablePointer<Double>, count n: Int
) {
  let rv = UnsafeRawPointer(row)
  let fv = UnsafeMutableRawPointer(f)
  let dv = SIMD4<Double>(repeating: d)
  let stride = MemoryLayout<SIMD4<Double>>.stride
  var j = 0
  var byte = 0
  while j &+ 4 <= n {
    let r = rv.loadUnaligned(fromByteOffset: byte, as: SIMD4<Double>.self)
    let x = fv.loadUnaligned(fromByteOffset: byte, as: SIMD4<Double>.self)
    fv.storeBytes(of: x + dv * r, toByteOffset: byte, as: SIMD4<Double>.self)
    j &+= 4
    byte &+= stride
  }
  while j < n {
    f[j] += d * row[j]
    j &+= 1
  }
}

/// `f[j] += d · row[j]` for `j ∈ 0 ..< n`, with Int16 weights, Int32
/// fields and `d ∈ {−2, 0, 2}` (a flip's 2 s_i'), eight lanes at a time.
///
/// Wrapping arithmetic, exact for every model the integer kernel accepts.
/// SSE2 has no 32-bit lane multiply, so `d·J` is `±(J << 1)`.
@inline(__always)
func addRow(
  _ row: UnsafePointer<Int16>, times d: Int32, to f: UnsafeMutablePointer<Int32>, count n: Int
) {
  if d == 0 { return }
  let rv = UnsafeRawPointer(row)
  let fv = UnsafeMutableRawPointer(f)
  // x ^ m − m is x for m = 0 and −x for m = −1.
  let m = SIMD8<Int32>(repeating: d < 0 ? -1 : 0)
  var j = 0
  while j &+ 8 <= n {
    let r = SIMD8<Int32>(
      truncatingIfNeeded: rv.loadUnaligned(fromByteOffset: j &* 2, as: SIMD8<Int16>.self))
    let x = fv.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Int32>.self)
    fv.storeBytes(of: x &+ (((r &<< 1) ^ m) &- m), toByteOffset: j &* 4, as: SIMD8<Int32>.self)
    j &+= 8
  }
  while j < n {
    f[j] &+= d &* Int32(row[j])
    j &+= 1
  }
}
