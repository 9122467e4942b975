extension BinaryQuadraticModel {
  /// The energy of one sample, given as values in this model's vartype,
  /// one per variable in index order.
  ///
  /// - Complexity: O(n + m).
  public func energy<C: RandomAccessCollection>(_ sample: C) -> Double
  where C.Element == Int8, C.Index == Int {
    precondition(sample.count == numVariables, "sample length differs from the model's")
    let base = sample.startIndex
    var e = offset
    for i in 0..<numVariables { e += linear[i] * Double(sample[base + i]) }
    for (key, b) in quadratic {
      e += b * Double(sample[base + key.i]) * Double(sample[base + key.j])
    }
    return e
  }

  /// The energies of many samples stored row-major, `numVariables` values a row.
  ///
  /// The interactions are laid out once as flat arrays, so each row costs
  /// one pass over contiguous memory.
  ///
  /// - Complexity: O(m + rows·(n + m)).
  public func energies(ofRows samples: [Int8]) -> [Double] {
    let n = numVariables
    if n == 0 {
      return []
    }
    precondition(samples.count % n == 0, "sample matrix is not a whole number of rows")
    let rows = samples.count / n
    var us = [Int](), vs = [Int](), bs = [Double]()
    us.reserveCapacity(quadratic.count)
    vs.reserveCapacity(quadratic.count)
    bs.reserveCapacity(quadratic.count)
    for (key, b) in quadratic {
      us.append(key.i)
      vs.append(key.j)
      bs.append(b)
    }
    var out = [Double](repeating: offset, count: rows)
    samples.withUnsafeBufferPointer { s in
      for r in 0..<rows {
        let row = r * n
        var e = offset
        for i in 0..<n { e += linear[i] * Double(s[row + i]) }
        for k in bs.indices { e += bs[k] * Double(s[row + us[k]]) * Double(s[row + vs[k]]) }
        out[r] = e
      }
    }
    return out
  }
}
