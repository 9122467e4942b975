// Axis scales: linear or base-10 logarithmic, mapping data to pixels, with
// "nice" ticks (1, 2, 5 × 10^k for linear; powers of ten for log, plus 2 and
// 5 multiples when the span is under two decades).

import Foundation

/// A map from a data interval to a pixel interval.
public struct Scale: Sendable {
  /// Linear or logarithmic.
  public enum Kind: Sendable { case linear, log }
  /// The kind.
  public var kind: Kind
  /// The data interval (positive for log).
  public var domain: (Double, Double)
  /// The pixel interval the domain maps onto (may run backwards).
  public var range: (Double, Double)

  /// A scale over `values` (non-finite and, for log, non-positive values
  /// ignored), padded to nice ends.
  public init(kind: Kind, values: [Double], range: (Double, Double)) {
    self.kind = kind
    self.range = range
    let usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
    var lo = usable.min() ?? (kind == .log ? 1 : 0)
    var hi = usable.max() ?? (kind == .log ? 10 : 1)
    switch kind {
    case .linear:
      if lo == hi {
        lo -= max(1, abs(lo) * 0.1)
        hi += max(1, abs(hi) * 0.1)
      }
      let step = Self.niceStep((hi - lo) / 5)
      lo = (lo / step).rounded(.down) * step
      hi = (hi / step).rounded(.up) * step
    case .log:
      lo = pow(10, log10(lo).rounded(.down))
      hi = pow(10, log10(hi).rounded(.up))
      if lo == hi { hi = lo * 10 }
    }
    domain = (lo, hi)
  }

  /// Whether `values` (positive, finite) span `ratio` (two decades) or more,
  /// the rule for choosing a log axis.
  public static func spansDecades(_ values: [Double], ratio: Double = 100) -> Bool {
    let v = values.filter { $0.isFinite && $0 > 0 }
    guard let lo = v.min(), let hi = v.max(), v.count == values.filter(\.isFinite).count
    else { return false }
    return hi / lo >= ratio
  }

  /// The pixel position of `x` (clamped to the range).
  public func callAsFunction(_ x: Double) -> Double {
    let t: Double
    switch kind {
    case .linear: t = (x - domain.0) / (domain.1 - domain.0)
    case .log: t = (log10(max(x, 1e-300)) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
    }
    let c = min(max(t, 0), 1)
    return range.0 + c * (range.1 - range.0)
  }

  /// Tick positions with labels.
  public func ticks() -> [(value: Double, label: String)] {
    switch kind {
    case .linear:
      let step = Self.niceStep((domain.1 - domain.0) / 5)
      var out: [(Double, String)] = []
      var v = domain.0
      while v <= domain.1 + step * 1e-9 {
        out.append((v, Self.label(v)))
        v += step
      }
      return out
    case .log:
      let a = Int(log10(domain.0).rounded())
      let b = Int(log10(domain.1).rounded())
      var out: [(Double, String)] = []
      let every = max(1, (b - a + 7) / 8)
      for k in stride(from: a, through: b, by: every) {
        out.append((pow(10, Double(k)), Self.powerLabel(k)))
        if b - a <= 2 && k < b {
          for m in [2.0, 5.0] {
            let v = m * pow(10, Double(k))
            out.append((v, Self.label(v)))
          }
        }
      }
      return out
    }
  }

  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let p = pow(10, log10(raw).rounded(.down))
    let f = raw / p
    let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
    return nice * p
  }

  static func label(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e5 || a < 1e-3 { return String(format: "%.0e", v) }
    if v == v.rounded() { return String(Int(v)) }
    return String(format: "%g", v)
  }

  static func powerLabel(_ k: Int) -> String {
    switch k {
    case 0: return "1"
    case 1: return "10"
    case 2: return "100"
    case 3: return "1000"
    case -1: return "0.1"
    case -2: return "0.01"
    case -3: return "0.001"
    default: return "1e\(k)"
    }
  }
}
