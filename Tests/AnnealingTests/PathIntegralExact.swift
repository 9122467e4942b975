import Annealing
import GSLSupport
import QUBOModel

/// Exact thermal averages of diagonal observables of the transverse-field
/// Ising model `H = −Γ Σ σˣ_i + H_p(σᶻ)` by full diagonalisation (2ⁿ × 2ⁿ).
///
/// Basis state x has σᶻ_i = +1 when bit i of x is 0, −1 when it is 1.
struct ExactTransverseIsing {
  let n: Int
  let values: [Double]
  /// |⟨x|v_k⟩|², row k, column x.
  let weights: [[Double]]
  /// ⟨x|v_k⟩, row k, column x.
  let vectors: [[Double]]
  let spins: [[Int8]]
  let diagonal: [Double]

  init(_ problem: IsingProblem, gamma: Double) throws {
    n = problem.numSpins
    let dim = 1 << n
    var h = Matrix(rows: dim, columns: dim)
    var spins = [[Int8]]()
    var diagonal = [Double]()
    for x in 0..<dim {
      let s = (0..<n).map { (x >> $0) & 1 == 0 ? Int8(1) : Int8(-1) }
      spins.append(s)
      let e = problem.energy(s)
      diagonal.append(e)
      h[x, x] = e
      for i in 0..<n { h[x, x ^ (1 << i)] = -gamma }
    }
    let eig = try GSL.symmetricEigensystem(h)
    values = eig.values
    vectors = (0..<dim).map { eig.vector($0) }
    weights = vectors.map { v in v.map { $0 * $0 } }
    self.spins = spins
    self.diagonal = diagonal
  }

  /// Tr[O e^{−βH}]/Z for the diagonal observable O(x).
  func thermal(beta: Double, _ observable: (Int) -> Double) -> Double {
    let e0 = values[0]
    var z = 0.0
    var total = 0.0
    for (k, lambda) in values.enumerated() {
      let w = exp(-beta * (lambda - e0))
      z += w
      var o = 0.0
      for x in 0..<(1 << n) { o += weights[k][x] * observable(x) }
      total += w * o
    }
    return total / z
  }

  func energy(beta: Double) -> Double { thermal(beta: beta) { diagonal[$0] } }

  func correlation(beta: Double, _ i: Int, _ j: Int) -> Double {
    thermal(beta: beta) { Double(spins[$0][i] * spins[$0][j]) }
  }

  /// Tr[σˣ_i e^{−βH}]/Z.
  func transverseMagnetization(beta: Double, _ i: Int) -> Double {
    let e0 = values[0]
    var z = 0.0
    var total = 0.0
    for (k, lambda) in values.enumerated() {
      let w = exp(-beta * (lambda - e0))
      z += w
      let v = vectors[k]
      var o = 0.0
      for x in 0..<(1 << n) { o += v[x] * v[x ^ (1 << i)] }
      total += w * o
    }
    return total / z
  }

  func magnetization(beta: Double, _ i: Int) -> Double {
    thermal(beta: beta) { Double(spins[$0][i]) }
  }
}

/// A random Ising problem on `n` spins: every pair coupled with probability
/// `density`, biases uniform in [−1, 1].
func randomIsing(n: Int, density: Double = 0.7, seed: UInt64) -> IsingProblem {
  IsingProblem(randomIsingModel(n: n, density: density, seed: seed))
}

/// The model behind `randomIsing(n:density:seed:)`.
func randomIsingModel(n: Int, density: Double = 0.7, seed: UInt64) -> BinaryQuadraticModel {
  var rng = SplitMix64(seed: seed)
  func uniform() -> Double { Double(rng.next() >> 11) * 0x1.0p-53 * 2 - 1 }
  var bqm = BinaryQuadraticModel(vartype: .spin, count: n)
  for i in 0..<n { bqm.addLinear(index: i, uniform() * 0.5) }
  for i in 0..<n {
    for j in (i + 1)..<n where (uniform() + 1) / 2 < density {
      bqm.addQuadratic(index: i, j, uniform())
    }
  }
  return bqm
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
