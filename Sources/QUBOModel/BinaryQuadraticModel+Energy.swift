extension BinaryQuadraticModel {
  /// The energy of one sample, given as values in this model's vartype,
  /// one per variable in index order.
  ///
  /// The interactions are summed in `(i, j)` order, not in the dictionary's
  /// per-process order, so the result is the same in every process.
  ///
  /// - Complexity: O(n + m log m).
  public func energy<C: RandomAccessCollection>(_ sample: C) -> Double
  where C.Element == Int8, C.Index == Int {
    precondition(sample.count == numVariables, "sample length differs from the model's")
    let base = sample.startIndex
    var e = offset
    for i in 0..<numVariables { e += linear[i] * Double(sample[base + i]) }
    for (i, j, b) in sortedInteractions {
      e += b * Double(sample[base + i]) * Double(sample[base + j])
    }
    return e
  }

  /// The energies of many samples stored row-major, `numVariables` values a row.
  ///
  /// The interactions are laid out once as flat arrays, so each row costs
  /// one pass over contiguous memory, in `(i, j)` order (the same sums as
  /// `energy(_:)`, bit for bit).
  ///
  /// - Complexity: O(m log m + rows·(n + m)).
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
    for (i, j, b) in sortedInteractions {
      us.append(i)
      vs.append(j)
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
