// Axis scales: linear or base-10 logarithmic, mapping data to pixels, with
// "nice" ticks (1, 2, 5 × 10^k for linear; powers of ten for log, plus 2 and
// 5 multiples when the span is under two decades, and unlabelled minor ticks
// at 2…9 × 10^k).
//
// Labels, in order of priority: no two ticks of an axis read the same; one
// format per axis; as short as that allows. A linear axis writes every tick
// with the decimals its step needs (0.25 → "0.25", "0.50"), or, when its
// values reach 10⁵ or stay under 10⁻³, as mantissa×10^k with one shared
// exponent and the mantissa digits the step needs ("1.5×10⁶"). A log axis
// writes plain numbers while every tick lies in 0.001 … 10⁴, and 10^k (with
// m×10^k for 2 and 5 multiples) otherwise.

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

  /// Whether `values` (positive, finite) span `ratio` (one decade) or more,
  /// the rule for choosing a log axis.
  public static func spansDecades(_ values: [Double], ratio: Double = 10) -> Bool {
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
      var values: [Double] = []
      var k = 0.0
      while domain.0 + k * step <= domain.1 + step * 1e-9 {
        // Multiples of the step, so 0.1 + 0.2 does not print 0.30000000000000004.
        let v = ((domain.0 + k * step) / step).rounded() * step
        values.append(v == 0 ? 0 : v)
        k += 1
      }
      let labels = Self.linearLabels(values, step: step)
      return Array(zip(values, labels))
    case .log:
      let a = Int(log10(domain.0).rounded())
      let b = Int(log10(domain.1).rounded())
      let plain = a >= -3 && b <= 4
      var out: [(Double, String)] = []
      let every = max(1, (b - a + 7) / 8)
      for k in stride(from: a, through: b, by: every) {
        out.append((pow(10, Double(k)), Self.logLabel(1, k, plain: plain)))
        if b - a <= 2 && k < b {
          for m in [2, 5] { out.append((Double(m) * pow(10, Double(k)), Self.logLabel(m, k, plain: plain))) }
        }
      }
      return out
    }
  }

  /// Unlabelled minor ticks of a log axis: 2…9 × 10^k inside the domain
  /// (none for a linear axis, or when the decades are too many to show).
  public func minorTicks() -> [Double] {
    guard kind == .log else { return [] }
    let a = Int(log10(domain.0).rounded())
    let b = Int(log10(domain.1).rounded())
    guard b - a <= 8 else { return [] }
    let major = Set(ticks().map(\.value))
    var out: [Double] = []
    for k in a..<b {
      for m in 2...9 {
        let v = Double(m) * pow(10, Double(k))
        if !major.contains(v) { out.append(v) }
      }
    }
    return out
  }

  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let p = pow(10, log10(raw).rounded(.down))
    let f = raw / p
    let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
    return nice * p
  }

  /// Labels for the ticks of a linear axis with step `step`, in one format.
  static func linearLabels(_ values: [Double], step: Double) -> [String] {
    let largest = values.map(abs).max() ?? 0
    if largest >= 1e5 || (largest > 0 && largest < 1e-3) {
      let exponent = Int(log10(largest).rounded(.down))
      let scale = pow(10, Double(exponent))
      let digits = max(0, exponent - Int(log10(step).rounded(.down)))
      return values.map { v in
        if v == 0 { return "0" }
        return String(format: "%.\(digits)f", v / scale) + "×10" + superscript(exponent)
      }
    }
    let digits = max(0, -Int(log10(step).rounded(.down)))
    return values.map { String(format: "%.\(digits)f", $0) }
  }

  /// The label of m × 10^k on a log axis.
  static func logLabel(_ m: Int, _ k: Int, plain: Bool) -> String {
    if plain {
      let v = Double(m) * pow(10, Double(k))
      return k >= 0 ? String(Int(v.rounded())) : String(format: "%.\(-k)f", v)
    }
    return (m == 1 ? "" : "\(m)×") + "10" + superscript(k)
  }

  /// `k` in superscript digits.
  static func superscript(_ k: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(abs(k)).compactMap { c in c.wholeNumberValue.map { digits[$0] } }
    return (k < 0 ? "⁻" : "") + String(body)
  }

  /// A number for people: up to 4 significant digits, scientific beyond
  /// 10⁵ or under 10⁻³ (tooltips and point notes).
  public static func label(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e5 || a < 1e-3 {
      let k = Int(log10(a).rounded(.down))
      let m = v / pow(10, Double(k))
      return String(format: "%.3g", m) + "×10" + superscript(k)
    }
    if v == v.rounded() { return String(Int(v)) }
    return String(format: "%.4g", v)
  }
}
