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
// 2. No index loads and a loop that vectorises (`addRow`).
// 3. Bounded memory: dense rows only for at most `maxEntries` n² entries,
//    and (automatically) only from a density where they pay.
//
// Where they pay, measured as instructions (callgrind, deterministic on a
// loaded machine) of the sampling kernel on 1000-spin models with each pair
// coupled with probability d, 50 sweeps, one thread, CSR / dense rows, in
// millions:
//
//   d                          0.05    0.1    0.2    0.3    0.5    1.0
//   Double kernel, real J    6.8/36  10/33  18/35  27/37  42/37  87/43
//   integer kernel, ±1 J     9.5/60  17/61  32/61  47/62  77/63  151/67
//   8 reads packed, ±1 J     30/304  52/304 92/301 134/306 217/317
//
// CSR grows with d, rows do not: the crossovers are d ≈ 0.44, 0.40 and
// 0.71. Rows also read less memory (Int16 rows 2 bytes an entry against 8
// for a packed CSR edge; Double rows 8 against 12), which the instruction
// count does not show: on K2000 (n = 2000, d = 1) the Double kernel on
// Int16 rows takes 1.5× fewer instructions than CSR but about 2.5× less
// time. Hence `minDensity` = 0.4 for the read-by-read kernels and
// `minPackedDensity` = 0.7 when reads run packed. The sparse peer
// benchmarks (degree 4 and 48, d ≤ 0.06) stay on CSR.
//
// When the biases have a quantum q (every J_ij = q·u_ij, u_ij integer, q a
// power of 2) and every |u_ij| fits Int16, the rows hold u_ij as Int16, for
// every kernel: the integer kernels add d·u_ij, and the Double kernel adds
// (d·q)·Double(u_ij), which equals d·J_ij exactly (scaling by powers of 2),
// so it too matches CSR bit for bit, reading a quarter of the memory
// (K2000: 8 MB instead of 32 MB; the row of one flip stays in cache longer).
// Every model the integer kernels accept has |u_ij| ≤ K ≤ 4096.

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
  /// The quantum q of `units` (1 when there are none).
  let q: Double

  /// The largest `n²` for which rows are built (128 MiB of Doubles).
  static let maxEntries = 1 << 24

  /// The density `m / (n(n − 1))` (m the directed CSR entries) from which
  /// `.auto` chooses dense rows for read-by-read kernels.
  static let minDensity = 0.4

  /// The density from which `.auto` chooses dense rows when reads are
  /// packed in SIMD lanes.
  static let minPackedDensity = 0.7

  /// Whether `layout` gives dense rows for `p` (`packed`: some reads run
  /// packed in SIMD lanes).
  static func chosen(_ layout: CouplingLayout, for p: ProblemBuffers, packed: Bool) -> Bool {
    let n = p.n
    guard n > 1, n * n <= maxEntries else { return false }
    switch layout {
    case .sparse: return false
    case .dense: return true
    case .auto: return density(p) >= (packed ? minPackedDensity : minDensity)
    }
  }

  /// `m / (n(n − 1))`: the share of all pairs that are coupled.
  static func density(_ p: ProblemBuffers) -> Double {
    let n = Double(p.n)
    return n > 1 ? Double(p.start[p.n]) / (n * (n - 1)) : 0
  }

  /// Whether `p`'s couplings fit Int16 rows of `J_ij / q`.
  static func fitsUnits(_ p: ProblemBuffers) -> Bool {
    guard let q = p.quantum else { return false }
    return p.maxAbsField / q <= Double(Int16.max)
  }

  /// Builds the Int16 rows of `J_ij / q` (`units`) when they fit
  /// (`fitsUnits`), the Double rows (`real`) otherwise.
  init(_ p: ProblemBuffers) {
    n = p.n
    let count = n * n
    if Self.fitsUnits(p), let q = p.quantum {
      self.q = q
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
      q = 1
    }
  }

  deinit {
    real?.deallocate()
    units?.deallocate()
  }
}

// The row operations are plain loops over raw pointers, which the optimiser
// vectorises (with a run-time overlap check), and which a debug build runs
// at about the speed of the CSR loop (SIMD types there cost a call per
// lane operation, which made time-limited runs of debug tests miss their
// marks).

/// `f[j] += d · row[j]` for `j ∈ 0 ..< n`.
@inline(__always)
func addRow(
  _ row: UnsafePointer<Double>, times d: Double, to f: UnsafeMutablePointer<Double>, count n: Int
) {
  var j = 0
  while j < n {
    f[j] += d * row[j]
    j &+= 1
  }
}

/// `f[j] += dq · Double(row[j])` for `j ∈ 0 ..< n`, with Int16 weights
/// and Double fields.
@inline(__always)
func addRow(
  _ row: UnsafePointer<Int16>, times dq: Double, to f: UnsafeMutablePointer<Double>,
  count n: Int
) {
  var j = 0
  while j < n {
    f[j] += dq * Double(row[j])
    j &+= 1
  }
}

/// `f[j] += d · row[j]` for `j ∈ 0 ..< n`, with Int16 weights, Int32
/// fields and `d ∈ {−2, 0, 2}` (a flip's 2 s_i').
///
/// Wrapping arithmetic, exact for every model the integer kernel accepts.
/// SSE2 has no 32-bit lane multiply, so `d·J` is `±(J << 1)`.
@inline(__always)
func addRow(
  _ row: UnsafePointer<Int16>, times d: Int32, to f: UnsafeMutablePointer<Int32>, count n: Int
) {
  if d == 0 { return }
  // x ^ m − m is x for m = 0 and −x for m = −1.
  let m: Int32 = d < 0 ? -1 : 0
  var j = 0
  while j < n {
    f[j] &+= ((Int32(row[j]) &<< 1) ^ m) &- m
    j &+= 1
  }
}
