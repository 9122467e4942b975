import Foundation

// A localised fit in Hamming distance (issue 17, sixth round; an option).
//
// The third round localised the regression for windowed parameters: an
// observation's noise variance is multiplied by 1 + Σ (d/h)² of its
// distance from the incumbent in units of the window's half-width
// (LocalFeatures.windowNoise). Parameters shown whole — booleans,
// categoricals, short integer ranges — add nothing there, so on a space of
// bits the model is one global quadratic fitted to every trial, though the
// objective (LABS: quartic; cubic 24, MaxSAT: cubic) is only
// quadratic-like near a point. Here the same idea is written in the
// distance those parameters have: d_H, the number of them in which an
// observation differs from the incumbent, in units of the region's radius
// r (parameters a proposal may change) — the Hamming counterpart of the
// window's half-width:
//
//     quadratic:    1 + (d_H / r)²      (the windowed rule's form)
//     exponential:  exp(d_H / r)        (far trials all but dropped)
//
// Either is 1 at the incumbent, 2 (or e) at the edge of the region, and
// grows as the region shrinks; it multiplies the windowed multiplier when
// both apply.

/// How an observation's noise grows with its Hamming distance from the
/// incumbent in the parameters shown whole (`surrogate: {hamming_noise:}`).
public enum HammingNoise: String, Sendable, CaseIterable {
  /// Every observation weighs the same in those parameters (the default).
  case off
  /// `1 + (d_H / r)²`, `r` the region's radius.
  case quadratic
  /// `exp(d_H / r)`.
  case exponential

  /// The multiplier of an observation `distance` parameters from the
  /// incumbent in a region of `radius` (at least 1).
  public func multiplier(distance: Int, radius: Int) -> Double {
    let u = Double(distance) / Double(max(1, radius))
    switch self {
    case .off: return 1
    case .quadratic: return 1 + u * u
    case .exponential: return exp(u)
    }
  }
}

extension LocalFeatures {
  /// Per observation, the noise multiplier of `form` for its Hamming
  /// distance from the incumbent over the parameters shown whole (windowed
  /// parameters are left to `windowNoise`), in a region of `radius`.
  func hammingNoise(full configurations: [[Int]], radius: Int, form: HammingNoise) -> [Double] {
    configurations.map { c in
      var d = 0
      for k in windowed.indices where !windowed[k] && c[k] != center[k] { d += 1 }
      return form.multiplier(distance: d, radius: radius)
    }
  }
}
