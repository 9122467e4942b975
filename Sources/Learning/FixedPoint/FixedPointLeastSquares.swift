import QUBOModel

/// Linear least squares with every weight on a K-bit fixed-point grid,
/// written exactly as a QUBO (Date & Potok 2021).
///
/// Each weight is `w_i = Σ_k p_k b_ik` with bits `b_ik ∈ {0, 1}` and place
/// values `p = step · (−2^(K−1), 2^(K−2), …, 2, 1)` (two's complement: the
/// codes `−2^(K−1) … 2^(K−1) − 1` times `step`). With `w = P b`,
///
///     ‖Xw − y‖² = bᵀ (PᵀXᵀXP) b − 2 bᵀ PᵀXᵀy + yᵀy,
///
/// and `b² = b` moves the diagonal into the linear terms: a QUBO whose energy
/// is the loss of the decoded weights, for every assignment.
public struct FixedPointLeastSquares: Sendable {
  /// The number of weights `d`.
  public let weights: Int
  /// Bits per weight `K`.
  public let bits: Int
  /// The grid step (the value of the least significant bit).
  public let step: Double
  /// The QUBO over `d·K` bits, bit `k` of weight `i` at index `i·K + k`.
  public let model: BinaryQuadraticModel

  /// The QUBO of `‖Xw − y‖²` for `x` (`n × d`, row-major) and `y` (`n`).
  ///
  /// - Throws: `ShapeError` unless `x` is `n × d` with `d > 0`,
  ///   `1 <= bits <= 30` and `step` is positive and finite.
  public init(x: [Double], y: [Double], columns d: Int, bits: Int, step: Double) throws {
    let n = y.count
    guard d > 0, x.count == n * d else {
      throw ShapeError("\(x.count) values of x for \(n) rows of \(d) columns")
    }
    guard (1...30).contains(bits), step > 0, step.isFinite else {
      throw ShapeError("bits must be in 1…30 and the step positive, got \(bits) and \(step)")
    }
    self.weights = d
    self.bits = bits
    self.step = step
    var gram = [Double](repeating: 0, count: d * d)
    var xty = [Double](repeating: 0, count: d)
    var yty = 0.0
    for r in 0..<n {
      for i in 0..<d {
        xty[i] += x[r * d + i] * y[r]
        for j in 0..<d { gram[i * d + j] += x[r * d + i] * x[r * d + j] }
      }
      yty += y[r] * y[r]
    }
    let place = Self.placeValues(bits: bits, step: step)
    var m = BinaryQuadraticModel(vartype: .binary, count: d * bits)
    for i in 0..<d {
      for k in 0..<bits {
        let u = i * bits + k
        m.addLinear(index: u, place[k] * place[k] * gram[i * d + i] - 2 * place[k] * xty[i])
        for j in i..<d {
          for l in 0..<bits {
            let v = j * bits + l
            guard v > u else { continue }
            m.addQuadratic(index: u, v, 2 * place[k] * place[l] * gram[i * d + j])
          }
        }
      }
    }
    m.offset = yty
    model = m
  }

  /// The place values of the bits of one weight, most significant first.
  public static func placeValues(bits: Int, step: Double) -> [Double] {
    (0..<bits).map { k in
      let v = step * Double(1 << (bits - 1 - k))
      return k == 0 ? -v : v
    }
  }

  /// The weights encoded by `b` (0/1, `d·K` values).
  public func decode<C: RandomAccessCollection>(_ b: C) -> [Double]
  where C.Element: BinaryInteger, C.Index == Int {
    let place = Self.placeValues(bits: bits, step: step)
    return (0..<weights).map { i in
      (0..<bits).reduce(0.0) { $0 + (b[b.startIndex + i * bits + $1] != 0 ? place[$1] : 0) }
    }
  }

  /// The step that makes the grid cover `±maxAbs`.
  public static func step(bits: Int, covering maxAbs: Double) -> Double {
    max(maxAbs, .leastNormalMagnitude) / Double(max(1, (1 << (bits - 1)) - 1))
  }
}
