/// Spearman's rank correlation ρ of two samples of equal length: Pearson's
/// correlation of their ranks, tied values sharing their average rank; nil
/// when either sample is constant or has fewer than two values, where ρ is
/// undefined, and when the lengths differ.
public func spearmanRho(_ x: [Double], _ y: [Double]) -> Double? {
  guard x.count == y.count, x.count >= 2 else { return nil }
  let (rx, ry) = (averageRanks(x), averageRanks(y))
  let n = Double(x.count)
  let (mx, my) = (rx.reduce(0, +) / n, ry.reduce(0, +) / n)
  var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
  for (a, b) in zip(rx, ry) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
    syy += (b - my) * (b - my)
  }
  guard sxx > 0, syy > 0 else { return nil }
  return sxy / (sxx * syy).squareRoot()
}

/// The 0-based rank of each value, tied values sharing their average rank.
func averageRanks(_ v: [Double]) -> [Double] {
  let order = v.indices.sorted { v[$0] < v[$1] }
  var r = [Double](repeating: 0, count: v.count)
  var i = 0
  while i < order.count {
    var j = i
    while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
    for k in i...j { r[order[k]] = Double(i + j) / 2 }
    i = j + 1
  }
  return r
}
