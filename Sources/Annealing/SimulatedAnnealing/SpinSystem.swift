// The state a single-spin kernel works on: spins, cached local fields and the
// running energy, in raw buffers allocated once per read.
//
// Local field f_i = h_i + Σ_j J_ij s_j; flipping spin i changes the energy by
// ΔE_i = −2 s_i f_i and every neighbour's field by f_j += 2 s_i' J_ij (s_i'
// the new value), so a flip costs O(degree) and a rejected proposal O(1).
// Spins are held as Double ±1 so that ΔE is one multiply, with no integer
// conversion in the loop. On dense models the couplings may also be held as
// dense rows (`rows`, DenseRows.swift): a flip then updates all n fields
// with one vectorised row operation, with the same results.

/// Spins, local fields and energy of one read, over raw buffers, with
/// acceptance rule `R` (the kernel for real-valued biases).
struct SpinSystem<R: AcceptanceRule>: AnnealingSystem {
  var rule: R
  let n: Int
  let start: UnsafeMutablePointer<Int32>
  let neighbor: UnsafeMutablePointer<Int32>
  let coupling: UnsafeMutablePointer<Double>
  /// `J_ij` at `i·n + j` when flips update the fields by dense rows; nil
  /// for CSR.
  let rows: UnsafeMutablePointer<Double>?
  /// Spins ±1.
  var s: UnsafeMutablePointer<Double>
  /// Local fields `f_i`.
  var f: UnsafeMutablePointer<Double>
  /// The running energy (exact up to rounding; reports recompute it).
  var energy: Double

  /// Allocates the buffers; `fill` writes the initial spins. With `dense`
  /// (which must hold `real` rows of `p`), flips update fields by rows.
  init(
    _ p: ProblemBuffers, rule: R, dense: DenseRows? = nil,
    fill: (UnsafeMutablePointer<Double>) -> Void
  ) {
    self.rule = rule
    rows = dense?.real
    n = p.n
    start = p.start
    neighbor = p.neighbor
    coupling = p.coupling
    s = .allocate(capacity: max(1, n))
    f = .allocate(capacity: max(1, n))
    s.initialize(repeating: 1, count: max(1, n))
    fill(s)
    energy = 0
    f.initialize(repeating: 0, count: max(1, n))
    reset(p)
  }

  /// Recomputes every local field and the energy from the spins.
  mutating func reset(_ p: ProblemBuffers) {
    var e = p.offset
    var pair = 0.0
    for i in 0..<n {
      var fi = p.h[i]
      var c = 0.0
      for k in Int(start[i])..<Int(start[i + 1]) {
        c += coupling[k] * s[Int(neighbor[k])]
      }
      fi += c
      f[i] = fi
      e += p.h[i] * s[i]
      pair += s[i] * c
    }
    energy = e + pair / 2
  }

  /// Frees the buffers.
  func deallocate() {
    s.deallocate()
    f.deallocate()
  }

  /// `ΔE_i = −2 s_i f_i`, the energy change of flipping spin `i`.
  @inline(__always)
  func delta(_ i: Int) -> Double { -2 * s[i] * f[i] }

  /// Flips spin `i`, whose flip changes the energy by `dE`.
  @inline(__always)
  mutating func flip(_ i: Int, _ dE: Double) {
    if let rows {
      flip(i, dE, DenseFieldUpdate(rows: rows, n: n))
    } else {
      flip(i, dE, SparseFieldUpdate(start: start, neighbor: neighbor, coupling: coupling))
    }
  }

  @inline(__always)
  mutating func flip<U: FieldUpdate>(_ i: Int, _ dE: Double, _ update: U) {
    let si = -s[i]
    s[i] = si
    energy += dE
    update.apply(i, 2 * si, to: f)
  }

  /// Copies the spins into `out` as Int8.
  func copySpins(to out: UnsafeMutablePointer<Int8>) {
    for i in 0..<n { out[i] = s[i] > 0 ? 1 : -1 }
  }

  mutating func exchangeState(with other: inout Self) {
    swap(&s, &other.s)
    swap(&f, &other.f)
    swap(&energy, &other.energy)
  }

