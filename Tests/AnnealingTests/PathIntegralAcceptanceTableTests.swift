import QUBOModel
import Testing
import _TestSupport

@testable import Annealing

/// SQA's slice proposals decided by the acceptance table (Int8 fields at
/// P = 16 and 32): the table against e^{−ΔS}, the integer comparisons at the
/// thresholds' edges, the physics against exact diagonalisation, and the
/// decisions' statistics against those of −ln u.
@Suite struct PathIntegralAcceptanceTableTests {
  @Test func whenUsed() {
    let plusMinus = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: 1)
    for trotter in [16, 32] {
      let used = PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true)
      #expect(used.usesByteFields && used.usesAcceptanceTable, "P \(trotter)")
      #expect(used.acceptanceFieldBound == Int(plusMinus.maxAbsField))
    }
    for trotter in [4, 8, 12, 20, 24, 64] {
      #expect(
        !PathIntegralSystem(plusMinus, trotter: trotter, narrowFields: true).usesAcceptanceTable,
        "P \(trotter)")
    }
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 16, narrowFields: true, acceptanceTable: false)
        .usesAcceptanceTable)
    #expect(
      !PathIntegralSystem(plusMinus, trotter: 16, narrowFields: true, byteFields: false)
        .usesAcceptanceTable)
    #expect(!PathIntegralSystem(plusMinus, trotter: 16).usesAcceptanceTable)
  }

  /// Every entry's acceptance probability (T + 1)/2³² against e^{−ΔS} for
  /// ΔS = 4 J⊥ r − 2 a g, from hot to cold: 1 exactly for ΔS ≤ 0, within
  /// [e^{−ΔS}, e^{−ΔS} + 2⁻³²] otherwise (up to the multiplications'
  /// rounding, 10⁻¹² of a unit), and the index arithmetic of the passes
  /// lands on the entry of its (r, g).
  @Test(arguments: [(0.0005, 0.05), (0.01, 0.4), (0.07, 1.2), (0.3, 3.0), (1.0, 6.0)])
  func tableMatchesExp(_ scale: Double, _ jPerp: Double) {
    let problem = PathIntegralByteFieldsTests.ferromagnet(n: 100)
    let system = PathIntegralSystem(problem, trotter: 16, narrowFields: true)
    #expect(system.usesAcceptanceTable)
    let a = SliceFloat(scale)
    let j = SliceFloat(jPerp)
    system.prepareAcceptanceTable(scale: a, jPerp: j)
    let bound = system.acceptanceFieldBound
    #expect(bound == 99)
    var middle = 0
    for s in [SliceFloat(-1), 1] {
      for pair in [SliceFloat(-2), 0, 2] {
        for f in -bound...bound {
          // The passes' index: s (K (s⁻ + s⁺) + f) + 1.5·2²³ + C, low 16 bits.
          let value =
            s * (system.acceptanceNeighbourWeight * pair + SliceFloat(f))
            + system.acceptanceIndexBias
          let index = Int(value.bitPattern & 0xFFFF)
          let r = Int(s * pair) / 2
          let g = Int(s) * f
          #expect(index == (r + 1) * (2 * bound + 1) + g + bound)
          let high = UInt32(UInt16(truncatingIfNeeded: system.acceptanceHigh[index]) ^ 0x8000)
          #expect(system.acceptanceHigh[index] == Int32(Int16(truncatingIfNeeded: high ^ 0x8000)))
          let t = high << 16 | UInt32(system.acceptanceLow[index])
          let x = 4 * Double(j) * Double(r) - 2 * Double(a) * Double(g)
          let context = "a \(scale) J⊥ \(jPerp) r \(r) g \(g) x \(x) T \(t)"
          if x <= 0 {
            #expect(t == .max, "\(context)")
            continue
          }
          let units = exp(-x) * 0x1p32
          let accepted = Double(t) + 1
          #expect(accepted >= units - 1e-12 * max(1, units), "\(context)")
          #expect(accepted <= max(1, units) + 1 + 1e-12 * units, "\(context)")
          if units > 1 && units < 0x1p32 - 1 { middle += 1 }
        }
      }
    }
    // The schedule's ends: at the hottest a most entries are fractional, at
    // the coldest still some.
    #expect(middle > 20, "entries strictly between 0 and 1: \(middle)")
  }

  /// The table as built (four fractional entries at a time, branch-free)
  /// equals, bit for bit, the entry-by-entry form it replaced (round ten,
  /// sqa11): per row, p from exp at the first fractional g and every 16
  /// entries after, × e^{2a} between, T = `acceptanceThreshold` of (ΔS, p);
  /// T = 0 where ΔS ≥ 32 ln 2 and 2³² − 1 where ΔS ≤ 0. Settings include
  /// a = 0 (a whole row fractional up to the table's last entry, so the
  /// last group writes into the padding) and runs of every length mod 4.
  @Test(arguments: [
    (0.0, 0.05), (0.0, 1.3), (0.0005, 0.05), (0.01, 0.4), (0.03, 0.7), (0.07, 1.2),
    (0.11, 0.9), (0.3, 3.0), (0.45, 2.2), (1.0, 6.0), (0.2, 1e9),
  ])
  func tableMatchesEntryByEntry(_ scale: Double, _ jPerp: Double) {
    let problem = PathIntegralByteFieldsTests.ferromagnet(n: 100)
    let system = PathIntegralSystem(problem, trotter: 16, narrowFields: true)
    let a = Double(SliceFloat(scale))
    let j = Double(SliceFloat(jPerp))
    system.prepareAcceptanceTable(scale: SliceFloat(scale), jPerp: SliceFloat(jPerp))
    let bound = system.acceptanceFieldBound
    let step = exp(2 * a)
    var mismatches = 0
    var fractional = 0
    for r in -1...1 {
      let slice = 4 * j * Double(r)
      var p = 0.0
      var runStart: Int? = nil
      for g in -bound...bound {
        let x = slice - 2 * a * Double(g)
        var t: UInt32
        if x >= 32 * M_LN2 {
          t = 0
        } else if x <= 0 {
          t = .max
        } else {
          if runStart == nil { runStart = g }
          p = (g - runStart!) % 16 == 0 ? exp(-x) : p * step
          t = PathIntegralSystem.acceptanceThreshold(actionChange: x, probability: p)
          fractional += 1
        }
        let index = (r + 1) * (2 * bound + 1) + g + bound
        let high = Int32(Int16(bitPattern: UInt16(truncatingIfNeeded: t >> 16) ^ 0x8000))
        if system.acceptanceHigh[index] != high
          || system.acceptanceLow[index] != UInt16(truncatingIfNeeded: t)
        {
          mismatches += 1
        }
      }
    }
    #expect(mismatches == 0, "a \(scale) J⊥ \(jPerp): \(fractional) fractional entries")
    if jPerp < 1e9 { #expect(fractional > 0) }
  }

  /// The high halves' signed comparison is u_h > T_h for every u_h and a
  /// spread of T_h (both with their top bits flipped as the kernel stores
  /// them).
  @Test func highHalvesCompareUnsigned() {
    for tHigh in [0, 1, 0x7FFE, 0x7FFF, 0x8000, 0x8001, 0xFFFE, 0xFFFF] as [UInt32] {
      let stored = Int32(Int16(bitPattern: UInt16(tHigh) ^ 0x8000))
      var mismatches = 0
      for word in 0..<65536 {
        let lane = Int32(Int16(truncatingIfNeeded: word))
        let reject = PathIntegralSystem.acceptanceRejections(
          SIMD4(repeating: lane), SIMD4(repeating: stored))
        let uHigh = UInt32(word) ^ 0x8000
        if (reject[0] != 0) != (uHigh > tHigh) { mismatches += 1 }
      }
      #expect(mismatches == 0, "T_h \(tHigh)")
    }
  }

  /// Ties on the high half: the low half is drawn from the read's
  /// generator (one draw a tie), and u = T is accepted while u = T + 1 is
  /// rejected, at the edges of the 32-bit range and of its halves; lanes
  /// without a tie keep the high halves' decision.
  @Test func tiesDecideAtTheEdges() {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 40, c: 1, seed: 1)
    let system = PathIntegralSystem(problem, trotter: 16, narrowFields: true)
    #expect(system.usesAcceptanceTable)
    let entry = 7
    var index = SIMD8<UInt16>(repeating: 0)
    index[0] = UInt16(entry)
    var rng = Xoshiro256PlusPlus(seed: 11)
    var cases = 0
    for tHigh in [0, 1, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF] as [UInt16] {
      for offset in [-1, 0, 1] {
        var afterDraw = rng
        let drawn = UInt16(truncatingIfNeeded: afterDraw.next() >> 48)
        let low = Int(drawn) + offset
        guard (0...0xFFFF).contains(low) else { continue }
        let stored = Int32(Int16(bitPattern: tHigh ^ 0x8000))
        system.acceptanceHigh[entry] = stored
        system.acceptanceLow[entry] = UInt16(low)
        // Lane 0 ties; the others hold a u_h just below T_h (accepted) or,
        // for T_h = 0, just above (rejected).
        let other = tHigh == 0 ? stored + 1 : stored - 1
        let words = SIMD4<Int32>(stored, other, other, other)
        let thresholds = SIMD4<Int32>(repeating: stored)
        let (reject, second) = system.resolveAcceptanceTies(
          words, thresholds, index, SIMD4(repeating: other), thresholds, index, rng: &rng)
        // u = (T_h, drawn) against T = (T_h, low): accepted iff drawn ≤ low.
        let context = "T_h \(tHigh) T_l \(low) drawn \(drawn)"
        #expect((reject[0] != 0) == (drawn > UInt16(low)), "\(context)")
        let otherReject: UInt32 = tHigh == 0 ? .max : 0
        #expect(reject[1] == otherReject && reject[3] == otherReject, "\(context)")
        #expect(second == SIMD4(repeating: otherReject), "\(context)")
        var expected = afterDraw
        var actual = rng
        #expect(expected.next() == actual.next(), "one draw, \(context)")
        cases += 1
      }
    }
    #expect(cases == 18)
  }

  /// The physics on the table path: ⟨H_p⟩, ⟨σˣ⟩ and every ⟨σᶻσᶻ⟩ of small
  /// ±1 models (Int8 fields at P = 16 and 32) against exact
  /// diagonalisation.
  @Test(arguments: [(4, 16), (6, 16), (5, 32)])
  func matchesExact(n: Int, trotter: Int) throws {
    let problem = PathIntegralSignSplitTests.plusMinus(n: n, c: 1, seed: UInt64(40 + n))
    #expect(
      PathIntegralSystem(problem, trotter: trotter, narrowFields: true).usesAcceptanceTable)
    let (beta, gamma) = (0.8, 1.5)
    let exact = try ExactTransverseIsing(problem, gamma: gamma)
    let est = try PathIntegralPhysicsTests.estimate(
      problem, trotter: trotter, beta: beta, gamma: gamma, sweeps: 4000, seed: UInt64(n))
    PathIntegralPhysicsTests.expectAgreement(
      est, exact, beta: beta, allowance: 0.02, "±1 n=\(n) P \(trotter)")
  }

  /// The table's decisions and those of −ln u agree in distribution: from
  /// the same state, many single sweeps of each at scales from hot to cold
  /// accept the same number of slice flips within a few standard errors.
  @Test(arguments: [16, 32])
  func acceptanceAgreesWithLogarithm(_ trotter: Int) {
    let problem = PathIntegralSignSplitTests.plusMinus(n: 60, c: 1, seed: 3)
    for (scale, jPerp) in [(0.01, 0.3), (0.05, 0.8), (0.2, 1.5)] as [(SliceFloat, SliceFloat)] {
      var counts: [[Double]] = [[], []]
      for (which, table) in [false, true].enumerated() {
        let system = PathIntegralSystem(
          problem, trotter: trotter, narrowFields: true, acceptanceTable: table)
        #expect(system.usesAcceptanceTable == table)
        counts[which] = system.acceptedFlipsPerSweep(
          scale: scale, jPerp: jPerp, worldline: false, seed: 77)
      }
      let (logMean, logError) = blockMeanAndError(counts[0])
      let (tableMean, tableError) = blockMeanAndError(counts[1])
      let sigma = (logError * logError + tableError * tableError).squareRoot()
      #expect(logMean > 2, "scale \(scale): \(logMean) flips a sweep")
      #expect(
        abs(logMean - tableMean) <= 4.5 * sigma + 0.005 * logMean,
        "P \(trotter) scale \(scale): −ln u \(logMean) ± \(logError), table \(tableMean) ± \(tableError)")
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
