import Annealing
import QUBOModel

/// Feature selection as a QUBO over `z_i ∈ {0, 1}` (feature `i` kept):
/// relevance (mutual information with the label) against redundancy
/// (pairwise mutual information).
///
/// Two ways to get exactly `k` features:
/// - **Bisection** (Mücke et al. 2023): minimise
///   `−α Σ_i I(x_i;y) z_i + (1 − α) Σ_{i<j} I(x_i;x_j) z_i z_j`; larger `α`
///   keeps more features, so `α` is bisected until `k` are kept.
/// - **Cardinality penalty**: minimise the same objective at a given `α`
///   (the one bisection found, so that all methods weigh relevance against
///   redundancy alike) plus `A (Σ_i z_i − k)²`, with `A` larger than any
///   single feature's gain, so that every optimum keeps exactly `k`.
public struct FeatureSelection: Sendable {
  /// `I(x_i; y)` per feature.
  public let relevance: [Double]
  /// `I(x_i; x_j)`, `d × d` row-major (diagonal unused).
  public let redundancy: [Double]

  /// The relevance and redundancy of `data`'s features (quantile bins).
  ///
  /// - Throws: `ShapeError` unless `2 <= bins <= 10000`.
  public init(_ data: Dataset, bins: Int = 8) throws {
    let mi = try MutualInformation(data, bins: bins)
    let d = data.featureCount
    relevance = (0..<d).map { mi.relevance($0) }
    var r = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in (i + 1)..<d {
        let v = mi.redundancy(i, j)
        r[i * d + j] = v
        r[j * d + i] = v
      }
    }
    redundancy = r
  }

  /// The number of features.
  public var count: Int { relevance.count }

  /// The bisection QUBO at trade-off `alpha` ∈ [0, 1].
  public func model(alpha: Double) -> BinaryQuadraticModel {
    let d = count
    var m = BinaryQuadraticModel(vartype: .binary, count: d)
    for i in 0..<d {
      m.addLinear(index: i, -alpha * relevance[i])
      for j in (i + 1)..<d where redundancy[i * d + j] != 0 {
        m.addQuadratic(index: i, j, (1 - alpha) * redundancy[i * d + j])
      }
    }
    return m
  }

  /// The cardinality-penalty QUBO for `k` features: the bisection
  /// objective at `alpha` plus `A (Σ_i z_i − k)²`.
  public func model(k: Int, alpha: Double = 0.5) -> BinaryQuadraticModel {
    let d = count
    let penalty = 1 + relevance.reduce(0, +) + redundancy.reduce(0, +)
    var m = BinaryQuadraticModel(vartype: .binary, count: d)
    // A (Σz − k)² = A (Σ z_i (1 − 2k) + 2 Σ_{i<j} z_i z_j + k²).
    for i in 0..<d {
      m.addLinear(index: i, -alpha * relevance[i] + penalty * Double(1 - 2 * k))
      for j in (i + 1)..<d {
        m.addQuadratic(index: i, j, (1 - alpha) * redundancy[i * d + j] + 2 * penalty)
      }
    }
    m.offset = penalty * Double(k * k)
    return m
  }

  /// The `k` features of highest relevance (the baseline).
  public func topRelevance(_ k: Int) -> [Int] {
    Array(relevance.indices.sorted { relevance[$0] > relevance[$1] }.prefix(k)).sorted()
  }

  /// The lowest-energy state of `model` found by `sampler`, as kept features.
  static func solve(_ model: BinaryQuadraticModel, _ sampler: any Sampler, seed: UInt64) throws
    -> [Int]
  {
    let set = try sampler.sample(model, seed: seed)
    guard let row = set.lowestRow else { throw SamplerError("the sampler returned no sample") }
    return set.sample(row).enumerated().filter { $0.element != 0 }.map(\.offset)
  }

  /// Bisects `alpha` until the sampler's best state keeps exactly `k`
  /// features (at most `steps` solves).
  ///
  /// - Returns: the kept features and `alpha`; if no `alpha` gave exactly
  ///   `k`, the closest count found, trimmed or padded by relevance.
  public func bisect(k: Int, sampler: any Sampler, seed: UInt64, steps: Int = 30) throws
    -> (features: [Int], alpha: Double, exact: Bool)
  {
    guard k >= 1 && k <= count else {
      throw ShapeError("k = \(k) is not in 1…\(count), the feature count")
    }
    guard steps >= 1 else { throw ShapeError("bisection needs at least one step") }
    var (lo, hi) = (0.0, 1.0)
    var closest = (features: [Int](), alpha: 0.5, distance: Int.max)
    for _ in 0..<steps {
      let alpha = (lo + hi) / 2
      let chosen = try Self.solve(model(alpha: alpha), sampler, seed: seed)
      if chosen.count == k { return (chosen, alpha, true) }
      if abs(chosen.count - k) < closest.distance {
        closest = (chosen, alpha, abs(chosen.count - k))
      }
      if chosen.count < k { lo = alpha } else { hi = alpha }
    }
    var chosen = closest.features.sorted { relevance[$0] > relevance[$1] }
    if chosen.count > k { chosen.removeLast(chosen.count - k) }
    for i in relevance.indices.sorted(by: { relevance[$0] > relevance[$1] })
    where chosen.count < k && !chosen.contains(i) {
      chosen.append(i)
    }
    return (chosen.sorted(), closest.alpha, false)
  }

  /// Solves the cardinality-penalty QUBO for `k` features at `alpha`.
  public func penalized(k: Int, alpha: Double = 0.5, sampler: any Sampler, seed: UInt64) throws
    -> [Int]
  {
    try Self.solve(model(k: k, alpha: alpha), sampler, seed: seed)
  }
}
