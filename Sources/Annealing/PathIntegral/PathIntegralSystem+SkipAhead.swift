// Skip-ahead by thinning for the table-decided slice proposals (issue 22,
// round ten): on the Int8 fields at P = 16 and 32
// (PathIntegralSystem+AcceptanceTable.swift), a visit first asks, with one
// draw, whether any of its P proposals can be accepted at all. A sweep does
// so only when at least `skipAheadQuietPercent` per cent of the last
// sweep's visits changed no slice (late in an anneal); elsewhere the bound
// is paid for little and the skip's branch is hard to predict.
//
// Thinning. Lane k (a slice position of the colour-split layout, in the
// order the passes decide them) is accepted with probability π_k = (T_k +
// 1)/2³², given the slices decided before it. Take a bound π̄ ≥ π_k for
// every lane in the visit's starting state and write each decision as
// "candidate (probability π̄, independent of everything) and then
// accepted with probability π_k/π̄". Until the first candidate J nothing
// changes, so the lanes before it see the starting state; J is
// geometric: P(J = j) = (1 − π̄)^j π̄, and no lane is a candidate with
// probability q = (1 − π̄)^P. Hence, exactly:
//
// - with probability q the visit changes no slice (one draw, no lookups);
// - else J = j with probability (1 − π̄)^j π̄ / (1 − q), the lanes before J
//   are rejected, J is accepted with probability π_J/π̄, and every lane
//   after J, being a candidate with probability π̄ independently of the
//   past, is accepted with probability π_k — that is, decided by the
//   table as usual (from the state after the lanes before it; the bound
//   needs to hold for the starting state only).
//
// Each lane is still accepted with probability π_k given the past: the
// same Markov chain as the plain table, with another use of the random
// bits (so other samples for a seed; the same at any thread count).
//
// The bound. R ΔS = s (R 2J⊥ (s⁻ + s⁺) − R 2a f) (R = 8) for every lane of
// the starting state, in Float from the slices and fields the passes read,
// and its minimum over the lanes; the bin b = ⌊R ΔS_min − 1/16⌋ clamped to
// [0, 255] (the margin covers Float rounding, below 10⁻³ in range) has
// ΔS_k ≥ b/R for every lane, so π̄_b = (⌈2³² e^{−b/R}(1 + 10⁻¹²)⌉ + 1)/2³²
// is at least every entry (T_k + 1)/2³² (the table follows e^{−ΔS} to a
// relative 10⁻¹⁴); π̄_0 = 1. π̄_b and q_b = (1 − π̄_b)^P depend on b only
// and are computed once.
//
// The draws: a 32-bit word w of the slice lane generator (four words a
// step, handed out one a visit); w < ⌊2³² q⌋ skips. Otherwise u = (w +
// v)/2³² with v a 53-bit uniform from the read's xoshiro256++ (so u is
// uniform above ⌊2³² q⌋/2³²), J = max{j < P : u < (1 − π̄)^j} by binary
// lifting over (1 − π̄)^{16, 8, 4, 2, 1} (the powers q was made of), and
// J is accepted iff ⌊w' 2³² π̄/2³²⌋ ≤ T_J for the top 32 bits w' of a
// further xoshiro256++ draw (probability (T_J + 1)/(2³² π̄) to within
// 2⁻³²). Skipping with probability ⌊2³² q⌋/2³² instead of q moves less
// than 2⁻³² of probability to J = P − 1. When π̄ = 1 (q = 0) the visit is
// the plain table's, with no draw.

extension PathIntegralSystem {
  /// Whether visits may test for a candidate first: where the acceptance
  /// table decides the slice proposals (`acceptanceTableApplies`), P = 16
  /// and 32.
  static func skipAheadApplies(acceptanceTable: Bool, trotter: Int) -> Bool {
    acceptanceTable && (trotter == 16 || trotter == 32)
  }

  /// A sweep uses skip-ahead when at least this many per cent of the last
  /// sweep's visits changed no slice: where fewer do, the skip's branch is
  /// hard to predict and the bound is paid for little. (65, 75 and 85 gave
  /// the same instruction counts on the benchmark instance.)
  static let skipAheadQuietPercent = 75

  /// Bins of R ΔS a unit wide (R = 8): bin b bounds every proposal with
  /// ΔS ≥ b/R by π̄_b = ⌈2³² e^{−b/R} (1 + 10⁻¹²)⌉/2³² + 2⁻³² (≥ its
  /// table entry's (T + 1)/2³²; 1 for b = 0), and the last bin every ΔS
  /// beyond.
  static let skipBinsPerUnit = 8.0
  static let skipBinCount = 256
  static let skipTopBin = SliceFloat(skipBinCount - 1)
  static let skipBinMargin: SliceFloat = 1.0 / 16

