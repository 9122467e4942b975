#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Pearson's χ² goodness-of-fit test, for the statistical tests of samplers.
//
// Bins whose expected count is below `minExpected` (default 5, the usual
// rule) are pooled into one bin, so the χ² approximation holds. The critical
// value uses the Wilson–Hilferty cube-root approximation
//   χ²_{k,1−α} ≈ k (1 − 2/(9k) + z_{1−α} √(2/(9k)))³,
// accurate to a fraction of a percent for k ≥ 3 (E. B. Wilson, M. M.
// Hilferty, PNAS 17 (1931) 684). Tests use α = 0.001 (z = 3.0902): a correct
// sampler fails one seeded test in a thousand, and a seeded test either
// always passes or always fails.

/// Pearson's χ² statistic and its critical value.
public struct ChiSquare: CustomStringConvertible {
  /// `Σ (observed − expected)² / expected` over pooled bins.
  public var statistic: Double
  /// Degrees of freedom: pooled bins − 1.
  public var degreesOfFreedom: Int
  /// The critical value at significance `alpha`.
  public var critical: Double

  /// Tests `observed` counts against `probabilities` (summing to 1).
  public init(
    observed: [Int], probabilities: [Double], alpha: Double = 0.001, minExpected: Double = 5
  ) {
    precondition(observed.count == probabilities.count)
    let total = Double(observed.reduce(0, +))
    var stat = 0.0
    var bins = 0
    var poolObserved = 0.0
    var poolExpected = 0.0
    for (o, p) in zip(observed, probabilities) {
      let e = p * total
      if e < minExpected {
        poolObserved += Double(o)
        poolExpected += e
      } else {
        stat += (Double(o) - e) * (Double(o) - e) / e
        bins += 1
      }
    }
    if poolExpected > 0 {
      stat += (poolObserved - poolExpected) * (poolObserved - poolExpected) / poolExpected
      bins += 1
    }
    statistic = stat
    degreesOfFreedom = max(1, bins - 1)
    critical = ChiSquare.quantile(1 - alpha, degreesOfFreedom: degreesOfFreedom)
  }

  /// Whether the counts are consistent with the probabilities.
  public var passes: Bool { statistic <= critical }

  public var description: String {
    "χ² = \(statistic) on \(degreesOfFreedom) dof (critical \(critical))"
  }

  /// The `p` quantile of χ² with `k` degrees of freedom (Wilson–Hilferty).
  public static func quantile(_ p: Double, degreesOfFreedom k: Int) -> Double {
    let z = normalQuantile(p)
    let a = 2 / (9 * Double(k))
    let c = 1 - a + z * a.squareRoot()
    return Double(k) * c * c * c
  }

  /// The standard normal quantile (Acklam's rational approximation,
  /// relative error below 1.2e−9).
  public static func normalQuantile(_ p: Double) -> Double {
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00,
    ]
    let low = 0.02425
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > 1 - low {
      let q = (-2 * log(1 - p)).squareRoot()
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let q = p - 0.5
    let r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
      / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  }
}
