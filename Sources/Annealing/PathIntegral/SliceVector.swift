// Four lanes of the SQA kernel's scalars (one SSE register), and what the
// kernel computes on them: uniforms from random bits, and a lane-wise
// natural logarithm for the −ln u of the acceptance test.

/// Four lanes of kernel scalars (one SSE register).
typealias SliceVector = SIMD4<SliceFloat>

extension SIMD4 where Scalar == SliceFloat {
  /// Uniforms in (0, 1), one from the top 24 bits of each 32-bit word.
  @inline(__always)
  static func uniform(fromWords words: SIMD4<UInt32>) -> Self {
    (Self(SIMD4<Int32>(truncatingIfNeeded: words &>> 8)) + 0.5) * 0x1.0p-24
  }

  /// Stores the four lanes at `p` (any alignment).
  @inline(__always)
  func store(to p: UnsafeMutablePointer<SliceFloat>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
  }
}

// ln x for normal positive x, in lanes: x = m·2^e with m in [√½, √2),
// found with integer arithmetic on the bits (subtracting the bits of √½
// makes the exponent field of the difference e, rounded down), and
// ln m = 2 atanh z = 2(z + z³/3 + z⁵/5 + z⁷/7), z = (m − 1)/(m + 1),
// |z| ≤ 0.172: truncation error below 3·10⁻⁸, about Float's rounding of the
// result and far below the 2⁻²⁴ granularity of the uniforms it is used on.

/// The natural logarithm of each lane of `x` (normal and positive), to
/// about one Float ulp.
@inline(__always)
func laneLogarithm(_ x: SliceVector) -> SliceVector {
  let bits = unsafeBitCast(x, to: SIMD4<Int32>.self)
  let exponent = (bits &- 0x3F35_04F3) &>> 23
  let mantissa = unsafeBitCast(bits &- (exponent &<< 23), to: SliceVector.self)
  return laneLogarithm(exponent: exponent, mantissa: mantissa)
}

/// −ln u for the uniforms u of `SliceVector.uniform(fromWords:)`: the same
/// bits as `-laneLogarithm(.uniform(fromWords: words))`, with one vector
/// instruction fewer.
///
/// u = x·2⁻²⁴ with x = b + ½ (both normal), so the bits of u are those of
/// x less 24·2²³: the multiply folds into the constant subtracted before
/// the exponent is read, and the mantissa's bits, u's less e·2²³, are the
/// low 23 bits of that difference plus the constant back.
@inline(__always)
func negativeLogUniform(fromWords words: SIMD4<UInt32>) -> SliceVector {
  let x = SliceVector(SIMD4<Int32>(truncatingIfNeeded: words &>> 8)) + 0.5
  let shifted = unsafeBitCast(x, to: SIMD4<Int32>.self) &- (0x3F35_04F3 &+ (24 &<< 23))
  let mantissa = unsafeBitCast((shifted & 0x7F_FFFF) &+ 0x3F35_04F3, to: SliceVector.self)
  return negativeLaneLogarithm(exponent: shifted &>> 23, mantissa: mantissa)
}

/// −ln(m·2^e) for m in [√½, √2): `laneLogarithm(exponent:mantissa:)`
/// negated, with the sign folded into its first steps instead of a
/// negation at the end (one instruction fewer; the same bits, as IEEE
/// rounding is symmetric: 1 − m = −(m − 1), (−a)·b = −(a·b) and
/// (−a) + (−b) = −(a + b) exactly).
@inline(__always)
func negativeLaneLogarithm(exponent: SIMD4<Int32>, mantissa: SliceVector) -> SliceVector {
  let one = SliceVector(repeating: 1)
  let minusZ: SliceVector = (one - mantissa) / (mantissa + one)
  let z2: SliceVector = minusZ * minusZ
  var series: SliceVector = z2 * SliceVector(repeating: 1 / 7) + SliceVector(repeating: 1 / 5)
  series = series * z2 + SliceVector(repeating: 1 / 3)
  series = series * z2 + one
  let minusTwoZ: SliceVector = minusZ + minusZ
  return SliceVector(exponent) * SliceVector(repeating: -0.693147180559945) + minusTwoZ * series
}

/// ln(m·2^e) for m in [√½, √2) (`laneLogarithm`'s series).
@inline(__always)
func laneLogarithm(exponent: SIMD4<Int32>, mantissa: SliceVector) -> SliceVector {
  let one = SliceVector(repeating: 1)
  let z: SliceVector = (mantissa - one) / (mantissa + one)
  let z2: SliceVector = z * z
  var series: SliceVector = z2 * SliceVector(repeating: 1 / 7) + SliceVector(repeating: 1 / 5)
  series = series * z2 + SliceVector(repeating: 1 / 3)
  series = series * z2 + one
  let twoZ: SliceVector = z + z
  return SliceVector(exponent) * SliceVector(repeating: 0.693147180559945) + twoZ * series
}
