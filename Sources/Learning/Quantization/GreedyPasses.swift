/// Greedy coordinate passes over a row's codes on the reconstruction error
/// `eᵀHe`, `e = w − s·c` (the "greedy updates" QuIP adds after GPTQ,
/// Chee et al. 2023, arXiv 2307.13304).
///
/// Each pass visits the weights in order and moves weight `i` to the grid
/// code that minimises the error with the others fixed: the error changes
/// by `ΔE(δ) = −2sδ (He)_i + s²δ² H_ii` for a code change `δ`, whose best
/// real value is `(He)_i / (s H_ii)`; the nearest valid code is tried.
/// `He` is updated in O(d) per move. Passes stop when one changes nothing.
public enum GreedyPasses {
  /// Refines `codes` (one row, `d` entries) in place; returns the passes
  /// made.
  ///
  /// - Complexity: O(d²) per pass.
  @discardableResult
  public static func refine(
    codes c: inout [Int], weights w: ArraySlice<Double>, scale s: Double, grid: QuantizationGrid,
    gram h: [Double], maxPasses: Int = 20
  ) -> Int {
    let d = c.count
    guard s > 0, d > 0, w.count == d, h.count == d * d else { return 0 }
    let start = w.startIndex
    var e = (0..<d).map { w[start + $0] - s * Double(c[$0]) }
    var he = [Double](repeating: 0, count: d)
    for i in 0..<d {
      for k in 0..<d { he[i] += h[i * d + k] * e[k] }
    }
    var passes = 0
    while passes < maxPasses {
      passes += 1
      var changed = false
      for i in 0..<d where h[i * d + i] > 0 {
        let hii = h[i * d + i]
        let target = Double(c[i]) + he[i] / (s * hii)
        let code = grid.isBinary ? (target >= 0 ? 1 : -1) : grid.clamp(Int(target.rounded()))
        let delta = Double(code - c[i])
        guard delta != 0 else { continue }
        let gain = -2 * s * delta * he[i] + s * s * delta * delta * hii
        guard gain < -1e-15 * max(1, abs(he[i] * e[i])) else { continue }
        c[i] = code
        e[i] -= s * delta
        for k in 0..<d { he[k] -= s * delta * h[k * d + i] }
        changed = true
      }
      if !changed { break }
    }
    return passes
  }
}