  /// Readies the rule for `beta`.
  mutating func prepare(beta: Double) { rule.prepare(beta: beta) }

  /// One sweep of `n` proposals in `Order`, accepted by `rule`.
  ///
  /// Returns the number of accepted flips.
  @inline(__always)
  mutating func sweep<O: SweepOrder>(_ order: O.Type, rng: inout Xoshiro256PlusPlus) -> Int {
    if let rows {
      return sweep(O.self, DenseFieldUpdate(rows: rows, n: n), rng: &rng)
    }
    return sweep(
      O.self, SparseFieldUpdate(start: start, neighbor: neighbor, coupling: coupling),
      rng: &rng)
  }

  @inline(__always)
  mutating func sweep<O: SweepOrder, U: FieldUpdate>(
    _ order: O.Type, _ update: U, rng: inout Xoshiro256PlusPlus
  ) -> Int {
    let rule = self.rule
    var accepted = 0
    for step in 0..<n {
      let i = O.index(step, n: n, rng: &rng)
      let dE = -2 * s[i] * f[i]
      if rule.accepts(dE, rng: &rng) {
        flip(i, dE, update)
        accepted &+= 1
      }
    }
    return accepted
  }
}

/// How an accepted flip of spin `i` updates the local fields: `f_j +=
/// d·J_ij` for every `j` (d = 2 s_i', s_i' the new spin).
protocol FieldUpdate {
  /// Adds `d·J_ij` to every `f[j]`.
  func apply(_ i: Int, _ d: Double, to f: UnsafeMutablePointer<Double>)
}

/// The CSR gather: one neighbour index and coupling per entry.
struct SparseFieldUpdate: FieldUpdate {
  let start: UnsafeMutablePointer<Int32>
  let neighbor: UnsafeMutablePointer<Int32>
  let coupling: UnsafeMutablePointer<Double>

  @inline(__always)
  func apply(_ i: Int, _ d: Double, to f: UnsafeMutablePointer<Double>) {
    var k = Int(start[i])
    let end = Int(start[i + 1])
    while k < end {
      f[Int(neighbor[k])] += d * coupling[k]
      k += 1
    }
  }
}

/// One contiguous row operation over a dense row-major matrix.
struct DenseFieldUpdate: FieldUpdate {
  let rows: UnsafeMutablePointer<Double>
  let n: Int

  @inline(__always)
  func apply(_ i: Int, _ d: Double, to f: UnsafeMutablePointer<Double>) {
    addRow(rows + i &* n, times: d, to: f, count: n)
  }
}

/// The state of one read that a sweep-based kernel drives.
protocol AnnealingSystem {
  /// The running energy.
  var energy: Double { get }
  /// Readies the acceptance rule for inverse temperature `beta`.
  mutating func prepare(beta: Double)
  /// One sweep of `n` proposals; returns the number of accepted flips.
  mutating func sweep<O: SweepOrder>(_ order: O.Type, rng: inout Xoshiro256PlusPlus) -> Int
  /// Copies the spins into `out`.
  func copySpins(to out: UnsafeMutablePointer<Int8>)
  /// Exchanges spins, fields and energy with `other`, keeping each side's
  /// acceptance rule (a replica-exchange move in O(1)).
  mutating func exchangeState(with other: inout Self)
  /// Frees the buffers.
  func deallocate()
}

/// Which spin a sweep proposes at each step.
protocol SweepOrder {
  /// The spin proposed at step `step` of a sweep over `n` spins.
  static func index(_ step: Int, n: Int, rng: inout Xoshiro256PlusPlus) -> Int
}

/// Spins `0, 1, …, n−1` in order.
enum SequentialOrder: SweepOrder {
  @inline(__always)
  static func index(_ step: Int, n: Int, rng: inout Xoshiro256PlusPlus) -> Int { step }
}

/// A uniformly random spin at each step (with replacement).
enum RandomOrder: SweepOrder {
  @inline(__always)
  static func index(_ step: Int, n: Int, rng: inout Xoshiro256PlusPlus) -> Int {
    Int(truncatingIfNeeded: UInt64(n).multipliedFullWidth(by: rng.next()).high)
  }
}
