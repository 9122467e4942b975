import QUBOModel

/// The rounding of one output neuron's weights as an exact QUBO (the
/// objective of AdaRound, Nagel et al. 2020, kept discrete).
///
/// With weights `w`, scale `s` and calibration Gram matrix `H`, each weight
/// takes code `c_i = base_i + x_i`, `x_i ∈ {0, 1}` choosing between
/// `floor(w_i/s)` and `floor(w_i/s) + 1` (clamped). With `d = w − s·base`,
/// the reconstruction error of the neuron's pre-activation is
///
///     E(x) = (d − s x)ᵀ H (d − s x)
///          = dᵀHd + Σ_i x_i (s² H_ii − 2s (Hd)_i) + Σ_{i<k} x_i x_k · 2s² H_ik,
///
/// using `x_i² = x_i`: exactly a QUBO. On the binary grid the candidates
/// are −1 and +1 (`c_i = −1 + 2x_i`), and `s` above reads `2s` (`step · s`). Weights whose two candidates coincide
/// after clipping, and weights on inputs with zero calibration energy
/// (`H_ii = 0`, rounded to nearest), are fixed in `base` and are not
/// variables.
public struct RoundingQUBO: Sendable {
  /// The weight index (within the row) of each binary variable.
  public let free: [Int]
  /// The code of every weight when all variables are 0.
  public let base: [Int]
  /// The scale `s`.
  public let scale: Double
  /// The code distance between a variable's two candidates (2 on the binary
  /// grid, else 1).
  public let step: Int
  /// `u² H_aa` per variable with `u = step · s`: the diagonal of the
  /// relaxed quadratic form (the QUBO folds it into `linear`, `x² = x`).
  public let curvature: [Double]
  /// Linear coefficients, one per variable.
  public let linear: [Double]
  /// Couplings `2s²H_ik` of variables `a < b`, dense `f × f` row-major
  /// (only the upper triangle is used).
  public let quadratic: [Double]
  /// The constant `dᵀHd`.
  public let offset: Double

  /// The QUBO of the row `w` at scale `scale` on the grid, with Gram `h`.
  ///
  /// - Throws: `ShapeError` unless `h` is `w.count × w.count`.
  public init(
    weights w: ArraySlice<Double>, scale s: Double, grid: QuantizationGrid, gram h: [Double]
  ) throws {
    let n = w.count
    guard h.count == n * n else {
      throw ShapeError("a Gram matrix of \(h.count) entries for \(n) weights")
    }
    let w = Array(w)
    let u = s * Double(grid.step)
    var base = [Int](repeating: 0, count: n)
    var free = [Int]()
    for i in 0..<n {
      let (down, up) = grid.candidates(w[i], scale: s)
      if down == up || h[i * n + i] <= 0 {
        base[i] = down == up ? down : grid.nearest(w[i], scale: s)
      } else {
        base[i] = down
        free.append(i)
      }
    }
    let d = (0..<n).map { w[$0] - s * Double(base[$0]) }
    var hd = [Double](repeating: 0, count: n)
    for i in 0..<n {
      for k in 0..<n { hd[i] += h[i * n + k] * d[k] }
    }
    let f = free.count
    var q = [Double](repeating: 0, count: f * f)
    for a in 0..<f {
      for b in (a + 1)..<f { q[a * f + b] = 2 * u * u * h[free[a] * n + free[b]] }
    }
    self.free = free
    self.base = base
    scale = s
    step = grid.step
    curvature = free.map { u * u * h[$0 * n + $0] }
    linear = free.map { u * u * h[$0 * n + $0] - 2 * u * hd[$0] }
    quadratic = q
    offset = zip(d, hd).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// The number of binary variables.
  public var count: Int { free.count }

  /// The energy of the assignment `x` (0/1 per variable).
  public func energy<C: RandomAccessCollection>(_ x: C) -> Double
  where C.Element: BinaryInteger, C.Index == Int {
    let f = count
    var e = offset
    let start = x.startIndex
    for a in 0..<f where x[start + a] != 0 {
      e += linear[a]
      for b in (a + 1)..<f where x[start + b] != 0 { e += quadratic[a * f + b] }
    }
    return e
  }

  /// The codes of the whole row for the assignment `x`.
  public func codes<C: RandomAccessCollection>(_ x: C) -> [Int]
  where C.Element: BinaryInteger, C.Index == Int {
    var c = base
    for (a, i) in free.enumerated() where x[x.startIndex + a] != 0 { c[i] += step }
    return c
  }

  /// The assignment that gives `codes` (a variable is 1 when its weight's
  /// code is above `base`).
  public func assignment(_ codes: [Int]) -> [Int8] {
    free.map { codes[$0] > base[$0] ? 1 : 0 }
  }

  /// The model over variables `0..<count`, vartype binary.
  public var model: BinaryQuadraticModel {
    let f = count
    var m = BinaryQuadraticModel(vartype: .binary, count: f)
    for a in 0..<f {
      m.addLinear(index: a, linear[a])
      for b in (a + 1)..<f where quadratic[a * f + b] != 0 {
        m.addQuadratic(index: a, b, quadratic[a * f + b])
      }
    }
    m.offset = offset
    return m
  }
}
