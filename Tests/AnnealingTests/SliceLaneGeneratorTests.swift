import Testing

@testable import Annealing

/// The four xoshiro128+ lanes that give SQA's slice proposals their random
/// bits. (That the sampler is still right with them is the exact-
/// diagonalisation suites' job: every slice proposal draws from here.)
@Suite struct SliceLaneGeneratorTests {
  /// xoshiro128+ one word at a time, as Blackman and Vigna publish it.
  struct Reference {
    var s: [UInt32]
    mutating func next() -> UInt32 {
      let result = s[0] &+ s[3]
      let t = s[1] << 9
      s[2] ^= s[0]
      s[3] ^= s[1]
      s[1] ^= s[2]
      s[0] ^= s[3]
      s[2] ^= t
      s[3] = (s[3] << 11) | (s[3] >> 21)
      return result
    }
  }

  /// Each lane is the scalar generator seeded with that lane's words, and
  /// the seeding takes eight draws of the read's generator.
  @Test func lanesAreXoshiro128Plus() {
    var rng = Xoshiro256PlusPlus(seed: 42)
    var lanes = SliceLaneGenerator(seeding: &rng)
    var copy = Xoshiro256PlusPlus(seed: 42)
    var words: [UInt32] = []
    for _ in 0..<8 {
      let x = copy.next()
      words += [UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: x >> 32)]
    }
    #expect(rng.next() == copy.next())
    var references = (0..<4).map { lane in
      Reference(s: (0..<4).map { words[4 * $0 + lane] })
    }
    for step in 0..<1000 {
      let v = lanes.next(rightShift: 21)
      for lane in 0..<4 {
        #expect(v[lane] == references[lane].next(), "step \(step) lane \(lane)")
      }
    }
  }

  /// An all-zero lane (xoshiro's one fixed point) is replaced; the others
  /// are kept.
  @Test func zeroStateReplaced() {
    var lanes = SliceLaneGenerator(state: SIMD4(0, 0, 5, 0), .zero, .zero, SIMD4(0, 0, 0, 9))
    #expect(lanes.s0 == SIMD4(1, 1, 5, 0))
    #expect(lanes.s3 == SIMD4(0, 0, 0, 9))
    var seen = SIMD4<UInt32>.zero
    for _ in 0..<8 { seen |= lanes.next(rightShift: 21) }
    #expect(all(seen .!= 0))
  }

  /// The 24-bit uniforms the kernel makes of the lanes: χ² over 64 bins per
  /// lane, and no correlation between lanes or between successive steps.
  @Test func uniformsLookUniform() {
    var rng = Xoshiro256PlusPlus(seed: 7)
    var lanes = SliceLaneGenerator(seeding: &rng)
    let draws = 64_000
    var bins = [[Int]](repeating: [Int](repeating: 0, count: 64), count: 4)
    var crossLane = 0.0
    var lagged = 0.0
    var previous = SliceVector(repeating: 0.5)
    for _ in 0..<draws {
      let u = SliceVector.uniform(fromWords: lanes.next(rightShift: 21))
      for lane in 0..<4 {
        #expect(u[lane] > 0 && u[lane] < 1)
        bins[lane][Int(u[lane] * 64)] += 1
      }
      crossLane += Double((u[0] - 0.5) * (u[1] - 0.5) + (u[2] - 0.5) * (u[3] - 0.5))
      lagged += Double(((u - 0.5) * (previous - 0.5)).sum())
      previous = u
    }
    let expected = Double(draws) / 64
    for lane in 0..<4 {
      let chi2 = bins[lane].reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
      // 63 degrees of freedom: the 99.99 % point is about 110.
      #expect(chi2 < 110, "lane \(lane): χ² \(chi2)")
    }
    // Each product of centred uniforms has standard deviation 1/12.
    let sd = 1.0 / 12
    #expect(abs(crossLane / Double(2 * draws)) < 5 * sd / sqrt(Double(2 * draws)))
    #expect(abs(lagged / Double(4 * draws)) < 5 * sd / sqrt(Double(4 * draws)))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
