/// Binary labels and scores for the SVMs.
public enum SVMLabels {
  /// The ±1 labels of a two-class dataset: class 1 → +1, class 0 → −1.
  public static func signs(_ data: Dataset) -> [Double] {
    data.labels.map { $0 == 1 ? 1 : -1 }
  }

  /// The fraction of rows whose decision value has the sign of the label
  /// (a value of exactly 0 predicts class 0).
  public static func accuracy(decision f: [Double], labels: [Int]) throws -> Double {
    guard f.count == labels.count && !f.isEmpty else { throw ShapeError("decision values and labels") }
    let right = zip(f, labels).filter { ($0.0 > 0) == ($0.1 == 1) }.count
    return Double(right) / Double(f.count)
  }

  /// The area under the ROC curve of decision values `f` for class 1.
  ///
  /// It is the probability that a random positive scores above a random negative,
  /// ties counting one half (the Mann–Whitney statistic). NaN when one
  /// class is absent.
  ///
  /// - Complexity: O(n log n).
  public static func auc(decision f: [Double], labels: [Int]) throws -> Double {
    guard f.count == labels.count else { throw ShapeError("decision values and labels") }
    let order = f.indices.sorted { f[$0] < f[$1] }
    var rankSum = 0.0
    var positives = 0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && f[order[end + 1]] == f[order[start]] { end += 1 }
      let midRank = Double(start + end) / 2 + 1
      for r in start...end where labels[order[r]] == 1 {
        rankSum += midRank
        positives += 1
      }
      start = end + 1
    }
    let negatives = f.count - positives
    guard positives > 0, negatives > 0 else { return .nan }
    let p = Double(positives)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }
}
