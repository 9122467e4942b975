#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Mutual information between discretised features and labels, in nats.
///
/// Each feature is cut into `bins` equal-count (quantile) bins fitted on the
/// data given; `I(A; B) = Σ p(a,b) ln(p(a,b) / (p(a) p(b)))` from the counts.
public struct MutualInformation: Sendable {
  /// Per feature, the bin of every row.
  public let binned: [[Int]]
  /// The number of bins per feature.
  public let bins: Int
  /// The labels and their count.
  let labels: [Int]
  let classes: Int

  /// Discretises every feature of `data` into `bins` quantile bins.
  ///
  /// - Throws: `ShapeError` unless `2 <= bins <= 10000`.
  public init(_ data: Dataset, bins: Int = 8) throws {
    guard (2...10_000).contains(bins) else {
      throw ShapeError("bins must be in 2…10000, got \(bins)")
    }
    let n = data.count
    self.bins = bins
    labels = data.labels
    classes = data.classCount
    binned = (0..<data.featureCount).map { j in
      let column = (0..<n).map { data.features[$0 * data.featureCount + j] }
      let sorted = column.sorted()
      let cuts = (1..<bins).map { sorted[min(n - 1, $0 * n / bins)] }
      return column.map { v in cuts.reduce(0) { $0 + (v >= $1 ? 1 : 0) } }
    }
  }

  /// `I(x_i; y)`.
  public func relevance(_ i: Int) -> Double {
    Self.mutualInformation(binned[i], bins, labels, classes)
  }

  /// `I(x_i; x_j)`.
  public func redundancy(_ i: Int, _ j: Int) -> Double {
    Self.mutualInformation(binned[i], bins, binned[j], bins)
  }

  /// The mutual information of two discrete sequences with values in
  /// `0..<ka` and `0..<kb`.
  ///
  /// Only the common prefix of two sequences of different lengths counts.
  public static func mutualInformation(_ a: [Int], _ ka: Int, _ b: [Int], _ kb: Int) -> Double {
    let (a, b) = (Array(a.prefix(b.count)), Array(b.prefix(a.count)))
    let n = Double(a.count)
    guard n > 0 else { return 0 }
    var joint = [Double](repeating: 0, count: ka * kb)
    var pa = [Double](repeating: 0, count: ka)
    var pb = [Double](repeating: 0, count: kb)
    for (x, y) in zip(a, b) {
      joint[x * kb + y] += 1
      pa[x] += 1
      pb[y] += 1
    }
    var mi = 0.0
    for x in 0..<ka {
      for y in 0..<kb where joint[x * kb + y] > 0 {
        let pxy = joint[x * kb + y] / n
        mi += pxy * log(pxy / ((pa[x] / n) * (pb[y] / n)))
      }
    }
    return max(0, mi)
  }
}
