import QUBOModel

// The state and the sweep of path-integral Monte Carlo (the "system" and
// "updater" of SQA; the driver is in PathIntegralAnnealing.swift).
//
// Suzuki–Trotter with P slices maps the transverse-field Ising model
// H = A·(−Σ σˣ_i) + B·H_p(σᶻ) at inverse temperature β onto P coupled
// classical copies s^k with the action
//
//     S(s) = (βB/P) Σ_k H_p(s^k) − J⊥ Σ_k Σ_i s_i^k s_i^{k+1},  k periodic,
//     J⊥ = −½ ln tanh(βA/P)
//
// (M. Suzuki, Prog. Theor. Phys. 56, 1454 (1976); R. Martoňák, G. Santoro,
// E. Tosatti, Phys. Rev. B 66, 094203 (2002)). With f_i^k = h_i + Σ_j J_ij
// s_j^k, flipping one spin of one slice changes the action by
//
//     ΔS = 2 s_i^k (J⊥ (s_i^{k−1} + s_i^{k+1}) − (βB/P) f_i^k),
//
// and flipping spin i in every slice at once (a worldline move) leaves the
// slice coupling unchanged: ΔS = −2 (βB/P) Σ_k s_i^k f_i^k. Both are
// accepted with probability min(1, e^{−ΔS}).
//
// Implementation goals, in order of priority:
// 1. Exactness: each proposal uses the exact current fields, so every move
//    satisfies detailed balance for S.
// 2. Throughput in proposals per second at one thread.
//
// Layout and the sweep (measured choices, see the report in the commit
// log): spins and cached fields are stored spin-major, s[i·P + k], as
// Float ±1 and Float fields. A sweep visits the spins in index order; for
// spin i it proposes a flip in slices k = 0..<P in order (each decision
// needs only f_i^k, which flips of i do not change, and the current
// neighbours in imaginary time), then one worldline move. Only after that
// are the neighbours' fields updated, once, with d_k = s_new − s_old:
// f_j^k += J_ij d_k. When few slices changed this is done slice by slice;
// otherwise as one contiguous loop over k per neighbour, which the
// compiler vectorises. Slice energies H_p(s^k) are tracked in Double.
// Float fields accumulate rounding, so fields and energies are recomputed
// exactly every `refreshInterval` sweeps. Uniforms are 24-bit, two per
// 64-bit draw; u ≥ 2⁻²⁵, so a move with ΔS > 25 ln 2 can never be accepted
// and `exp` is skipped for it.

/// Spins and fields in the kernel's precision.
typealias PIScalar = Float

/// Two 24-bit uniforms in (0, 1) from each 64-bit draw of xoshiro256++.
struct UniformPairs {
  var generator: Xoshiro256PlusPlus
  var spare: UInt64 = 0
  var hasSpare = false

  init(_ generator: Xoshiro256PlusPlus) { self.generator = generator }

  /// A uniform in `[2⁻²⁵, 1 − 2⁻²⁵]` with 24 random bits.
  @inline(__always)
  mutating func next() -> PIScalar {
    let bits: UInt64
    if hasSpare {
      bits = spare
      hasSpare = false
    } else {
      let r = generator.next()
      bits = r >> 40
      spare = (r >> 8) & 0xFF_FFFF
      hasSpare = true
    }
    return (PIScalar(bits) + 0.5) * 0x1.0p-24
  }
}

/// The acceptance threshold: e^{−x} < 2⁻²⁵ ≤ u for every x above it.
let piRejectAbove: PIScalar = 17.4

/// The slice coupling J⊥ = −½ ln tanh(βA/P), capped so that a vanishing
/// field (A = 0) freezes the slices without producing ∞ · 0.
func trotterCoupling(beta: Double, transverseField a: Double, trotter: Int) -> Double {
  if trotter <= 1 { return 0 }
  let x = beta * a / Double(trotter)
  guard x > 0 else { return 1e9 }
  return min(1e9, -0.5 * log(tanh(x)))
}

/// The path-integral state of one read: P slices of n spins, their cached
/// local fields and slice energies.
final class PathIntegralSystem {
  let n: Int
  let trotter: Int
  let edges: Int
  /// CSR of the problem, with couplings in kernel precision.
  let rowStart: UnsafeMutablePointer<Int32>
  let neighbor: UnsafeMutablePointer<Int32>
  let coupling: UnsafeMutablePointer<PIScalar>
  let problem: IsingProblem
  /// s[i·P + k] = s_i^k ∈ {−1, +1}.
  let spins: UnsafeMutablePointer<PIScalar>
  /// f[i·P + k] = h_i + Σ_j J_ij s_j^k.
  let fields: UnsafeMutablePointer<PIScalar>
  /// H_p(s^k) (with the offset).
  let sliceEnergy: UnsafeMutablePointer<Double>
  /// Scratch: the old spins of the current site, then d_k.
  let delta: UnsafeMutablePointer<PIScalar>
  /// Accepted worldline moves and accepted slice flips.
  var acceptedWorldlines: UInt64 = 0
  var acceptedFlips: UInt64 = 0

  /// Sweeps between exact recomputations of fields and energies.
  static let refreshInterval = 128

