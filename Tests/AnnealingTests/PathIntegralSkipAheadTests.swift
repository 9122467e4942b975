import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's skip-ahead by thinning (Int8 fields, acceptance table, P = 16
/// and 32):
/// where it applies, its bins against the table, the first candidate's
/// law, one visit's decisions against their exact distribution from fixed
/// states, and acceptance counts against the plain table. (The physics
/// against exact diagonalisation at P = 16 and 32 and the same samples at
/// 1, 2, 3 threads: `PathIntegralAcceptanceTableTests.matchesExact`,
/// `PathIntegralByteFieldsTests.samplerThreadsAgree`, which run it.)
@Suite struct PathIntegralSkipAheadTests {
  @Test func whenUsed() {
    let plusMinus = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: 1)
    for trotter in [16, 32] {
      #expect(
        PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true).usesSkipAhead,
        "P \(trotter)")
    }
    for trotter in [4, 8, 12, 20, 24, 64] {
      #expect(
        !PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true).usesSkipAhead,
        "P \(trotter)")
    }
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 32, narrowFields: true, skipAhead: false)
        .usesSkipAhead)
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 32, narrowFields: true, acceptanceTable: false)
        .usesSkipAhead)
    #expect(!PathIntegralSystem(plusMinus, trotter: 32).usesSkipAhead)
  }

  /// The table index of a proposal, as the passes compute it.
  static func tableIndex(
    _ system: PathIntegralSystem, _ s: SliceFloat, _ pair: SliceFloat, _ f: SliceFloat
  ) -> Int {
    let value = s * (system.acceptanceNeighbourWeight * pair + f) + system.acceptanceIndexBias
    return Int(value.bitPattern & 0xFFFF)
  }

  /// The table's acceptance probability (T + 1)/2³² of a proposal.
  static func acceptance(
    _ system: PathIntegralSystem, _ s: SliceFloat, _ pair: SliceFloat, _ f: SliceFloat
  ) -> Double {
    let t = system.acceptanceThreshold(at: tableIndex(system, s, pair, f))
    return (Double(t) + 1) * 0x1p-32
  }

  /// Every (r, g) of the table falls in a bin whose bound is at least its
  /// acceptance probability, from hot to cold (and at the J⊥ of the
  /// schedule's last step); bin 0 is certain, the others are below 1 and
  /// at least e^{−b/R}, and q_b = (1 − π̄_b)³².
  @Test(arguments: [
    (0.0005, 0.05), (0.01, 0.4), (0.07, 1.2), (0.3, 3.0), (1.0, 6.0), (0.3125, 1e9),
  ])
  func binsBoundTheTable(_ scale: Double, _ jPerp: Double) {
    let problem = PathIntegralByteFieldsTests.ferromagnet(n: 100)
    let system = PathIntegralSystem(problem, trotter: 32, narrowFields: true)
    let sixteen = PathIntegralSystem(problem, trotter: 16, narrowFields: true)
    #expect(system.usesSkipAhead)
    system.prepareAcceptanceTable(scale: SliceFloat(scale), jPerp: SliceFloat(jPerp))
    let bound = system.acceptanceFieldBound
    var bins = Set<Int>()
    for s in [SliceFloat(-1), 1] {
      for pair in [SliceFloat(-2), 0, 2] {
        for f in -bound...bound {
          let field = SliceFloat(f)
          let index = Self.tableIndex(system, s, pair, field)
          let numerator = UInt64(system.acceptanceThreshold(at: index)) + 1
          // R ΔS as the visit computes it, and its bin.
          let key = s * (system.skipPairWeight * pair - system.skipFieldWeight * field)
          let bin = PathIntegralSystem.skipBin(key)
          bins.insert(bin)
          #expect(
            system.skipNumerator[bin] >= numerator,
            "a \(scale) J⊥ \(jPerp) s \(s) pair \(pair) f \(f): bin \(bin)")
        }
      }
    }
    #expect(bins.count > 1)
    for b in 0..<PathIntegralSystem.skipBinCount {
      let bar = Double(system.skipNumerator[b]) * 0x1p-32
      if b == 0 {
        #expect(bar == 1 && system.skipProbability[b] == 0)
        continue
      }
      #expect(bar < 1 && bar >= exp(-Double(b) / PathIntegralSystem.skipBinsPerUnit), "bin \(b)")
      let q = pow(1 - bar, 32)
      #expect(abs(system.skipProbability[b] - q) <= 1e-12 * q, "bin \(b)")
      let threshold = Double(system.skipThreshold[b])
      #expect(threshold <= q * 0x1p32 && threshold > q * 0x1p32 - 1, "bin \(b)")
      #expect(sixteen.skipNumerator[b] == system.skipNumerator[b])
      let q16 = pow(1 - bar, 16)
      #expect(abs(sixteen.skipProbability[b] - q16) <= 1e-12 * q16, "P 16 bin \(b)")
    }
  }

  /// The first candidate J from u ≥ q = c^P is max{j : u < c^j}, and over
  /// uniform u its law is c^j (1 − c)/(1 − q) (χ² over j).
  @Test(arguments: [0.002, 0.03, 0.2])
  func firstCandidateLaw(_ bar: Double) {
    for slices in [16, 32] {
      let c = 1 - bar
      let q = PathIntegralSystem.noCandidateProbability(c, slices: slices)
      var rng = Xoshiro256PlusPlus(seed: 5)
      var counts = [Double](repeating: 0, count: slices)
      var draws = 0
      while draws < 100_000 {
        let u = Double(rng.next() >> 11) * 0x1p-53
        if u < q { continue }
        let j = PathIntegralSystem.firstCandidate(u, complement: c, slices: slices)
        if draws % 97 == 0 {
          var direct = 0
          while direct + 1 < slices && u < pow(c, Double(direct + 1)) { direct += 1 }
          #expect(j == direct, "u \(u) π̄ \(bar) P \(slices)")
        }
        counts[j] += 1
        draws += 1
      }
      var chi2 = 0.0
      for j in 0..<slices {
        let expected = Double(draws) * pow(c, Double(j)) * (1 - c) / (1 - q)
        chi2 += (counts[j] - expected) * (counts[j] - expected) / expected
      }
      let df = Double(slices - 1)
      #expect(chi2 < df + 5 * (2 * df).squareRoot() + 10, "π̄ \(bar) P \(slices): χ² \(chi2)")
    }
  }

  /// One visit's decisions (`proposeSlicesThinned`, P = 16 and 32) from a fixed
  /// state, many times, against their exact law from the table: each even
  /// slice flips with its π independently; each odd slice, given the new
  /// even slices beside it, with its π. Checked: every slice's flip
  /// frequency, the frequency of no flip at all, and the joint law of
  /// slices 0, 1 and 2 (an odd slice and its two even neighbours), in
  /// states where most visits skip, where the first candidate is drawn,
  /// and where the plain table decides (π̄ = 1).
  @Test(arguments: [16, 32], [0, 1, 2])
  func visitMatchesExactLaw(_ trotter: Int, _ state: Int) {
    let problem = PathIntegralByteFieldsTests.ferromagnet(n: 100)
    let system = PathIntegralSystem(problem, trotter: trotter, narrowFields: true)
    #expect(system.usesSkipAhead)
    system.prepareAcceptanceTable(scale: 0.1, jPerp: 1.0)
    let slices = trotter
    let half = trotter / 2
    // Slice k sits at position k/2 (even) or P/2 + (k − 1)/2 (odd).
    func position(_ k: Int) -> Int { k % 2 == 0 ? k / 2 : half + k / 2 }
    var start = [SliceFloat](repeating: 1, count: slices)
    var fields = [SliceFloat](repeating: 0, count: slices)
    for k in 0..<slices {
      // Straight worldline, g = s f in [−5, −1]: π from 0.007 to 0.015.
      fields[position(k)] = -SliceFloat(k % 5 + 1)
    }
    if state >= 1 {
      // Slices 10…13 reversed, g = −f there in [−3, −1]; the kinks at
      // 9/10 and 13/14 have ΔS = 0.2 |g| > 0.
      for k in 10...13 {
        start[position(k)] = -1
        fields[position(k)] = SliceFloat(k % 3 + 1)
      }
    }
    if state == 2 {
      // A kink with g = +1: ΔS < 0, certain acceptance, π̄ = 1.
      fields[position(10)] = -1
    }
    let spins = UnsafeMutablePointer<SliceFloat>.allocate(capacity: slices + 8)
    let siteFields = UnsafeMutablePointer<SliceFloat>.allocate(capacity: slices + 8)
    defer {
      spins.deallocate()
      siteFields.deallocate()
    }
    spins.initialize(repeating: 0, count: slices + 8)
    siteFields.initialize(repeating: 0, count: slices + 8)
    for p in 0..<slices { siteFields[p] = fields[p] }

    // The exact law. Even position m: neighbours at 16 + m − 1, 16 + m.
    func evenProbability(_ m: Int) -> Double {
      let pair = start[half + (m + half - 1) % half] + start[half + m]
      return Self.acceptance(system, start[m], pair, fields[m])
    }
    // Odd position 16 + m given whether evens m, m + 1 flipped.
    func oddProbability(_ m: Int, _ flipA: Bool, _ flipB: Bool) -> Double {
      let a = start[m] * (flipA ? -1 : 1)
      let b = start[(m + 1) % half] * (flipB ? -1 : 1)
      return Self.acceptance(system, start[half + m], a + b, fields[half + m])
    }
    let even = (0..<half).map(evenProbability)
    var marginal = even
    var none = even.reduce(1) { $0 * (1 - $1) }
    for m in 0..<half {
      let (pa, pb) = (even[m], even[(m + 1) % half])
      var p = 0.0
      for fa in [false, true] {
        for fb in [false, true] {
          p += (fa ? pa : 1 - pa) * (fb ? pb : 1 - pb) * oddProbability(m, fa, fb)
        }
      }
      marginal.append(p)
      none *= 1 - oddProbability(m, false, false)
    }
    var joint = [Double](repeating: 0, count: 8)
    for pattern in 0..<8 {
      let (f0, f1, fo) = (pattern & 1 != 0, pattern & 2 != 0, pattern & 4 != 0)
      let po = oddProbability(0, f0, f1)
      joint[pattern] =
        (f0 ? even[0] : 1 - even[0]) * (f1 ? even[1] : 1 - even[1]) * (fo ? po : 1 - po)
    }

    // Visits from the same state.
    let visits = 100_000
    var rng = Xoshiro256PlusPlus(seed: UInt64(31 + state + trotter))
    var lanes = SliceLaneGenerator(seeding: &rng)
    var flips = [Double](repeating: 0, count: slices)
    var noFlip = 0.0
    var patterns = [Double](repeating: 0, count: 8)
    var mismatches = 0
    for _ in 0..<visits {
      for p in 0..<slices { spins[p] = start[p] }
      let (changed, dot) = system.proposeSlicesThinned(
        spins, siteFields, lanes: &lanes, rightShift: system.laneRightShift, rng: &rng,
        vectorsPerColour: trotter / 8)
      var count = 0
      var sum: SliceFloat = 0
      for p in 0..<slices {
        sum += spins[p] * fields[p]
        if spins[p] != start[p] {
          flips[p] += 1
          count += 1
        }
        if system.sliceChange[p] != spins[p] - start[p] { mismatches += 1 }
      }
      if count != changed || sum != dot { mismatches += 1 }
      if count == 0 { noFlip += 1 }
      let pattern =
        (spins[0] != start[0] ? 1 : 0) | (spins[1] != start[1] ? 2 : 0)
        | (spins[half] != start[half] ? 4 : 0)
      patterns[pattern] += 1
    }
    #expect(mismatches == 0, "changed count, Σ s f or d_k wrong in \(mismatches) visits")
    let n = Double(visits)
    func z(_ observed: Double, _ p: Double) -> Double {
      (observed - n * p) / max((n * p * (1 - p)).squareRoot(), 1e-9)
    }
    for p in 0..<slices {
      #expect(
        abs(z(flips[p], marginal[p])) < 5,
        "P \(trotter) state \(state) position \(p): \(flips[p]) flips, expected \(n * marginal[p])")
    }
    #expect(
      abs(z(noFlip, none)) < 5,
      "P \(trotter) state \(state): \(noFlip) visits without a flip, expected \(n * none)")
    var chi2 = 0.0
    var cells = 0
    for pattern in 0..<8 where n * joint[pattern] >= 5 {
      chi2 += (patterns[pattern] - n * joint[pattern]) * (patterns[pattern] - n * joint[pattern])
        / (n * joint[pattern])
      cells += 1
    }
    let df = Double(max(cells - 1, 1))
    #expect(
      chi2 < df + 5 * (2 * df).squareRoot() + 10,
      "P \(trotter) state \(state): χ² \(chi2) over \(cells) patterns of slices 0, 1, 2")
    // What the states exercise: skips, drawn first candidates, the plain
    // table.
    let keyBin = { () -> Int in
      var least = SliceFloat.infinity
      for m in 0..<half {
        let pe = start[half + (m + half - 1) % half] + start[half + m]
        least = min(
          least,
          start[m] * (system.skipPairWeight * pe - system.skipFieldWeight * fields[m]))
        let po = start[m] + start[(m + 1) % half]
        least = min(
          least,
          start[half + m]
            * (system.skipPairWeight * po - system.skipFieldWeight * fields[half + m]))
      }
      return PathIntegralSystem.skipBin(least)
    }()
    let q = system.skipProbability[keyBin]
    switch state {
    case 0: #expect(q > (trotter == 16 ? 0.6 : 0.3), "q \(q)")
    case 1: #expect(q > 0 && q < 0.01, "q \(q)")
    default: #expect(q == 0)
    }
  }

  /// The settings of the exact-diagonalisation tests of the table path
  /// (`PathIntegralAcceptanceTableTests.matchesExact`: β = 0.8, Γ = 1.5)
  /// run many sweeps with skip-ahead (about half or more), so those tests
  /// check its physics.
  @Test(arguments: [(4, 16), (6, 16), (5, 32)])
  func exactDiagonalisationSettingsUseIt(n: Int, trotter: Int) {
    let problem = PathIntegralSignSplitTests.plusMinus(n: n, c: 1, seed: UInt64(40 + n))
    let system = PathIntegralSystem(problem, trotter: trotter, narrowFields: true)
    #expect(system.usesSkipAhead)
    let (beta, gamma) = (0.8, 1.5)
    let scale = SliceFloat(beta / Double(trotter))
    let jPerp = SliceFloat(-0.5 * log(tanh(beta * gamma / Double(trotter))))
    var rng = Xoshiro256PlusPlus(seed: 3)
    system.randomize(using: &rng)
    for _ in 0..<400 { system.sweep(scale: scale, jPerp: jPerp, worldline: true, rng: &rng) }
    #expect(system.thinnedSweeps > 100, "\(system.thinnedSweeps) of 400 sweeps")
  }

  /// Skip-ahead and the plain table agree in distribution: from the same
  /// state, many single sweeps (worldline moves on) at scales from hot to
  /// cold accept the same number of slice flips within a few standard
  /// errors.
  @Test(arguments: [16, 32])
  func acceptanceAgreesWithPlainTable(_ trotter: Int) {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 60, c: 1, seed: 3)
    for (scale, jPerp) in [(0.01, 0.3), (0.05, 0.8), (0.2, 1.5), (0.3, 2.5)]
      as [(SliceFloat, SliceFloat)]
    {
      var counts: [[Double]] = [[], []]
      for (which, skip) in [false, true].enumerated() {
        let system = PathIntegralSystem(
          problem, trotter: trotter, narrowFields: true, skipAhead: skip)
        #expect(system.usesSkipAhead == skip && system.usesAcceptanceTable)
        defer {
          // Sweeps use skip-ahead where most visits change nothing (the
          // colder scales here), the plain table elsewhere.
          if skip && scale >= 0.2 { #expect(system.thinnedSweeps > 20, "scale \(scale)") }
          if skip && scale <= 0.01 { #expect(system.thinnedSweeps == 0, "scale \(scale)") }
        }
        counts[which] = system.acceptedFlipsPerSweep(
          scale: scale, jPerp: jPerp, worldline: true, seed: 78)
      }
      let (plainMean, plainError) = blockMeanAndError(counts[0])
      let (skipMean, skipError) = blockMeanAndError(counts[1])
      let sigma = (plainError * plainError + skipError * skipError).squareRoot()
      #expect(plainMean > (scale < 0.3 ? 2 : 0.1), "scale \(scale): \(plainMean) flips a sweep")
      let plain = "plain \(plainMean) ± \(plainError)"
      let thinned = "skip-ahead \(skipMean) ± \(skipError)"
      #expect(
        abs(plainMean - skipMean) <= 4.5 * sigma + 0.005 * plainMean,
        "P \(trotter) scale \(scale): \(plain), \(thinned)")
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