  /// The bin of the least R ΔS of a visit: ⌊`keyMin` − 1/16⌋ clamped to
  /// [0, 255].
  @inline(__always)
  static func skipBin(_ keyMin: SliceFloat) -> Int {
    // `x > 0 ? x : 0` is `maxss` (`max(x, 0)` was compiled into a blend).
    let x = keyMin - skipBinMargin
    let clamped = min(x > 0 ? x : 0, skipTopBin)
    // (1.5·2²³ − ½ is not a Float: the ½ goes first.)
    return Int(UInt8(truncatingIfNeeded: ((clamped - 0.5) + 0x1.8p23).bitPattern))
  }

  /// Fills `skipNumerator` (T̄ + 1 = 2³² π̄_b), `skipProbability` (q_b =
  /// (1 − π̄_b)^P) and `skipThreshold` (⌊2³² q_b⌋) for every bin; they do
  /// not depend on a or J⊥.
  func prepareSkipAheadBins() {
    for b in 0..<Self.skipBinCount {
      let numerator: UInt64
      if b == 0 {
        numerator = 1 << 32
      } else {
        let scaled = exp(-Double(b) / Self.skipBinsPerUnit) * (1 + 1e-12) * 0x1p32
        numerator = min(UInt64(scaled.rounded(.up)) + 1, 1 << 32)
      }
      skipNumerator[b] = numerator
      let q = Self.noCandidateProbability(1 - Double(numerator) * 0x1p-32, slices: trotter)
      skipProbability[b] = q
      skipThreshold[b] = UInt32(min((q * 0x1p32).rounded(.down), 0xFFFF_FFFF))
    }
  }

  /// T of table entry `index`, from its stored halves.
  @inline(__always)
  func acceptanceThreshold(at index: Int) -> UInt32 {
    let high = UInt32(UInt16(truncatingIfNeeded: acceptanceHigh[index]) ^ 0x8000)
    return high << 16 | UInt32(acceptanceLow[index])
  }

  /// (1 − π̄)^P for P = 16 or 32, by squaring (the powers `firstCandidate`
  /// lifts over).
  @inline(__always)
  static func noCandidateProbability(_ complement: Double, slices: Int) -> Double {
    let c2 = complement * complement
    let c4 = c2 * c2
    let c8 = c4 * c4
    let c16 = c8 * c8
    return slices == 32 ? c16 * c16 : c16
  }

  /// The first candidate J = max{j < P : u < c^j} for u ≥ c^P, c = 1 − π̄.
  @inline(__always)
  static func firstCandidate(_ u: Double, complement c: Double, slices: Int) -> Int {
    let c2 = c * c
    let c4 = c2 * c2
    let c8 = c4 * c4
    var power = 1.0
    var j = 0
    if slices == 32 {
      let c16 = c8 * c8
      if u < c16 {
        power = c16
        j = 16
      }
    }
    @inline(__always)
    func lift(_ step: Int, _ cs: Double) {
      let next = power * cs
      if u < next {
        power = next
        j &+= step
      }
    }
    lift(8, c8)
    lift(4, c4)
    lift(2, c2)
    lift(1, c)
    return j
  }