  init(_ problem: IsingProblem, trotter: Int) {
    self.problem = problem
    n = problem.numSpins
    self.trotter = trotter
    edges = problem.neighbor.count
    rowStart = .allocate(capacity: n + 1)
    neighbor = .allocate(capacity: max(1, edges))
    coupling = .allocate(capacity: max(1, edges))
    for i in 0...n { rowStart[i] = problem.rowStart[i] }
    for e in 0..<edges {
      neighbor[e] = problem.neighbor[e]
      coupling[e] = PIScalar(problem.coupling[e])
    }
    spins = .allocate(capacity: max(1, n * trotter))
    spins.initialize(repeating: 1, count: max(1, n * trotter))
    fields = .allocate(capacity: max(1, n * trotter))
    fields.initialize(repeating: 0, count: max(1, n * trotter))
    sliceEnergy = .allocate(capacity: trotter)
    sliceEnergy.initialize(repeating: 0, count: trotter)
    delta = .allocate(capacity: trotter)
    delta.initialize(repeating: 0, count: trotter)
  }

  deinit {
    rowStart.deallocate()
    neighbor.deallocate()
    coupling.deallocate()
    spins.deallocate()
    fields.deallocate()
    sliceEnergy.deallocate()
    delta.deallocate()
  }

  /// Sets every slice to the state `row` (n spins).
  func setAllSlices<C: Collection>(to row: C) where C.Element == Int8 {
    for (i, v) in row.enumerated() {
      for k in 0..<trotter { spins[i * trotter + k] = PIScalar(v) }
    }
    refresh()
  }

  /// Sets every spin of every slice uniformly at random.
  func randomize(using rng: inout Xoshiro256PlusPlus) {
    var bits: UInt64 = 0
    for c in 0..<(n * trotter) {
      if c & 63 == 0 { bits = rng.next() }
      spins[c] = bits & 1 == 0 ? -1 : 1
      bits >>= 1
    }
    refresh()
  }

  /// Recomputes every field (in Double, then rounded) and slice energy.
  func refresh() {
    let P = trotter
    for k in 0..<P { sliceEnergy[k] = problem.offset }
    var f = [Double](repeating: 0, count: P)
    for i in 0..<n {
      let hi = problem.h[i]
      for k in 0..<P { f[k] = hi }
      for e in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let j = Int(problem.neighbor[e])
        let J = problem.coupling[e]
        for k in 0..<P { f[k] += J * Double(spins[j * P + k]) }
      }
      for k in 0..<P {
        fields[i * P + k] = PIScalar(f[k])
        let s = Double(spins[i * P + k])
        // Each pair is seen from both ends: half of J s_i s_j per end.
        sliceEnergy[k] += s * (hi + 0.5 * (f[k] - hi))
      }
    }
  }

  /// The slice of lowest tracked energy.
  func lowestSlice() -> (slice: Int, energy: Double) {
    var best = 0
    for k in 1..<max(1, trotter) where sliceEnergy[k] < sliceEnergy[best] { best = k }
    return (best, sliceEnergy[best])
  }

  /// Copies slice `k` into `out` (n spins, Int8).
  func copySlice(_ k: Int, into out: UnsafeMutableBufferPointer<Int8>) {
    for i in 0..<n { out[i] = spins[i * trotter + k] < 0 ? -1 : 1 }
  }

  /// One sweep: for each spin i in order, P single-slice Metropolis
  /// proposals (k = 0..<P) and, if `worldline`, one worldline proposal.
  ///
  /// - Parameters:
  ///   - scale: βB/P, the weight of H_p in each slice.
  ///   - jPerp: J⊥, the coupling between neighbouring slices.
  @inline(never)
  func sweep(scale: PIScalar, jPerp: PIScalar, worldline: Bool, rng: inout UniformPairs) {
    let P = trotter
    let d = delta
    let twoScale = 2 * scale
    var acceptedSlices: UInt64 = 0
    var acceptedWL: UInt64 = 0
    // Below this many changed slices, neighbours are updated slice by slice.
    let sparseLimit = max(1, P / 4)
    for i in 0..<n {
      let s = spins + i * P
      let f = fields + i * P
      for k in 0..<P { d[k] = s[k] }
      var prev = s[P - 1]
      for k in 0..<P {
        let sk = s[k]
        let next = k + 1 == P ? s[0] : s[k + 1]
        let x = 2 * sk * (jPerp * (prev + next) - scale * f[k])
        if x <= 0 || (x < piRejectAbove && rng.next() < exp(-x)) {
          s[k] = -sk
          prev = -sk
          acceptedSlices &+= 1
        } else {
          prev = sk
        }
      }
      if worldline {
        var dot: PIScalar = 0
        for k in 0..<P { dot += s[k] * f[k] }
        let x = -twoScale * dot
        if x <= 0 || (x < piRejectAbove && rng.next() < exp(-x)) {
          for k in 0..<P { s[k] = -s[k] }
          acceptedWL &+= 1
        }
      }
      var changed = 0
      for k in 0..<P {
        let dk = s[k] - d[k]
        d[k] = dk
        changed &+= dk != 0 ? 1 : 0
      }
      if changed == 0 { continue }
      for k in 0..<P { sliceEnergy[k] += Double(d[k] * f[k]) }
      let lo = Int(rowStart[i])
      let hi = Int(rowStart[i + 1])
      if changed <= sparseLimit {
        for k in 0..<P where d[k] != 0 {
          let dk = d[k]
          for e in lo..<hi { fields[Int(neighbor[e]) * P + k] += coupling[e] * dk }
        }
      } else {
        for e in lo..<hi {
          let fj = fields + Int(neighbor[e]) * P
          let J = coupling[e]
          for k in 0..<P { fj[k] += J * d[k] }
        }
      }
    }
    acceptedFlips &+= acceptedSlices
    acceptedWorldlines &+= acceptedWL
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
