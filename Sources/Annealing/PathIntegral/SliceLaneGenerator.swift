// The random bits of SQA's slice proposals: four xoshiro128+ generators
// (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number
// generators", ACM TOMS 47 (2021)), one in each lane of SSE registers, so
// one step gives the bits of four uniforms (the top 24 bits of each lane)
// without leaving the vector unit. xoshiro128+'s weak bits are its lowest
// ones, which the uniforms drop.
//
// Each sweep seeds the four lanes afresh from the read's xoshiro256++ (eight
// 64-bit draws), so a read's samples depend only on its seed, as before.

/// Four xoshiro128+ streams, one per lane.
struct SliceLaneGenerator {
  var s0: SIMD4<UInt32>
  var s1: SIMD4<UInt32>
  var s2: SIMD4<UInt32>
  var s3: SIMD4<UInt32>
  /// Words of the last step not yet handed out by `nextWord` (skip-ahead's
  /// draws), and how many.
  var spare = SIMD4<UInt32>(repeating: 0)
  var spareCount = 0

  /// Four streams seeded with eight draws of `rng` (lane l's state is
  /// lane l of each of the four words' vectors).
  init(seeding rng: inout Xoshiro256PlusPlus) {
    func words() -> SIMD4<UInt32> {
      let a = rng.next()
      let b = rng.next()
      return SIMD4(
        UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: a >> 32),
        UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: b >> 32))
    }
    let (w0, w1, w2, w3) = (words(), words(), words(), words())
    self.init(state: w0, w1, w2, w3)
  }

  /// Four streams with the given state; a lane whose state is all zero
  /// (probability 2⁻¹²⁸ when seeded) gets s0 = 1 instead.
  init(state s0: SIMD4<UInt32>, _ s1: SIMD4<UInt32>, _ s2: SIMD4<UInt32>, _ s3: SIMD4<UInt32>) {
    self.s0 = s0
    self.s1 = s1
    self.s2 = s2
    self.s3 = s3
    self.s0.replace(with: 1, where: (s0 | s1 | s2 | s3) .== 0)
  }

  /// 32 random bits: the words of one step, one a call.
  @inline(__always)
  mutating func nextWord(rightShift: UInt32) -> UInt32 {
    if spareCount == 0 {
      spare = next(rightShift: rightShift)
      spareCount = 4
    }
    spareCount &-= 1
    let word = spare[0]
    spare = SIMD4(spare[1], spare[2], spare[3], spare[0])
    return word
  }

  /// The next 32 bits of each stream.
  ///
  /// - Parameter rightShift: 21, the right half of the rotation by 11,
  ///   passed in from memory the compiler cannot see as a constant: with
  ///   both shift counts known it recognised the rotation and, SSE2 having
  ///   no vector rotate, rotated lane by lane (17 instructions instead of 4).
  @inline(__always)
  mutating func next(rightShift: UInt32) -> SIMD4<UInt32> {
    let result = s0 &+ s3
    let t = s1 &<< 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 &<< 11) | (s3 &>> rightShift)
    return result
  }
}
