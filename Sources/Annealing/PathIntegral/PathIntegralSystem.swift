import QUBOModel

// The state of path-integral Monte Carlo (the "system" of SQA): P coupled
// classical copies of the spins, their cached local fields and the slice
// energies. One sweep over it is in PathIntegralSystem+Sweep.swift, the
// driver in PathIntegralAnnealing.swift.
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
// Layout: spins and cached fields are spin-major, s[i·P + pos(k)], as
// Float ±1 and Float fields, so everything about spin i across imaginary
// time is one contiguous run of P floats. pos(k) = k, except when P is a
// multiple of 8 (the vector path): then the even slices come first and the
// odd ones after them (pos(2m) = m, pos(2m + 1) = P/2 + m), so each colour
// of the checkerboard (PathIntegralSystem+SliceMoves.swift) is a run of
// whole SSE vectors. Integer models with P = 8, 12, 16, 32 and small fields
// keep the fields as Int16 instead (PathIntegralSystem+NarrowFields.swift),
// or as Int8 with ±c couplings, P = 12, 16, 32 and |f| ≤ 127
// (PathIntegralSystem+ByteFields.swift).
//
// Slice energies H_p(s^k) are tracked in Double. Float fields accumulate
// rounding when couplings are not dyadic, so fields and energies are
// recomputed exactly every `refreshInterval` sweeps.

/// Spins, fields and couplings in the kernel's precision.
typealias SliceFloat = Float

