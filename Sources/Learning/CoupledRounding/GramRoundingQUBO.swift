import QUBOModel

// The rounding QUBO of any weight vector w under a quadratic error eᵀGe in
// the weight errors e = w − s∘ŵ (issue 19, item 3). Each weight takes code
// base + step·z (z ∈ {0, 1} between its two nearest candidates; weights
// whose candidates coincide are fixed), so e = d − S z with d = w − s∘base
// and S = diag(step·s). Expanding with z² = z:
//   eᵀGe = dᵀGd + Σ_a z_a (S_a² G_aa − 2 S_a (Gd)_a) + Σ_{a<b} z_a z_b 2 S_a S_b G_ab.

/// A dense rounding QUBO from a Gram matrix over the weights.
public struct GramRoundingQUBO: Sendable {
  /// The weight index of each binary variable.
  public let free: [Int]
  /// Every weight's code when all variables are 0.
  public let base: [Int]
  /// The code distance between a variable's two candidates.
  public let step: Int
  /// The QUBO over variables `0..<free.count`; its energy is `eᵀGe`.
  public let model: BinaryQuadraticModel

  /// The QUBO of `weights` at the per-weight `scales` on `grid` under the
  /// `m × m` row-major symmetric Gram `gram`.
  public init(weights w: [Double], scales: [Double], grid: QuantizationGrid, gram gm: [Double])
    throws
  {
    let m = w.count
    guard scales.count == m && gm.count == m * m else { throw ShapeError("Gram rounding shape") }
    var base = [Int](repeating: 0, count: m)
    var free = [Int]()
    for a in 0..<m {
      let (down, up) = grid.candidates(w[a], scale: scales[a])
      base[a] = down
      if down != up { free.append(a) }
    }
    let d = (0..<m).map { w[$0] - scales[$0] * Double(base[$0]) }
    var gd = [Double](repeating: 0, count: m)
    gm.withUnsafeBufferPointer { gp in
      d.withUnsafeBufferPointer { dp in
        gd.withUnsafeMutableBufferPointer { op in
          denseProduct(m: m, n: 1, k: m, a: gp, b: dp, c: op)
        }
      }
    }
    let unit = Double(grid.step)
    var model = BinaryQuadraticModel(vartype: .binary, count: free.count)
    for (p, a) in free.enumerated() {
      let sa = unit * scales[a]
      model.addLinear(index: p, sa * sa * gm[a * m + a] - 2 * sa * gd[a])
      for q in (p + 1)..<free.count {
        let b = free[q]
        let coupling = 2 * sa * unit * scales[b] * gm[a * m + b]
        if coupling != 0 { model.addQuadratic(index: p, q, coupling) }
      }
    }
    model.offset = zip(d, gd).reduce(0) { $0 + $1.0 * $1.1 }
    self.free = free
    self.base = base
    self.step = grid.step
    self.model = model
  }

  /// All weights' codes for the assignment `z`.
  public func codes<C: RandomAccessCollection>(_ z: C) -> [Int]
  where C.Element == Int8, C.Index == Int {
    var c = base
    for (p, a) in free.enumerated() where z[z.startIndex + p] != 0 { c[a] += step }
    return c
  }

  /// The assignment nearest to `codes`: a variable is 1 when its weight's
  /// code is nearer the upper candidate.
  public func assignment(codes: [Int]) -> [Int8] {
    free.map { a in Double(codes[a] - base[a]) >= Double(step) / 2 ? 1 : 0 }
  }
}
