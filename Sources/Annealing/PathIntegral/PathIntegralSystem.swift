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
// accepted with probability min(1, e^{−ΔS}), as "−ln u > ΔS" for a uniform u.
//
// Implementation goals, in order of priority:
// 1. Exactness: every proposal sees the exact current state, so every move
//    satisfies detailed balance for S.
// 2. Throughput in proposals per second at one thread.
//
// Layout: spins and cached fields are spin-major, s[i·P + pos(k)], as
// Float ±1 and Float fields, so everything about spin i across imaginary
// time is one contiguous run of P floats. pos(k) = k, except when P is a
// multiple of 8 (the vector path): then the even slices come first and the
// odd ones after them (pos(2m) = m, pos(2m + 1) = P/2 + m), so each colour
// of the checkerboard below is a run of whole SSE vectors.
//
// The sweep visits spins in index order. For spin i:
// 1. −ln u_k for its P proposals, eight lanes at a time, from 24-bit
//    uniforms (two per 64-bit xoshiro256++ draw) drawn while the previous
//    spin was processed, so the scalar stores have reached the cache before
//    they are read back as vectors (store-to-load forwarding cannot merge
//    several narrow stores into one wide load; the stall cost ~6 %).
// 2. The slice proposals. Slice k interacts within spin i only with k ± 1,
//    so the even slices are independent given the odd ones and vice versa:
//    a checkerboard in imaginary time. All even slices are decided at
//    once, branch-free, then all odd slices; with odd P the last slice
//    (adjacent to slice 0) is decided alone after them. This replaces a
//    chain of P dependent, unpredictable decisions (a slice-by-slice loop
//    ran at about half the speed). For P a multiple of 8 four proposals
//    share each SSE instruction, a colour's neighbours being the other
//    colour shifted by one lane; for P = 4 mod 8 (4, 12, 20, …) each colour
//    is a masked pass over the natural layout, four slices a vector;
//    otherwise a scalar loop over a ring buffer does the same.
// 3. One worldline proposal, with Σ_k s^k f^k accumulated in step 2.
// 4. Flips of spin i do not change f_i, so only now are the neighbours'
//    fields updated, once, with d_k = s_new − s_old: f_j^k += J_ij d_k,
//    slice by slice when at most P/4 slices changed (the usual case late in
//    an anneal), else as one contiguous loop over k per neighbour (explicit
//    vectors when P is a multiple of 4). The edges are packed (offset j·P,
//    J_ij) pairs, one 8-byte load each.
// Slice energies H_p(s^k) are tracked in Double. Float fields accumulate
// rounding when couplings are not dyadic, so fields and energies are
// recomputed exactly every `refreshInterval` sweeps.
//
// Acceptance is "−ln u > ΔS" with u = (b + ½)·2⁻²⁴, b a 24-bit integer, and
// a logarithm accurate to about one Float ulp: the implemented acceptance
// probability differs from min(1, e^{−ΔS}) by at most about 2⁻²⁴ in
// absolute terms (moves with ΔS > 17.3 are never accepted).
//
// Measured on the sparse n = 2000, degree-4 and dense n = 800, degree-48
// ±1 instances with P = 16, one thread (proposals per second, harness over
// `PathIntegralAnnealing`): slice-by-slice Metropolis with branches and
// `expf` 80 / 97 M/s; branch-free chain 82 / 64; checkerboard 129 / 136;
// fused bookkeeping 170 / 150; SSE colour split 209 / 172; cheaper log,
// packed edges, bits one spin ahead 263 / 222; whole 64-bit draws stored
// 280 / 233; colour-split storage instead of splitting in registers every
// visit 322 / 261. Round two (callgrind instructions per spin visit on the
// dense instance, 1000 sweeps, β of the P-dependent default): P = 4 and 12
// went through the scalar ring, whose Σ s f accumulator was indexed through
// the stack (45 % of a P = 4 sweep in store-forwarding stalls): two register
// sums, then the masked four-lane path (P = 12: 1.6× fewer cycles at the old
// β); the per-neighbour update as explicit vectors with d in registers for
// P = 4, 8, 16 (P = 16: 1365 → 1060; P = 4: 777 → 507). Tried and dropped:
// drawing uniforms only for a vector with a lane that can accept (at P = 16
// on the dense instance 94 % of vectors had one, and the branch and the
// generator state in memory cost more than they saved); xoshiro128++ in SSE
// lanes (the compiler turned the two-shift rotate back into a rotate and did
// it lane by lane: +8 %); two changed slices per neighbour pass (no fewer
// instructions); unrolling the generic update by two vectors (P = 32: +1 %).
// Tried and dropped (slower or no gain): SIMD xoshiro128++ lanes
// (SSE2 has no vector rotate, and the compiler rotates lane by lane), an
// exp-based test in the passes (a longer dependency chain than the
// precomputed −ln u), a division-free log polynomial, other thresholds
// between the per-slice and per-neighbour field updates.