  /// The slice proposals of one visit with skip-ahead: the bound from the
  /// starting state, one draw, and then nothing, the plain table, or the
  /// table with the lanes up to the first candidate given.
  @inline(__always)
  func proposeSlicesThinned(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    lanes: inout SliceLaneGenerator, rightShift: UInt32, rng: inout Xoshiro256PlusPlus,
    vectorsPerColour: Int
  ) -> (changed: Int, dot: SliceFloat) {
    let oddStart = vectorsPerColour &* 16
    let spinBytes = UnsafeRawPointer(siteSpins)
    let fieldBytes = UnsafeRawPointer(siteFields)
    @inline(__always)
    func spin(_ at: Int) -> SliceVector {
      spinBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
    }
    @inline(__always)
    func field(_ at: Int) -> SliceVector {
      fieldBytes.loadUnaligned(fromByteOffset: at, as: SliceVector.self)
    }
    // R ΔS = R 2J⊥ s (s⁻ + s⁺) − R 2a s f of every lane in the starting
    // state, lane-wise minimum.
    let pairWeight = SliceVector(repeating: skipPairWeight)
    let fieldWeight = SliceVector(repeating: skipFieldWeight)
    var least = SliceVector(repeating: .infinity)
    // Σ s f on the way, for a visit that changes nothing.
    var dot = SliceVector(repeating: 0)
    @inline(__always)
    func include(_ s: SliceVector, _ pair: SliceVector, _ f: SliceVector) {
      let g = s * f
      dot += g
      let key = pairWeight * (s * pair) - fieldWeight * g
      least = least.replacing(with: key, where: key .< least)
    }
    var c = 0
    while c < vectorsPerColour {
      let at = c &* 16
      let odd = spin(oddStart &+ at)
      let oddBefore = spin(
        oddStart &+ (c == 0 ? (vectorsPerColour &- 1) &* 16 : at &- 16))
      include(spin(at), SliceVector(oddBefore[3], odd[0], odd[1], odd[2]) + odd, field(at))
      let even = spin(at)
      let evenAfter = spin(c &+ 1 == vectorsPerColour ? 0 : at &+ 16)
      include(
        odd, even + SliceVector(even[1], even[2], even[3], evenAfter[0]),
        field(oddStart &+ at))
      c &+= 1
    }
    // The bin ⌊R ΔS_min − 1/16⌋ clamped to [0, B − 1] (the margin covers
    // the Float rounding of R ΔS, below 10⁻³ wherever it is in range), read
    // as the nearest integer of the clamped value − ½ from the bits of its
    // sum with 1.5·2²³ (rounding down at exact halves).
    let swapped = SliceVector(least[2], least[3], least[0], least[1])
    let pairs = least.replacing(with: swapped, where: swapped .< least)
    let neighbours = SliceVector(pairs[1], pairs[0], pairs[3], pairs[2])
    let keyMin = pairs.replacing(with: neighbours, where: neighbours .< pairs)[0]
    let index = Self.skipBin(keyMin)
    let q = skipProbability[index]
    if q == 0 {
      return proposeSlicesByTable(
        siteSpins, siteFields, lanes: &lanes, rightShift: rightShift, rng: &rng,
        vectorsPerColour: vectorsPerColour)
    }
    let word = lanes.nextWord(rightShift: rightShift)
    if word < skipThreshold[index] {
      // No candidate: nothing changes (d = 0 for a worldline move).
      let change = UnsafeMutableRawPointer(sliceChange)
      var at = 0
      while at < vectorsPerColour &* 32 {
        change.storeBytes(of: SliceVector(repeating: 0), toByteOffset: at, as: SliceVector.self)
        at &+= 16
      }
      // Every term and partial sum is an integer below 2²⁴: the order
      // does not change Σ s f.
      let halves = dot + SliceVector(dot[2], dot[3], dot[0], dot[1])
      return (0, halves[0] + halves[1])
    }
    let slices = vectorsPerColour &* 8
    // u with `word` as its top 32 bits and 53 fresh ones below.
    let u = (Double(word) + Double(rng.next() >> 11) * 0x1p-53) * 0x1p-32
    let numerator = skipNumerator[index]
    let first = Self.firstCandidate(
      u, complement: 1 - Double(numerator) * 0x1p-32, slices: slices)
    let accepted = firstCandidateAccepted(
      siteSpins, siteFields, lane: first, boundNumerator: numerator, rng: &rng)
    let masks = UnsafeRawPointer(skipLaneMasks)
    let rowBytes = slices &* 4
    return proposeSlicesByTable(
      siteSpins, siteFields, lanes: &lanes, rightShift: rightShift, rng: &rng,
      vectorsPerColour: vectorsPerColour,
      forced: (
        mask: masks + (first &+ 1) &* rowBytes,
        reject: masks + (accepted ? first : first &+ 1) &* rowBytes
      ))
  }

  /// Whether the first candidate, lane `lane` of the starting state, is
  /// accepted: with probability (T + 1)/(T̄ + 1), T its entry and T̄ + 1 =
  /// `boundNumerator`, from the top 32 bits w of a draw of `rng`:
  /// ⌊w (T̄ + 1)/2³²⌋ ≤ T.
  @inline(never)
  func firstCandidateAccepted(
    _ siteSpins: UnsafeMutablePointer<SliceFloat>,
    _ siteFields: UnsafeMutablePointer<SliceFloat>,
    lane: Int, boundNumerator: UInt64, rng: inout Xoshiro256PlusPlus
  ) -> Bool {
    let half = trotter / 2
    let pair: SliceFloat
    if lane < half {
      // Even slice 2m: odd neighbours at positions P/2 + m − 1 and P/2 + m.
      pair = siteSpins[half + (lane == 0 ? half - 1 : lane - 1)] + siteSpins[half + lane]
    } else {
      // Odd slice 2m + 1: even neighbours at positions m and m + 1.
      let m = lane - half
      pair = siteSpins[m] + siteSpins[m + 1 == half ? 0 : m + 1]
    }
    let s = siteSpins[lane]
    let value = s * (acceptanceNeighbourWeight * pair + siteFields[lane]) + acceptanceIndexBias
    let t = UInt64(acceptanceThreshold(at: Int(UInt16(truncatingIfNeeded: value.bitPattern))))
    let w = rng.next() >> 32
    return (w &* boundNumerator) >> 32 <= t
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
