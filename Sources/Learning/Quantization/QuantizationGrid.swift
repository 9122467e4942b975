/// How a per-output-neuron scale is chosen.
public enum ScaleRule: String, Sendable, CaseIterable {
  /// `s = max_i |w_i| / qmax`: no weight is clipped.
  case maxabs
  /// The `s = α · maxabs` (α on a grid in [0.2, 1]) that minimises the
  /// weight error `Σ_i (w_i − s·clamp(round(w_i/s)))²`.
  case mse
}

/// A signed `b`-bit grid: codes `−qmax … qmax` with `qmax = 2^(b−1) − 1`,
/// times a per-row scale; `b = 2` is ternary `{−1, 0, 1}`, and `b = 1` is
/// binary `{−1, +1}` (no zero code; neighbouring codes are 2 apart).
public struct QuantizationGrid: Sendable, Equatable, Codable {
  /// Bits per weight (1 or more; 1 is binary ±1).
  public let bits: Int
  /// The largest code: `2^(b−1) − 1`, and 1 for binary.
  public var qmax: Int { bits == 1 ? 1 : (1 << (bits - 1)) - 1 }
  /// Whether the codes are `{−1, +1}`.
  public var isBinary: Bool { bits == 1 }
  /// The distance between neighbouring codes: 2 for binary, else 1.
  public var step: Int { bits == 1 ? 2 : 1 }

  /// A grid of `bits` bits.
  ///
  /// - Throws: `ShapeError` unless `1 <= bits <= 16`.
  public init(bits: Int) throws {
    guard bits >= 1 && bits <= 16 else { throw ShapeError("bits must be in 1…16, got \(bits)") }
    self.bits = bits
  }

  /// `c` clamped to the code range (binary: the sign, +1 for 0).
  @inlinable public func clamp(_ c: Int) -> Int {
    if bits == 1 { return c >= 0 ? 1 : -1 }
    return min(max(c, -qmax), qmax)
  }

  /// The nearest code of `w` at scale `s`.
  public func nearest(_ w: Double, scale s: Double) -> Int {
    guard s > 0 else { return isBinary ? 1 : 0 }
    if isBinary { return w >= 0 ? 1 : -1 }
    return clamp(Int((w / s).rounded()))
  }

  /// The two candidate codes of `w` at scale `s`: `floor(w/s)` and
  /// `floor(w/s) + 1`, each clamped (they coincide when clipping merges
  /// them); for binary always `(−1, +1)`.
  public func candidates(_ w: Double, scale s: Double) -> (down: Int, up: Int) {
    if isBinary { return (-1, 1) }
    guard s > 0 else { return (0, 0) }
    let f = Int((w / s).rounded(.down))
    return (clamp(f), clamp(f + 1))
  }

  /// The scale of one row of weights under `rule`.
  public func scale(_ w: ArraySlice<Double>, rule: ScaleRule) -> Double {
    let m = w.reduce(0) { max($0, abs($1)) }
    guard m > 0 else { return 1 }
    let base = m / Double(qmax)
    guard rule == .mse else { return base }
    var best = (error: Double.infinity, scale: base)
    for k in 0...40 {
      let s = base * (0.2 + 0.02 * Double(k))
      var e = 0.0
      for x in w {
        let d = x - s * Double(nearest(x, scale: s))
        e += d * d
      }
      if e < best.error * (1 - 1e-12) { best = (e, s) }
    }
    return best.scale
  }
}
