import Annealing

extension Dataset {
  /// A seeded stratified split: within each class, the rows are shuffled and
  /// `testFraction` of them (rounded, at least one when the class has two or
  /// more rows) go to the test set.
  ///
  /// The same seed gives the same split. Row order in each part follows the
  /// original file order.
  /// - Throws: `ShapeError` unless `0 < testFraction < 1`, or when no class
  ///   has two rows, so that the test set would be empty.
  public func stratifiedSplit(testFraction: Double = 0.25, seed: UInt64) throws
    -> (train: Dataset, test: Dataset)
  {
    guard testFraction > 0 && testFraction < 1 else {
      throw ShapeError("the test fraction must be in (0, 1), got \(testFraction)")
    }
    var rng = Xoshiro256PlusPlus(seed: seed)
    var train = [Int]()
    var test = [Int]()
    for c in 0..<classCount {
      var rows = labels.indices.filter { labels[$0] == c }
      rows.shuffle(using: &rng)
      var k = Int((Double(rows.count) * testFraction).rounded())
      if rows.count >= 2 { k = min(max(k, 1), rows.count - 1) } else { k = 0 }
      test += rows[..<k]
      train += rows[k...]
    }
    guard !test.isEmpty else {
      throw ShapeError(
        "\(name): the split leaves the test set empty (no class has two rows)")
    }
    return (subset(train.sorted()), subset(test.sorted()))
  }
}

/// Per-feature standardisation `(x − mean) / sd`, fitted on one dataset (the
/// training split) and applied to others.
///
/// A feature with zero spread in the fitted data maps to 0 everywhere.
public struct Standardizer: Sendable, Equatable {
  /// The per-feature means of the fitted data.
  public var mean: [Double]
  /// The per-feature standard deviations (population) of the fitted data.
  public var sd: [Double]

  /// Fits means and standard deviations on `data`.
  public init(fitting data: Dataset) {
    let d = data.featureCount
    let n = Double(max(1, data.count))
    var m = [Double](repeating: 0, count: d)
    var v = [Double](repeating: 0, count: d)
    for i in 0..<data.count {
      for j in 0..<d { m[j] += data.features[i * d + j] }
    }
    for j in 0..<d { m[j] /= n }
    for i in 0..<data.count {
      for j in 0..<d {
        let e = data.features[i * d + j] - m[j]
        v[j] += e * e
      }
    }
    mean = m
    sd = v.map { ($0 / n).squareRoot() }
  }

  /// `data` with every feature standardised.
  ///
  /// - Throws: `ShapeError` when `data` has another feature count than the
  ///   fitted data.
  public func apply(_ data: Dataset) throws -> Dataset {
    guard data.featureCount == mean.count else {
      throw ShapeError(
        "\(data.featureCount) features, the standardiser was fitted on \(mean.count)")
    }
    var out = data
    let d = data.featureCount
    for i in 0..<data.count {
      for j in 0..<d {
        let k = i * d + j
        out.features[k] = sd[j] > 1e-12 ? (data.features[k] - mean[j]) / sd[j] : 0
      }
    }
    return out
  }
}
