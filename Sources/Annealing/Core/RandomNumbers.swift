// Random number generators for the kernels.
//
// Implementation goals, in order of priority:
// 1. Reproducibility: the same seed gives the same stream on every platform,
//    and every read of a sampler gets its own stream derived from
//    (seed, read index), so results do not depend on the thread count.
// 2. Speed: a handful of instructions per number, no locks, no global state.
//
// SplitMix64: G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014. xoshiro256++: D. Blackman, S. Vigna, "Scrambled
// linear pseudorandom number generators", ACM TOMS 47(4), 2021.

/// SplitMix64: a tiny generator used to seed others and as the tests' seeded RNG.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The generator's whole state.
  public var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  @inlinable public init(seed: UInt64) { state = seed }

  /// The SplitMix64 output function: a bijective 64-bit mix.
  @inlinable
  public static func mix(_ z0: UInt64) -> UInt64 {
    var z = z0
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }
}

/// xoshiro256++: the kernels' generator (256 bits of state, period 2^256 − 1).
public struct Xoshiro256PlusPlus: RandomNumberGenerator, Sendable {
  @usableFromInline var s0, s1, s2, s3: UInt64

  /// Seeds the four state words from SplitMix64, as the authors recommend.
  @inlinable
  public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s0 = sm.next()
    s1 = sm.next()
    s2 = sm.next()
    s3 = sm.next()
  }

  /// The stream of read `index` of a run seeded with `seed`.
  ///
  /// Distinct indices give unrelated streams (the index is mixed before it
  /// meets the seed), which is what makes a run's samples independent of how
  /// reads are spread over threads.
  @inlinable
  public init(seed: UInt64, stream index: Int) {
    let key = SplitMix64.mix(UInt64(truncatingIfNeeded: index) &+ 0x632B_E59B_D9B4_E019)
    self.init(seed: SplitMix64.mix(seed ^ key))
  }

  @inlinable @inline(__always)
  public mutating func next() -> UInt64 {
    let result = (s0 &+ s3).rotatedLeft(by: 23) &+ s0
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3.rotatedLeft(by: 45)
    return result
  }

  /// A uniform double in `[0, 1)` with 53 random bits.
  @inlinable
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }
}

extension UInt64 {
  @inlinable @inline(__always)
  func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
