import Annealing
import QUBOEncoding
import QUBOModel

extension FeatureSelection {
  /// The cardinality version written with the modeling DSL: minimise
  /// `−α Σ_i I(x_i;y) z_i + (1 − α) Σ_{i<j} I(x_i;x_j) z_i z_j` subject to
  /// `Σ_i z_i == k`, compiled by `QUBOEncoding` (its default penalty strength,
  /// raised while the best sample breaks the constraint).
  ///
  /// - Returns: the kept features, or nil when no round gave a feasible
  ///   sample.
  public func encoded(k: Int, alpha: Double = 0.5, sampler: any Sampler, seed: UInt64) throws
    -> [Int]?
  {
    let d = count
    var m = Model()
    let z = m.binaries("z", count: d)
    var objective = Expr.sum(0..<d) { -alpha * relevance[$0] * z[$0] }
    for i in 0..<d {
      for j in (i + 1)..<d where redundancy[i * d + j] != 0 {
        objective += (1 - alpha) * redundancy[i * d + j] * (z[i] * z[j])
      }
    }
    m.minimize(objective)
    m.constrain("k features", Expr.sum(z) == k)
    let report = try m.compile().solve { try sampler.sample($0, seed: seed) }
    guard let chosen = report.solution?.array("z") else { return nil }
    return chosen.indices.filter { chosen[$0] != 0 }
  }
}