/// One CSR entry in kernel form.
struct KernelEdge {
  /// The neighbour's index times P.
  var offset: Int32
  /// J_ij in kernel precision.
  var coupling: SliceFloat
}

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
  let edgeCount: Int
  /// CSR of the problem, with couplings in kernel precision.
  let rowStart: UnsafeMutablePointer<Int32>
  /// Edge e of the CSR: where neighbour e's slices start (neighbor[e] · P)
  /// and J_ij, side by side so that one load brings both.
  let edges: UnsafeMutablePointer<KernelEdge>
  /// Where row i's negative couplings start: every row holds its
  /// couplings ≥ 0 first, then its negative ones.
  let negativeStart: UnsafeMutablePointer<Int32>
  /// c when every coupling is ±c (c > 0, in kernel precision), else 0: then
  /// an update over all slices adds +c·d or −c·d, computed once per spin
  /// instead of once per neighbour (PathIntegralSystem+NeighbourFields.swift).
  let couplingMagnitude: SliceFloat
  let problem: IsingProblem
  /// s[i·P + k] = s_i^k ∈ {−1, +1}.
  let spins: UnsafeMutablePointer<SliceFloat>
  /// f[i·P + k] = h_i + Σ_j J_ij s_j^k.
  let fields: UnsafeMutablePointer<SliceFloat>
  /// H_p(s^k) (with the offset).
  let sliceEnergy: UnsafeMutablePointer<Double>
  /// Scratch: the old spins of the current site, then the changes
  /// d_k = s_new^k − s_old^k.
  let sliceChange: UnsafeMutablePointer<SliceFloat>
  /// Scratch: the slices of the current site that changed.
  let flippedSlices: UnsafeMutablePointer<Int32>
  /// Scratch: −ln u_k of the current site's proposals.
  let negativeLogUniforms: UnsafeMutablePointer<SliceFloat>
  /// Scratch: the current site's slices with wrap-around ends,
  /// ring[0] = s^{P−1}, ring[1 + k] = s^k, ring[P + 1] = s^0.
  let sliceRing: UnsafeMutablePointer<SliceFloat>
  /// Whether slices are stored colour-split (P a multiple of 8, the vector
  /// path): see `position(ofSlice:)`.
  let colourSplit: Bool
  /// e^{−ΔS} of a worldline move by m = −Σ_k s^k f^k, for integer models.
  ///
  /// Filled on first use (PathIntegralSystem+WorldlineThresholds.swift);
  /// −1 where not yet computed. `worldlineThresholdCount` entries, 0 when
  /// the model is not integer.
  let worldlineThresholds: UnsafeMutablePointer<SliceFloat>
  let worldlineThresholdCount: Int
  /// 2·scale of the values in `worldlineThresholds` (−1: none yet).
  var worldlineThresholdScale: SliceFloat = -1
  /// The fields as Int16, for integer models with P = 8, 16 or 32.
  ///
  /// When used (PathIntegralSystem+NarrowFields.swift), these, not
  /// `fields`, are the ones kept up to date. One entry when not used.
  let narrowFields: UnsafeMutablePointer<Int16>
  /// Whether `narrowFields` holds the fields.
  let usesNarrowFields: Bool
  /// The fields as Int8, for integer models with ±c couplings, P = 12, 16
  /// or 32 and |f| ≤ 127 (PathIntegralSystem+ByteFields.swift); then these
  /// are the ones kept up to date (and `usesNarrowFields` is false). One
  /// 16-byte vector when not used.
  let byteFields: UnsafeMutablePointer<Int8>
  /// Whether `byteFields` holds the fields.
  let usesByteFields: Bool
  /// Scratch, with Int8 fields: each slice energy's change during the
  /// current sweep, in Float (exact: integers below 2²⁴), added to
  /// `sliceEnergy` at the sweep's end (PathIntegralSystem+ByteFields.swift).
  let sliceEnergyChange: UnsafeMutablePointer<SliceFloat>
  /// Scratch: the current site's fields as Float, when `usesNarrowFields`.
  let siteFieldScratch: UnsafeMutablePointer<SliceFloat>
  /// Whether the slice proposals are decided by the acceptance table
  /// (PathIntegralSystem+AcceptanceTable.swift) instead of −ln u.
  let usesAcceptanceTable: Bool
  /// F = max_i(|h_i| + Σ_j |J_ij|) when `usesAcceptanceTable`, else 0.
  let acceptanceFieldBound: Int
  /// The table's thresholds T: high halves with the top bit flipped
  /// (sign-extended to 32 bits: one `movd` a lookup), and low halves,
  /// 3 (2F + 1) entries each (one when not used).
  let acceptanceHigh: UnsafeMutablePointer<Int32>
  let acceptanceLow: UnsafeMutablePointer<UInt16>
  /// K = (2F + 1)/2 and 1.5·2²³ + 3F + 1: the index of a proposal is
  /// s (K (s⁻ + s⁺) + f) plus this bias.
  let acceptanceNeighbourWeight: SliceFloat
  let acceptanceIndexBias: SliceFloat
  /// Whether a visit first tests whether any slice proposal can be a
  /// candidate (PathIntegralSystem+SkipAhead.swift): with the acceptance
  /// table, unless turned off.
  let usesSkipAhead: Bool
  /// Per bin of R ΔS (`skipBinCount`, one entry when not used): the
  /// bound's numerator T̄ + 1 = 2³² π̄ and the probability (1 − π̄)^P that
  /// no slice is a candidate.
  let skipNumerator: UnsafeMutablePointer<UInt64>
  let skipProbability: UnsafeMutablePointer<Double>
  /// ⌊2³² q⌋ per bin: a 32-bit word below it skips.
  let skipThreshold: UnsafeMutablePointer<UInt32>
  /// Visits of the last table sweep (P = 16 or 32) whose slice proposals changed
  /// nothing; a sweep uses skip-ahead when they were at least
  /// `skipAheadQuietPercent` per cent of n.
  var quietVisits = 0
  /// Sweeps that used skip-ahead (tests).
  var thinnedSweeps = 0
  /// R·2J⊥ and R·2a of the current sweep (`prepareAcceptanceTable`).
  var skipPairWeight: SliceFloat = 0
  var skipFieldWeight: SliceFloat = 0
  /// Row m (P + 1 rows of P lanes): all bits set in lanes 0..<m.
  let skipLaneMasks: UnsafeMutablePointer<UInt32>
  /// The a and J⊥ the table was built for (−1: not yet).
  var acceptanceTableScale: SliceFloat = -1
  var acceptanceTableJPerp: SliceFloat = -1
  /// 21: `SliceLaneGenerator.next(rightShift:)` (a stored `var`, so the
  /// compiler cannot fold it into a constant).
  var laneRightShift: UInt32 = 21
  /// The sign bit in the even lanes (0 and 2) of a vector of four slices,
  /// and in the odd lanes: the P = 4 and 12 passes flip the accepted slices
  /// of one colour with them (PathIntegralSystem+SliceMoves.swift). Stored
  /// `var`s, so the compiler cannot see that half the lanes are zero: with
  /// constant masks it split the vectors into scalars and lane pairs (P = 12
  /// about 200 instructions a spin for the passes).
  var evenSliceSigns = SIMD4<UInt32>(0x8000_0000, 0, 0x8000_0000, 0)
  var oddSliceSigns = SIMD4<UInt32>(0, 0x8000_0000, 0, 0x8000_0000)
  /// Accepted worldline moves and accepted slice flips.
  var acceptedWorldlines: UInt64 = 0
  var acceptedFlips: UInt64 = 0

  /// Sweeps between exact recomputations of fields and energies.
  static let refreshInterval = 1024

  /// - Parameter splitBySign: whether to use `couplingMagnitude` when every
  ///   coupling is ±c (tests turn it off to compare with the multiply).
  /// - Parameter worldlineTable: whether to keep the worldline thresholds
  ///   of integer models in a table (tests turn it off to compare with the
  ///   call to exp).
  /// - Parameter narrowFields: whether to keep the fields as Int16 when the
  ///   model allows it (`narrowFieldsApply(to:trotter:)`); the samplers
  ///   turn it on, tests compare both.
  /// - Parameter byteFields: with `narrowFields`, whether to keep them as
  ///   Int8 instead where the model allows that
  ///   (`byteFieldsApply(to:trotter:couplingMagnitude:)`); tests turn it
  ///   off to exercise the Int16 fields.
  /// - Parameter acceptanceTable: with Int8 fields, whether to decide the
  ///   slice proposals by the acceptance table where it applies
  ///   (`acceptanceTableApplies(byteFields:trotter:)`); tests turn it off
  ///   to compare the Int8 fields with the Float ones bit for bit.
  /// - Parameter skipAhead: with the acceptance table, whether a visit
  ///   first tests whether any proposal can be a candidate
  ///   (`skipAheadApplies`); tests turn it off to compare with the plain
  ///   table.
  init(
    _ problem: IsingProblem, trotter: Int, splitBySign: Bool = true,
    worldlineTable: Bool = true, narrowFields narrow: Bool = false, byteFields: Bool = true,
    acceptanceTable: Bool = true, skipAhead: Bool = true
  ) {
    self.problem = problem
    n = problem.numSpins
    self.trotter = trotter
    let padded = (trotter + 7) & ~7
    paddedTrotter = padded
    edgeCount = problem.neighbor.count
    rowStart = .allocate(capacity: n + 1)
    let edges = UnsafeMutablePointer<KernelEdge>.allocate(capacity: max(1, edgeCount))
    self.edges = edges
    for i in 0...n { rowStart[i] = problem.rowStart[i] }
    // Each row's positive couplings first, then its negative ones (the
    // order of a row's neighbours does not change any field: each
    // neighbour's fields get one addition per update).
    let negativeStart = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
    self.negativeStart = negativeStart
    let rows = problem.rowStart
    let spinCount = n
    let magnitude = SliceFloat(abs(problem.coupling.first ?? 0))
    var uniform = magnitude > 0
    problem.neighbor.withUnsafeBufferPointer { neighbor in
      problem.coupling.withUnsafeBufferPointer { coupling in
        forEachEdgeSignFirst(
          rows: spinCount, rowStart: { Int(rows[$0]) }, isNegative: { coupling[$0] < 0 },
          place: { e, k in
            uniform = uniform && SliceFloat(abs(coupling[k])) == magnitude
            (edges + e).initialize(
              to: KernelEdge(
                offset: Int32(truncatingIfNeeded: Int(neighbor[k]) * trotter),
                coupling: SliceFloat(coupling[k])))
          },
          split: { i, e in negativeStart[i] = Int32(truncatingIfNeeded: e) })
      }
    }
    couplingMagnitude = uniform && splitBySign ? magnitude : 0
    // Eight spare entries at the end: vector loads of the last spin's
    // slices may read past slice P − 1 (the lanes are masked off).
    spins = .allocate(capacity: n * trotter + 8)
    spins.initialize(repeating: 1, count: n * trotter + 8)
    fields = .allocate(capacity: n * trotter + 8)
    fields.initialize(repeating: 0, count: n * trotter + 8)
    sliceEnergy = .allocate(capacity: trotter)
    sliceEnergy.initialize(repeating: 0, count: trotter)
    sliceChange = .allocate(capacity: padded)
    sliceChange.initialize(repeating: 0, count: padded)
    flippedSlices = .allocate(capacity: trotter)
    flippedSlices.initialize(repeating: 0, count: trotter)
    negativeLogUniforms = .allocate(capacity: padded)
    negativeLogUniforms.initialize(repeating: 0, count: padded)
    sliceRing = .allocate(capacity: padded + 2)
    sliceRing.initialize(repeating: 1, count: padded + 2)
    colourSplit = trotter % 8 == 0
    let thresholdCount =
      worldlineTable ? Self.worldlineThresholdCount(for: problem, trotter: trotter) : 0
    worldlineThresholdCount = thresholdCount
    worldlineThresholds = .allocate(capacity: max(1, thresholdCount))
    worldlineThresholds.initialize(repeating: -1, count: max(1, thresholdCount))
    let bytes =
      narrow && byteFields
      && Self.byteFieldsApply(
        to: problem, trotter: trotter, couplingMagnitude: couplingMagnitude)
    usesByteFields = bytes
    // Sixteen spare bytes: P = 12 reads and writes a neighbour's fields as
    // one 16-byte vector (the last four lanes unchanged).
    let byteCount = bytes ? n * trotter + 16 : 16
    self.byteFields = .allocate(capacity: byteCount)
    self.byteFields.initialize(repeating: 0, count: byteCount)
    usesNarrowFields =
      narrow && !bytes && Self.narrowFieldsApply(to: problem, trotter: trotter)
    let narrowCount = usesNarrowFields ? n * trotter + 8 : 1
    narrowFields = .allocate(capacity: narrowCount)
    narrowFields.initialize(repeating: 0, count: narrowCount)
    siteFieldScratch = .allocate(capacity: padded)
    siteFieldScratch.initialize(repeating: 0, count: padded)
    sliceEnergyChange = .allocate(capacity: padded)
    sliceEnergyChange.initialize(repeating: 0, count: padded)
    let table =
      acceptanceTable && Self.acceptanceTableApplies(byteFields: bytes, trotter: trotter)
    usesAcceptanceTable = table
    let bound = table ? Int(problem.maxAbsField) : 0
    acceptanceFieldBound = bound
    let tableCount =
      (table ? Self.acceptanceTableCount(bound: bound) : 1) + Self.acceptanceTablePadding
    acceptanceHigh = .allocate(capacity: tableCount)
    acceptanceHigh.initialize(repeating: 0, count: tableCount)
    acceptanceLow = .allocate(capacity: tableCount)
    acceptanceLow.initialize(repeating: 0, count: tableCount)
    let skip = skipAhead && Self.skipAheadApplies(acceptanceTable: table, trotter: trotter)
    usesSkipAhead = skip
    let skipCount = skip ? Self.skipBinCount : 1
    skipProbability = .allocate(capacity: skipCount)
    skipProbability.initialize(repeating: 0, count: skipCount)
    skipThreshold = .allocate(capacity: skipCount)
    skipThreshold.initialize(repeating: 0, count: skipCount)
    skipNumerator = .allocate(capacity: skipCount)
    skipNumerator.initialize(repeating: 1 << 32, count: skipCount)
    let maskCount = skip ? (trotter + 1) * trotter : 1
    skipLaneMasks = .allocate(capacity: maskCount)
    skipLaneMasks.initialize(repeating: 0, count: maskCount)
    if skip {
      for m in 0...trotter {
        for lane in 0..<m { skipLaneMasks[m * trotter + lane] = .max }
      }
    }
    acceptanceNeighbourWeight = SliceFloat(2 * bound + 1) / 2
    acceptanceIndexBias = 0x1.8p23 + SliceFloat(3 * bound + 1)
    if skip { prepareSkipAheadBins() }
  }

  deinit {
    rowStart.deallocate()
    edges.deallocate()
    negativeStart.deallocate()
    spins.deallocate()
    fields.deallocate()
    sliceEnergy.deallocate()
    sliceChange.deallocate()
    flippedSlices.deallocate()
    negativeLogUniforms.deallocate()
    sliceRing.deallocate()
    worldlineThresholds.deallocate()
    narrowFields.deallocate()
    byteFields.deallocate()
    siteFieldScratch.deallocate()
    sliceEnergyChange.deallocate()
    acceptanceHigh.deallocate()
    acceptanceLow.deallocate()
    skipProbability.deallocate()
    skipNumerator.deallocate()
    skipThreshold.deallocate()
    skipLaneMasks.deallocate()
  }

  /// Sets every slice to the state `row` (n spins).
  func setAllSlices<C: Collection>(to row: C) where C.Element == Int8 {
    for (i, v) in row.enumerated() {
      for k in 0..<trotter { spins[i * trotter + k] = SliceFloat(v) }
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
    let slices = trotter
    for k in 0..<slices { sliceEnergy[k] = problem.offset }
    var field = [Double](repeating: 0, count: slices)
    for i in 0..<n {
      let hi = problem.h[i]
      for k in 0..<slices { field[k] = hi }
      for e in Int(problem.rowStart[i])..<Int(problem.rowStart[i + 1]) {
        let j = Int(problem.neighbor[e])
        let coupling = problem.coupling[e]
        for k in 0..<slices { field[k] += coupling * Double(spins[j * slices + k]) }
      }
      for k in 0..<slices {
        fields[i * slices + k] = SliceFloat(field[k])
        if usesNarrowFields {
          narrowFields[i * slices + k] = Int16(truncatingIfNeeded: Int(field[k]))
        }
        if usesByteFields {
          byteFields[i * slices + k] = Int8(truncatingIfNeeded: Int(field[k]))
        }
        let s = Double(spins[i * slices + k])
        // Each pair is seen from both ends: half of J s_i s_j per end.
        sliceEnergy[k] += s * (hi + 0.5 * (field[k] - hi))
      }
    }
  }

  /// Where slice k of a spin is stored, relative to the spin's first slice:
  /// k itself, or with the colour-split layout of the vector path, k/2 for
  /// even k and P/2 + k/2 for odd k.
  ///
  /// Spins, fields, d_k and the slice energies all use positions; only
  /// imaginary-time adjacency needs them.
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
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