/// One CSR entry in kernel form.
struct Edge {
  /// The neighbour's index times P.
  var offset: Int32
  /// J_ij in kernel precision.
  var coupling: PIScalar
}

/// Spins and fields in the kernel's precision.
typealias PIScalar = Float

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
  /// P rounded up to a multiple of the vector width (8).
  let paddedTrotter: Int
  let edges: Int
  /// CSR of the problem, with couplings in kernel precision.
  let rowStart: UnsafeMutablePointer<Int32>
  /// Edge e of the CSR: where neighbour e's slices start (neighbor[e] · P)
  /// and J_ij, side by side so that one load brings both.
  let edgeList: UnsafeMutablePointer<Edge>
  let problem: IsingProblem
  /// s[i·P + k] = s_i^k ∈ {−1, +1}.
  let spins: UnsafeMutablePointer<PIScalar>
  /// f[i·P + k] = h_i + Σ_j J_ij s_j^k.
  let fields: UnsafeMutablePointer<PIScalar>
  /// H_p(s^k) (with the offset).
  let sliceEnergy: UnsafeMutablePointer<Double>
  /// Scratch: the old spins of the current site, then d_k.
  let delta: UnsafeMutablePointer<PIScalar>
  /// Scratch: random bits for the next site's uniforms.
  let randomBits: UnsafeMutablePointer<PIScalar>
  /// Scratch: the slices of the current site that changed.
  let flippedSlices: UnsafeMutablePointer<Int32>
  /// Scratch: −ln u_k of the current site (random bits before that).
  let logs: UnsafeMutablePointer<PIScalar>
  /// Scratch: the current site's slices with wrap-around ends,
  /// t[0] = s^{P−1}, t[1 + k] = s^k, t[P + 1] = s^0.
  let ring: UnsafeMutablePointer<PIScalar>
  /// Whether slices are stored colour-split (P a multiple of 8, the vector
  /// path): see `position(ofSlice:)`.
  let colourSplit: Bool
  /// Accepted worldline moves and accepted slice flips.
  var acceptedWorldlines: UInt64 = 0
  var acceptedFlips: UInt64 = 0

  /// Sweeps between exact recomputations of fields and energies.
  static let refreshInterval = 1024

  init(_ problem: IsingProblem, trotter: Int) {
    self.problem = problem
    n = problem.numSpins
    self.trotter = trotter
    let padded = (trotter + 7) & ~7
    paddedTrotter = padded
    edges = problem.neighbor.count
    rowStart = .allocate(capacity: n + 1)
    edgeList = .allocate(capacity: max(1, edges))
    for i in 0...n { rowStart[i] = problem.rowStart[i] }
    for e in 0..<edges {
      (edgeList + e).initialize(
        to: Edge(
          offset: Int32(truncatingIfNeeded: Int(problem.neighbor[e]) * trotter),
          coupling: PIScalar(problem.coupling[e])))
    }
    // Eight spare entries at the end: vector loads of the last spin's
    // slices may read past slice P − 1 (the lanes are masked off).
    spins = .allocate(capacity: n * trotter + 8)
    spins.initialize(repeating: 1, count: n * trotter + 8)
    fields = .allocate(capacity: n * trotter + 8)
    fields.initialize(repeating: 0, count: n * trotter + 8)
    sliceEnergy = .allocate(capacity: trotter)
    sliceEnergy.initialize(repeating: 0, count: trotter)
    delta = .allocate(capacity: padded)
    delta.initialize(repeating: 0, count: padded)
    randomBits = .allocate(capacity: padded)
    randomBits.initialize(repeating: 0, count: padded)
    flippedSlices = .allocate(capacity: trotter)
    flippedSlices.initialize(repeating: 0, count: trotter)
    logs = .allocate(capacity: padded)
    logs.initialize(repeating: 0, count: padded)
    ring = .allocate(capacity: padded + 2)
    ring.initialize(repeating: 1, count: padded + 2)
    colourSplit = trotter % 8 == 0
  }

  deinit {
    rowStart.deallocate()
    edgeList.deallocate()
    spins.deallocate()
    fields.deallocate()
    sliceEnergy.deallocate()
    delta.deallocate()
    randomBits.deallocate()
    flippedSlices.deallocate()
    logs.deallocate()
    ring.deallocate()
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

  /// Where slice k of a spin is stored, relative to the spin's first slice:
  /// k itself, or with the colour-split layout of the vector path, k/2 for
  /// even k and P/2 + k/2 for odd k.
  ///
  /// Spins, fields, d_k and the slice
  /// energies all use positions; only imaginary-time adjacency needs them.
  @inline(__always)
  func position(ofSlice k: Int) -> Int {
    guard colourSplit else { return k }
    return k & 1 == 0 ? k >> 1 : (trotter >> 1) + (k >> 1)
  }

  /// The position of the slice of lowest tracked energy, and that energy.
  func lowestSlice() -> (slice: Int, energy: Double) {
    var best = 0
    for k in 1..<max(1, trotter) where sliceEnergy[k] < sliceEnergy[best] { best = k }
    return (best, sliceEnergy[best])
  }

  /// Copies the slice at position `k` into `out` (n spins, Int8).
  func copySlice(_ k: Int, into out: UnsafeMutableBufferPointer<Int8>) {
    for i in 0..<n { out[i] = spins[i * trotter + k] < 0 ? -1 : 1 }
  }

  /// One sweep: for each spin i in index order, P single-slice Metropolis
  /// proposals (even slices, then odd slices, then with odd P the last
  /// one) and, if `worldline`, one worldline proposal.
  ///
  /// - Parameters:
  ///   - scale: βB/P, the weight of H_p in each slice.
  ///   - jPerp: J⊥, the coupling between neighbouring slices.
  @inline(never)
  func sweep(
    scale: PIScalar, jPerp: PIScalar, worldline: Bool, rng: inout Xoshiro256PlusPlus
  ) {
    let P = trotter
    let B = randomBits
    let d = delta
    let L = logs
    let twoScale = 2 * scale
    let vectorised = colourSplit
    let quads = !colourSplit && P % 4 == 0
    // P a multiple of 4: neighbours' fields are updated a vector at a time.
    let vectorUpdates = P % 4 == 0
    let chunks = paddedTrotter / 4
    Self.drawBits(into: B, count: P, using: &rng)
    var acceptedSlices: UInt64 = 0
    var acceptedWL: UInt64 = 0
    // Up to this many changed slices, neighbours are updated slice by slice
    // (about 6 instructions a neighbour and slice, against about 14 + 2P a
    // neighbour for all slices by the generic vector loop; the loops with d
    // in registers, P = 4, 8, 12, 16, 32, cost about 1.5P).
    let sparseLimit = P <= 16 || P == 32 ? max(1, P / 4) : (14 + 2 * P) / 6
    for i in 0..<n {
      let s = spins + (i &* P)
      let f = fields + (i &* P)
      // −ln u_k from the random bits drawn one spin earlier (so that those
      // scalar stores have long reached the cache when they are read as
      // vectors), then fresh bits for the next spin.
      for c in 0..<chunks {
        (-piLog(PIVector.uniform(fromBits: B + (c &* 4)))).store(to: L + (c &* 4))
      }
      Self.drawBits(into: B, count: P, using: &rng)
      // Every path also returns Σ_k s_new^k f^k for the worldline move.
      let (slicesChanged, dot) =
        vectorised
        ? proposeSlicesVector(s, f, scale: scale, jPerp: jPerp)
        : quads
          ? proposeSlicesQuads(s, f, scale: scale, jPerp: jPerp)
          : proposeSlicesScalar(s, f, scale: scale, jPerp: jPerp)
      var changed = slicesChanged
      acceptedSlices &+= UInt64(changed)
      if worldline {
        let x = -twoScale * dot
        // e^{−x} < 2⁻²⁵ ≤ u above 17.4: certain rejection, no draw needed.
        if x <= 0 || (x < 17.4 && Self.uniform(&rng) < exp(-x)) {
          acceptedWL &+= 1
          for k in 0..<P {
            let v = s[k]
            s[k] = -v
            d[k] = d[k] - 2 * v
          }
          // A slice flipped by the passes is now back where it started; every
          // other slice has changed.
          changed = P &- changed
        }
      }
      if changed == 0 { continue }
      let lo = Int(rowStart[i])
      let hi = Int(rowStart[i &+ 1])
      if changed <= sparseLimit {
        // The changed slices, listed without branches; ΔE^k = d_k f_i^k.
        let list = flippedSlices
        var count = 0
        for k in 0..<P {
          list[count] = Int32(truncatingIfNeeded: k)
          count &+= Self.isNonzero(d[k])
        }
        for c in 0..<count {
          let k = Int(list[c])
          let dk = d[k]
          sliceEnergy[k] += Double(dk * f[k])
          let target = fields + k
          for e in lo..<hi {
            let edge = edgeList[e]
            target[Int(edge.offset)] += edge.coupling * dk
          }
        }
      } else {
        for k in 0..<P { sliceEnergy[k] += Double(d[k] * f[k]) }
        if vectorUpdates {
          updateNeighboursByVectors(of: d, lo: lo, hi: hi)
        } else {
          for e in lo..<hi {
            let edge = edgeList[e]
            let fj = fields + Int(edge.offset)
            let J = edge.coupling
            for k in 0..<P { fj[k] += J * d[k] }
          }
        }
      }
    }
    acceptedFlips &+= acceptedSlices
    acceptedWorldlines &+= acceptedWL
  }

  /// f_j^k += J_ij d_k for every neighbour j of the current spin (CSR
  /// entries lo..<hi) and every slice, four slices per instruction (P a
  /// multiple of 4). Written with explicit vectors: the loop the compiler
  /// vectorises itself re-checks aliasing and peels for every neighbour
  /// (48 instructions a neighbour at P = 16; 24 here, with d held in
  /// registers for P = 4, 8, 12, 16, 32).
  @inline(__always)
  func updateNeighboursByVectors(of d: UnsafeMutablePointer<PIScalar>, lo: Int, hi: Int) {
    let D = UnsafeRawPointer(d)
    @inline(__always)
    func add(_ f: UnsafeMutableRawPointer, _ at: Int, _ x: PIVector) {
      let v = f.loadUnaligned(fromByteOffset: at, as: PIVector.self) + x
      f.storeBytes(of: v, toByteOffset: at, as: PIVector.self)
    }
    switch trotter {
    case 4:
      let d0 = D.loadUnaligned(as: PIVector.self)
      for e in lo..<hi {
        let edge = edgeList[e]
        add(UnsafeMutableRawPointer(fields + Int(edge.offset)), 0, edge.coupling * d0)
      }
    case 8:
      let d0 = D.loadUnaligned(as: PIVector.self)
      let d1 = D.loadUnaligned(fromByteOffset: 16, as: PIVector.self)
      for e in lo..<hi {
        let edge = edgeList[e]
        let fj = UnsafeMutableRawPointer(fields + Int(edge.offset))
        add(fj, 0, edge.coupling * d0)
        add(fj, 16, edge.coupling * d1)
      }
    case 16:
      let d0 = D.loadUnaligned(as: PIVector.self)
      let d1 = D.loadUnaligned(fromByteOffset: 16, as: PIVector.self)
      let d2 = D.loadUnaligned(fromByteOffset: 32, as: PIVector.self)
      let d3 = D.loadUnaligned(fromByteOffset: 48, as: PIVector.self)
      for e in lo..<hi {
        let edge = edgeList[e]
        let fj = UnsafeMutableRawPointer(fields + Int(edge.offset))
        add(fj, 0, edge.coupling * d0)
        add(fj, 16, edge.coupling * d1)
        add(fj, 32, edge.coupling * d2)
        add(fj, 48, edge.coupling * d3)
      }
    case 12:
      let d0 = D.loadUnaligned(as: PIVector.self)
      let d1 = D.loadUnaligned(fromByteOffset: 16, as: PIVector.self)
      let d2 = D.loadUnaligned(fromByteOffset: 32, as: PIVector.self)
      for e in lo..<hi {
        let edge = edgeList[e]
        let fj = UnsafeMutableRawPointer(fields + Int(edge.offset))
        add(fj, 0, edge.coupling * d0)
        add(fj, 16, edge.coupling * d1)
        add(fj, 32, edge.coupling * d2)
      }
    case 32:
      // Eight vectors of d and the broadcast coupling fit the 16 SSE registers.
      let d0 = D.loadUnaligned(as: PIVector.self)
      let d1 = D.loadUnaligned(fromByteOffset: 16, as: PIVector.self)
      let d2 = D.loadUnaligned(fromByteOffset: 32, as: PIVector.self)
      let d3 = D.loadUnaligned(fromByteOffset: 48, as: PIVector.self)
      let d4 = D.loadUnaligned(fromByteOffset: 64, as: PIVector.self)
      let d5 = D.loadUnaligned(fromByteOffset: 80, as: PIVector.self)
      let d6 = D.loadUnaligned(fromByteOffset: 96, as: PIVector.self)
      let d7 = D.loadUnaligned(fromByteOffset: 112, as: PIVector.self)
      for e in lo..<hi {
        let edge = edgeList[e]
        let fj = UnsafeMutableRawPointer(fields + Int(edge.offset))
        add(fj, 0, edge.coupling * d0)
        add(fj, 16, edge.coupling * d1)
        add(fj, 32, edge.coupling * d2)
        add(fj, 48, edge.coupling * d3)
        add(fj, 64, edge.coupling * d4)
        add(fj, 80, edge.coupling * d5)
        add(fj, 96, edge.coupling * d6)
        add(fj, 112, edge.coupling * d7)
      }
    default:
      let bytes = trotter &* MemoryLayout<PIScalar>.stride
      for e in lo..<hi {
        let edge = edgeList[e]
        let fj = UnsafeMutableRawPointer(fields + Int(edge.offset))
        let J = PIVector(repeating: edge.coupling)
        var at = 0
        while at < bytes {
          add(fj, at, J * D.loadUnaligned(fromByteOffset: at, as: PIVector.self))
          at &+= 16
        }
      }
    }
  }

  /// The checkerboard over slices k = 0..<P of one spin (any P), one slice
  /// at a time through the ring `t`; writes the new slices to `s` and
  /// d_k = s_new − s_old to `delta`, and returns how many changed.
  @inline(__always)
  func proposeSlicesScalar(
    _ s: UnsafeMutablePointer<PIScalar>, _ f: UnsafeMutablePointer<PIScalar>,
    scale: PIScalar, jPerp: PIScalar
  ) -> (changed: Int, dot: PIScalar) {
    let P = trotter
    let t = ring
    let L = logs
    let d = delta
    let lastAlone = P > 1 && P % 2 == 1
    t[0] = s[P &- 1]
    for k in 0..<P { t[k &+ 1] = s[k] }
    t[P &+ 1] = s[0]
    // Even slices (all independent given the odd ones), then odd slices.
    let evenEnd = lastAlone ? P &- 1 : P
    var k = 0
    while k < evenEnd {
      t[k &+ 1] = Self.propose(
        t[k &+ 1], t[k] + t[k &+ 2], field: f[k], log: L[k], scale: scale, jPerp: jPerp)
      k &+= 2
    }
    t[0] = t[P]
    t[P &+ 1] = t[1]
    k = 1
    while k < P {
      t[k &+ 1] = Self.propose(
        t[k &+ 1], t[k] + t[k &+ 2], field: f[k], log: L[k], scale: scale, jPerp: jPerp)
      k &+= 2
    }
    if lastAlone {
      t[P] = Self.propose(
        t[P], t[P &- 1] + t[1], field: f[P &- 1], log: L[P &- 1], scale: scale,
        jPerp: jPerp)
    }
    var changed = 0
    // Two partial sums in registers: independent additions instead of one
    // chain. (Indexing a SIMD4 accumulator by k & 3 went through the stack,
    // and each reload stalled on the store before it: 45 % of P = 4 sweeps.)
    var dotEven: PIScalar = 0
    var dotOdd: PIScalar = 0
    var k2 = 0
    while k2 &+ 1 < P {
      let v0 = t[k2 &+ 1]
      let v1 = t[k2 &+ 2]
      let d0 = v0 - s[k2]
      let d1 = v1 - s[k2 &+ 1]
      s[k2] = v0
      s[k2 &+ 1] = v1
      d[k2] = d0
      d[k2 &+ 1] = d1
      changed &+= Self.isNonzero(d0) &+ Self.isNonzero(d1)
      dotEven += v0 * f[k2]
      dotOdd += v1 * f[k2 &+ 1]
      k2 &+= 2
    }
    if k2 < P {
      let v = t[k2 &+ 1]
      let dk = v - s[k2]
      s[k2] = v
      d[k2] = dk
      changed &+= Self.isNonzero(dk)
      dotEven += v * f[k2]
    }
    return (changed, dotEven + dotOdd)
  }

  /// The same checkerboard for P a multiple of 8, four slices per
  /// instruction, on the colour-split layout (`position(ofSlice:)`): the
  /// even slices of a spin are positions 0..<P/2, the odd ones P/2..<P, so
  /// each colour is loaded as whole vectors, and the imaginary-time
  /// neighbours of a colour are the other colour shifted by one lane.
  ///
  /// The
  /// new even slices are stored before the odd pass reloads them from the
  /// same addresses with the same width, which keeps store-to-load
  /// forwarding fast. −ln u_k is used in position order (the values are
  /// i.i.d., so any assignment is equally valid).
  @inline(__always)
  func proposeSlicesVector(
    _ s: UnsafeMutablePointer<PIScalar>, _ f: UnsafeMutablePointer<PIScalar>,
    scale: PIScalar, jPerp: PIScalar
  ) -> (changed: Int, dot: PIScalar) {
    let q = trotter / 8
    let odd = trotter / 2 * MemoryLayout<PIScalar>.stride
    let S = UnsafeMutableRawPointer(s)
    let F = UnsafeRawPointer(f)
    let D = UnsafeMutableRawPointer(delta)
    let L = UnsafeRawPointer(logs)
    // ΔS = 2 s (J⊥ (s⁻ + s⁺) − a f): the factor 2 is folded into J and A.
    let J = PIVector(repeating: 2 * jPerp)
    let A = PIVector(repeating: 2 * scale)
    var changed = SIMD4<Int32>(repeating: 0)
    var dot = PIVector(repeating: 0)
    // Even slice 2m (position m): neighbours are odd slices 2m ± 1, at
    // positions P/2 + m − 1 and P/2 + m.
    var before = S.loadUnaligned(fromByteOffset: odd &+ (q &- 1) &* 16, as: PIVector.self)
    for c in 0..<q {
      let at = c &* 16
      let o = S.loadUnaligned(fromByteOffset: odd &+ at, as: PIVector.self)
      let prev = PIVector(before[3], o[0], o[1], o[2])
      before = o
      let e = S.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      let fe = F.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      let x = e * (J * (prev + o) - A * fe)
      let l = L.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      let new = Self.flip(e, where: l .> x)
      S.storeBytes(of: new, toByteOffset: at, as: PIVector.self)
      D.storeBytes(of: new - e, toByteOffset: at, as: PIVector.self)
      changed &-= unsafeBitCast(new .!= e, to: SIMD4<Int32>.self)
      dot += new * fe
    }
    // Odd slice 2m + 1 (position P/2 + m): neighbours are the new even
    // slices 2m and 2m + 2, at positions m and m + 1 (wrapping to 0).
    for c in 0..<q {
      let at = c &* 16
      let e = S.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      let after = S.loadUnaligned(
        fromByteOffset: c &+ 1 == q ? 0 : at &+ 16, as: PIVector.self)
      let next = PIVector(e[1], e[2], e[3], after[0])
      let o = S.loadUnaligned(fromByteOffset: odd &+ at, as: PIVector.self)
      let fo = F.loadUnaligned(fromByteOffset: odd &+ at, as: PIVector.self)
      let x = o * (J * (e + next) - A * fo)
      let l = L.loadUnaligned(fromByteOffset: odd &+ at, as: PIVector.self)
      let new = Self.flip(o, where: l .> x)
      S.storeBytes(of: new, toByteOffset: odd &+ at, as: PIVector.self)
      D.storeBytes(of: new - o, toByteOffset: odd &+ at, as: PIVector.self)
      changed &-= unsafeBitCast(new .!= o, to: SIMD4<Int32>.self)
      dot += new * fo
    }
    return (Int(changed.wrappedSum()), dot.sum())
  }

  /// The checkerboard for P a multiple of 4 but not of 8 (P = 4, 12, 20,
  /// …), on the natural layout: slices 4c..<4c + 4 are one vector, even
  /// slices are lanes 0 and 2 of every vector, odd slices lanes 1 and 3. Each
  /// colour is one masked pass over all P/4 vectors: the even pass reads only
  /// odd neighbours (unchanged during it), the odd pass the new even ones.
  /// Writes the new slices to `s` and d_k to `delta`; returns how many
  /// changed and Σ_k s_new^k f^k.
  @inline(__always)
  func proposeSlicesQuads(
    _ s: UnsafeMutablePointer<PIScalar>, _ f: UnsafeMutablePointer<PIScalar>,
    scale: PIScalar, jPerp: PIScalar
  ) -> (changed: Int, dot: PIScalar) {
    let q = trotter / 4
    let last = (q &- 1) &* 16
    let S = UnsafeMutableRawPointer(s)
    let F = UnsafeRawPointer(f)
    let D = UnsafeMutableRawPointer(delta)
    let L = UnsafeRawPointer(logs)
    let J = PIVector(repeating: 2 * jPerp)
    let A = PIVector(repeating: 2 * scale)
    let parity = SIMD4<Int32>(0, 1, 0, 1)
    let even = parity .== 0
    let odd = parity .== 1
    // The old slices, for d_k.
    for c in 0..<q {
      let at = c &* 16
      D.storeBytes(
        of: S.loadUnaligned(fromByteOffset: at, as: PIVector.self), toByteOffset: at,
        as: PIVector.self)
    }
    for pass in 0..<2 {
      let mask = pass == 0 ? even : odd
      // Slice 4c − 1, wrapping to P − 1 for c = 0 (read before any store of
      // this pass could change it: in the even pass it is odd, and in the odd
      // pass lane 3 of the last vector is not the one that lane 0 needs).
      var before = S.loadUnaligned(fromByteOffset: last, as: PIVector.self)[3]
      for c in 0..<q {
        let at = c &* 16
        let v = S.loadUnaligned(fromByteOffset: at, as: PIVector.self)
        let after = S.load(fromByteOffset: c &+ 1 == q ? 0 : at &+ 16, as: PIScalar.self)
        let prev = PIVector(before, v[0], v[1], v[2])
        let next = PIVector(v[1], v[2], v[3], after)
        before = v[3]
        let fv = F.loadUnaligned(fromByteOffset: at, as: PIVector.self)
        let x = v * (J * (prev + next) - A * fv)
        let l = L.loadUnaligned(fromByteOffset: at, as: PIVector.self)
        let new = Self.flip(v, where: (l .> x) .& mask)
        S.storeBytes(of: new, toByteOffset: at, as: PIVector.self)
      }
    }
    var changed = SIMD4<Int32>(repeating: 0)
    var dot = PIVector(repeating: 0)
    for c in 0..<q {
      let at = c &* 16
      let new = S.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      let old = D.loadUnaligned(fromByteOffset: at, as: PIVector.self)
      D.storeBytes(of: new - old, toByteOffset: at, as: PIVector.self)
      changed &-= unsafeBitCast(new .!= old, to: SIMD4<Int32>.self)
      dot += new * F.loadUnaligned(fromByteOffset: at, as: PIVector.self)
    }
    return (Int(changed.wrappedSum()), dot.sum())
  }

  /// `v` with the lanes selected by `mask` negated (sign bit flipped).
  @inline(__always)
  static func flip(_ v: PIVector, where mask: SIMDMask<SIMD4<Int32>>) -> PIVector {
    let m = SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(mask, to: SIMD4<Int32>.self))
    let bits = unsafeBitCast(v, to: SIMD4<UInt32>.self) ^ (m & 0x8000_0000)
    return unsafeBitCast(bits, to: PIVector.self)
  }

  /// The new value of a slice spin `sk` whose imaginary-time neighbours sum
  /// to `pair`: flipped iff −ln u > 2 s^k (J⊥ (s^{k−1} + s^{k+1}) − a f^k),
  /// without a branch.
  @inline(__always)
  static func propose(
    _ sk: PIScalar, _ pair: PIScalar, field: PIScalar, log: PIScalar, scale: PIScalar,
    jPerp: PIScalar
  ) -> PIScalar {
    let x = 2 * sk * (jPerp * pair - scale * field)
    let flip: UInt32 = log > x ? 0x8000_0000 : 0
    return PIScalar(bitPattern: sk.bitPattern ^ flip)
  }

  /// Random bits for `count` uniforms: one 64-bit draw per two, stored
  /// whole (see `SIMD4.uniform(fromBits:)`, which takes the top 24 bits of
  /// each 32-bit half).
  @inline(__always)
  static func drawBits(
    into b: UnsafeMutablePointer<PIScalar>, count: Int, using rng: inout Xoshiro256PlusPlus
  ) {
    let words = UnsafeMutableRawPointer(b)
    for w in 0..<((count &+ 1) / 2) {
      words.storeBytes(of: rng.next(), toByteOffset: w &* 8, as: UInt64.self)
    }
  }

  /// 1 if `x` is not ±0, else 0, without a branch.
  @inline(__always)
  static func isNonzero(_ x: PIScalar) -> Int {
    Int(((x.bitPattern & 0x7FFF_FFFF) &+ 0x7FFF_FFFF) >> 31)
  }

  /// A uniform in (0, 1) with 24 random bits.
  @inline(__always)
  static func uniform(_ rng: inout Xoshiro256PlusPlus) -> PIScalar {
    (PIScalar(rng.next() >> 40) + 0.5) * 0x1.0p-24
  }
}

