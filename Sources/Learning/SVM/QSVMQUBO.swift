import QUBOModel

// The support-vector machine as a QUBO, after Willsch, Willsch, De Raedt and
// Michielsen, "Support vector machines on the D-Wave quantum annealer",
// Comput. Phys. Commun. 248, 106937 (2020).
//
// The soft-margin dual minimises
//   ½ Σ_nm α_n α_m y_n y_m k(x_n, x_m) − Σ_n α_n
// over 0 ≤ α_n ≤ C with Σ_n α_n y_n = 0. Each α_n is written in K bits of
// base B, α_n = Σ_k B^k a_{Kn+k} (so C = Σ_k B^k is the largest value), and
// the equality becomes the penalty ½ ξ (Σ_n α_n y_n)². Both terms are
// quadratic in α, hence in the bits:
//   E(a) = ½ Σ_nm Σ_kl B^(k+l) a_{Kn+k} a_{Km+l} y_n y_m (k_nm + ξ)
//          − Σ_n Σ_k B^k a_{Kn+k}.
// As a QUBO over a ∈ {0,1}^(NK): the coupling of a_i and a_j (i < j) is
// B^(k+l) y_n y_m (k_nm + ξ) (both orders of the double sum), and the linear
// bias of a_i is ½ B^(2k) (k_nn + ξ) − B^k (a_i² = a_i).
//
// Implementation goals, in order: the energy equals the penalised dual
// objective exactly (tested by enumeration); indices are dense
// (bit k of point n is variable K·n + k) so decoding needs no labels.

/// The QSVM training problem: the SVM dual as a QUBO.
///
/// As in Willsch and co-authors (2020): the coefficients in `bits` bits of
/// base `base` and the equality constraint as a penalty of weight ξ.
public struct QSVMQUBO: Sendable {
  /// The training kernel matrix, `count × count`, row-major.
  public var kernel: [Double]
  /// The training labels, ±1.
  public var y: [Double]
  /// Bits per coefficient, K ≥ 1.
  public var bits: Int
  /// The base B > 0 of the encoding.
  public var base: Double
  /// The penalty weight ξ ≥ 0 on `(Σ α_n y_n)²`.
  public var penalty: Double

  /// The problem over the kernel matrix `kernel` of labels `y` (±1).
  public init(kernel: [Double], y: [Double], bits: Int, base: Double, penalty: Double) throws {
    guard kernel.count == y.count * y.count else { throw ShapeError("kernel matrix shape") }
    guard bits >= 1 && base > 0 && penalty >= 0 else { throw ShapeError("encoding parameters") }
    self.kernel = kernel
    self.y = y
    self.bits = bits
    self.base = base
    self.penalty = penalty
  }

  /// The number of training points N.
  public var count: Int { y.count }

  /// The number of binary variables, N·K.
  public var variableCount: Int { count * bits }

  /// The box C = Σ_k B^k: the largest encodable coefficient.
  public var boxC: Double { Self.box(bits: bits, base: base) }

  /// C = Σ_{k<K} B^k for `bits` K and `base` B.
  public static func box(bits: Int, base: Double) -> Double {
    var w = 1.0
    var c = 0.0
    for _ in 0..<bits {
      c += w
      w *= base
    }
    return c
  }

  /// B^k.
  func weight(_ k: Int) -> Double {
    var w = 1.0
    for _ in 0..<k { w *= base }
    return w
  }

  /// The QUBO as a binary model over `0..<variableCount` (bit k of point n
  /// is variable `bits·n + k`).
  ///
  /// - Complexity: O((N·K)²) couplings, all non-zero in general.
  public var model: BinaryQuadraticModel {
    let n = count
    let nk = variableCount
    var m = BinaryQuadraticModel(vartype: .binary, count: nk)
    let w = (0..<bits).map(weight)
    for a in 0..<n {
      for k in 0..<bits {
        let i = a * bits + k
        m.addLinear(index: i, 0.5 * w[k] * w[k] * (kernel[a * n + a] + penalty) - w[k])
        for l in (k + 1)..<bits {
          m.addQuadratic(index: i, a * bits + l, w[k] * w[l] * (kernel[a * n + a] + penalty))
        }
        for b in (a + 1)..<n {
          let q = y[a] * y[b] * (kernel[a * n + b] + penalty)
          for l in 0..<bits { m.addQuadratic(index: i, b * bits + l, w[k] * w[l] * q) }
        }
      }
    }
    return m
  }

  /// The coefficients α_n = Σ_k B^k a_{Kn+k} of a 0/1 assignment.
  public func alpha<C: RandomAccessCollection>(_ bitsOf: C) throws -> [Double]
  where C.Element == Int8, C.Index == Int {
    guard bitsOf.count == variableCount else { throw ShapeError("assignment length") }
    let start = bitsOf.startIndex
    let w = (0..<bits).map(weight)
    return (0..<count).map { a in
      (0..<bits).reduce(0.0) { $0 + (bitsOf[start + a * bits + $1] != 0 ? w[$1] : 0) }
    }
  }

  /// The penalised dual objective
  /// `½ Σ_nm α_n α_m y_n y_m k_nm − Σ_n α_n + ½ ξ (Σ_n α_n y_n)²`
  /// computed directly from the coefficients.
  public func objective(alpha: [Double]) -> Double {
    let n = count
    var quad = 0.0
    for a in 0..<n where alpha[a] != 0 {
      for b in 0..<n where alpha[b] != 0 {
        quad += alpha[a] * alpha[b] * y[a] * y[b] * kernel[a * n + b]
      }
    }
    let sum = alpha.reduce(0, +)
    let balance = zip(alpha, y).reduce(0.0) { $0 + $1.0 * $1.1 }
    return 0.5 * quad - sum + 0.5 * penalty * balance * balance
  }
}
