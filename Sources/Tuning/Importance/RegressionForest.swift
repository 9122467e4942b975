import Annealing

// A small regression forest (Breiman, "Random Forests", Machine Learning
// 45, 2001) for parameter importance: bootstrap samples, axis-aligned
// splits that minimise the squared error, leaves of at least
// `minLeaf` rows. Features are numbers: an ordered parameter's grid index,
// a categorical's value index, a boolean's 0/1.
//
// Importance is Breiman's permutation importance measured out of bag: for
// every tree, the rise of its squared error on the rows it did not see
// when one feature's column is shuffled among them. A feature the model
// does not use — however many values it has — cannot raise the error, so
// it scores about zero; this is what η² (the correlation ratio) got wrong,
// since with one trial per value it "explains" all the variance.

/// A regression forest fitted to rows of numeric features.
struct RegressionForest {
  /// One node: a split (feature, threshold, children) or a leaf value.
  struct Node {
    var feature = -1
    var threshold = 0.0
    var left = -1
    var right = -1
    var value = 0.0
  }

  var trees: [[Node]] = []
  /// The rows each tree did not draw.
  var outOfBag: [[Int]] = []

  /// Fits `trees` trees to `x` (rows) and `y`.
  init(x: [[Double]], y: [Double], trees: Int = 64, minLeaf: Int = 2, seed: UInt64) {
    var rng = Xoshiro256PlusPlus(seed: seed)
    let n = y.count
    guard n > 1 else { return }
    for _ in 0..<trees {
      var drawn = [Bool](repeating: false, count: n)
      let rows = (0..<n).map { _ -> Int in
        let r = Int.random(in: 0..<n, using: &rng)
        drawn[r] = true
        return r
      }
      var nodes: [Node] = []
      Self.grow(rows, x: x, y: y, minLeaf: minLeaf, depth: 0, into: &nodes)
      self.trees.append(nodes)
      outOfBag.append((0..<n).filter { !drawn[$0] })
    }
  }

  /// Grows the subtree of `rows`; returns its root's index in `nodes`.
  @discardableResult
  static func grow(
    _ rows: [Int], x: [[Double]], y: [Double], minLeaf: Int, depth: Int, into nodes: inout [Node]
  ) -> Int {
    let mean = rows.reduce(0) { $0 + y[$1] } / Double(rows.count)
    let me = nodes.count
    nodes.append(Node(value: mean))
    guard rows.count >= 2 * minLeaf, depth < 12 else { return me }
    var best: (gain: Double, feature: Int, threshold: Double)?
    let total = rows.reduce(0) { $0 + (y[$1] - mean) * (y[$1] - mean) }
    guard total > 1e-300 else { return me }
    for f in x[rows[0]].indices {
      let sorted = rows.sorted { x[$0][f] < x[$1][f] }
      var sumLeft = 0.0
      var sqLeft = 0.0
      let sum = rows.reduce(0) { $0 + y[$1] }
      let sq = rows.reduce(0) { $0 + y[$1] * y[$1] }
      for k in 0..<(sorted.count - 1) {
        let v = y[sorted[k]]
        sumLeft += v
        sqLeft += v * v
        let a = x[sorted[k]][f]
        let b = x[sorted[k + 1]][f]
        let nl = Double(k + 1)
        let nr = Double(sorted.count - k - 1)
        guard a < b, k + 1 >= minLeaf, sorted.count - k - 1 >= minLeaf else { continue }
        let sse = (sqLeft - sumLeft * sumLeft / nl) + (sq - sqLeft) - (sum - sumLeft) * (sum - sumLeft) / nr
        let gain = total - sse
        if gain > (best?.gain ?? 1e-12 * total) { best = (gain, f, (a + b) / 2) }
      }
    }
    guard let split = best else { return me }
    let left = rows.filter { x[$0][split.feature] < split.threshold }
    let right = rows.filter { x[$0][split.feature] >= split.threshold }
    let l = grow(left, x: x, y: y, minLeaf: minLeaf, depth: depth + 1, into: &nodes)
    let r = grow(right, x: x, y: y, minLeaf: minLeaf, depth: depth + 1, into: &nodes)
    nodes[me].feature = split.feature
    nodes[me].threshold = split.threshold
    nodes[me].left = l
    nodes[me].right = r
    return me
  }

  /// Tree `t`'s prediction at `row`.
  func predict(tree t: Int, _ row: [Double]) -> Double {
    let nodes = trees[t]
    var k = 0
    while nodes[k].feature >= 0 {
      k = row[nodes[k].feature] < nodes[k].threshold ? nodes[k].left : nodes[k].right
    }
    return nodes[k].value
  }

  /// The out-of-bag permutation importance of each feature (the mean rise
  /// in squared error, never below 0).
  func permutationImportance(x: [[Double]], y: [Double], seed: UInt64) -> [Double] {
    let features = x.first?.count ?? 0
    var rise = [Double](repeating: 0, count: features)
    var rng = Xoshiro256PlusPlus(seed: seed)
    var counted = 0
    for t in trees.indices where outOfBag[t].count >= 2 {
      let rows = outOfBag[t]
      counted += 1
      let base = rows.reduce(0.0) { acc, r in
        let e = predict(tree: t, x[r]) - y[r]
        return acc + e * e
      }
      for f in 0..<features {
        let shuffled = rows.shuffled(using: &rng)
        var err = 0.0
        for (r, s) in zip(rows, shuffled) {
          var row = x[r]
          row[f] = x[s][f]
          let e = predict(tree: t, row) - y[r]
          err += e * e
        }
        rise[f] += (err - base) / Double(rows.count)
      }
    }
    guard counted > 0 else { return rise }
    return rise.map { max(0, $0 / Double(counted)) }
  }
}