/// Four lanes of kernel scalars (one SSE register).
typealias PIVector = SIMD4<PIScalar>

extension SIMD4 where Scalar == PIScalar {
  /// Uniforms in (0, 1), one from the top 24 bits of each 32-bit word.
  @inline(__always)
  static func uniform(fromBits p: UnsafeMutablePointer<PIScalar>) -> Self {
    let raw = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<UInt32>.self) &>> 8
    return (Self(SIMD4<Int32>(truncatingIfNeeded: raw)) + 0.5) * 0x1.0p-24
  }

  @inline(__always)
  func store(to p: UnsafeMutablePointer<PIScalar>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
  }
}

// ln x for normal positive x, in lanes: x = m·2^e with m in [√½, √2),
// found with integer arithmetic on the bits (subtracting the bits of √½
// makes the exponent field of the difference e, rounded down), and
// ln m = 2 atanh z = 2(z + z³/3 + z⁵/5 + z⁷/7), z = (m − 1)/(m + 1),
// |z| ≤ 0.172: truncation error below 3·10⁻⁸, about Float's rounding of the
// result and far below the 2⁻²⁴ granularity of the uniforms it is used on.
@inline(__always)
func piLog(_ x: PIVector) -> PIVector {
  let bits = unsafeBitCast(x, to: SIMD4<Int32>.self)
  let e = (bits &- 0x3F35_04F3) &>> 23
  let m = unsafeBitCast(bits &- (e &<< 23), to: PIVector.self)
  let one = PIVector(repeating: 1)
  let z: PIVector = (m - one) / (m + one)
  let z2: PIVector = z * z
  var series: PIVector = z2 * PIVector(repeating: 1 / 7) + PIVector(repeating: 1 / 5)
  series = series * z2 + PIVector(repeating: 1 / 3)
  series = series * z2 + one
  let twoZ: PIVector = z + z
  return PIVector(e) * PIVector(repeating: 0.693147180559945) + twoZ * series
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
