/// A labelled classification dataset: a row-major feature matrix and one
/// integer class label per row.
public struct Dataset: Sendable, Equatable {
  /// A short name (the file name without extension, or the named dataset).
  public var name: String
  /// Row-major features, `count × featureCount`.
  public var features: [Double]
  /// One label per row, in `0..<classNames.count`.
  public var labels: [Int]
  /// The number of features (columns).
  public var featureCount: Int
  /// The class names; their count is the number of classes.
  public var classNames: [String]

  /// A dataset from its parts.
  ///
  /// - Throws: `ShapeError` unless `featureCount > 0`,
  ///   `features.count == labels.count * featureCount` and every label is
  ///   in `0..<classNames.count`.
  public init(
    name: String, features: [Double], labels: [Int], featureCount: Int, classNames: [String]
  ) throws {
    guard featureCount > 0, features.count == labels.count * featureCount else {
      throw ShapeError(
        "\(features.count) feature values for \(labels.count) rows of \(featureCount)")
    }
    guard labels.allSatisfy({ $0 >= 0 && $0 < classNames.count }) else {
      throw ShapeError("a label is not in 0..<\(classNames.count)")
    }
    self.init(
      unchecked: name, features: features, labels: labels, featureCount: featureCount,
      classNames: classNames)
  }

  /// A dataset whose parts the caller has checked.
  init(
    unchecked name: String, features: [Double], labels: [Int], featureCount: Int,
    classNames: [String]
  ) {
    self.name = name
    self.features = features
    self.labels = labels
    self.featureCount = featureCount
    self.classNames = classNames
  }

  /// The number of rows (samples).
  public var count: Int { labels.count }
  /// The number of classes.
  public var classCount: Int { classNames.count }

  /// The features of row `i`.
  public func row(_ i: Int) -> ArraySlice<Double> {
    features[(i * featureCount)..<((i + 1) * featureCount)]
  }

  /// The rows at `indices`, in that order.
  public func subset<C: Collection>(_ indices: C) -> Dataset where C.Element == Int {
    var f = [Double]()
    f.reserveCapacity(indices.count * featureCount)
    for i in indices { f.append(contentsOf: row(i)) }
    return Dataset(
      unchecked: name, features: f, labels: indices.map { labels[$0] }, featureCount: featureCount,
      classNames: classNames)
  }

  /// The dataset restricted to the feature columns `columns`, in that order.
  public func selecting(features columns: [Int]) -> Dataset {
    var f = [Double]()
    f.reserveCapacity(count * columns.count)
    for i in 0..<count {
      for c in columns { f.append(features[i * featureCount + c]) }
    }
    return Dataset(
      unchecked: name, features: f, labels: labels, featureCount: columns.count,
      classNames: classNames)
  }
}
