extension BinaryQuadraticModel {
  /// The energy of one sample, given as values in this model's vartype,
  /// one per variable in index order.
  ///
  /// The interactions are summed in `(i, j)` order, not in the dictionary's
  /// per-process order, so the result is the same in every process.
  ///
  /// - Complexity: O(n + m).
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
  /// The interactions are laid out once as flat rows, so each sample costs
  /// one pass over contiguous memory, in `(i, j)` order (the same sums as
  /// `energy(_:)`, bit for bit).
  ///
  /// - Complexity: O(n + m + rows·(n + m)).
  public func energies(ofRows samples: [Int8]) -> [Double] {
    let n = numVariables
    if n == 0 {
      return []
    }
    precondition(samples.count % n == 0, "sample matrix is not a whole number of rows")
    let rows = samples.count / n
    // Row i's interactions (i, j) are column[k], bias[k] for k < end[i].
    let terms = sortedInteractions
    var column = [Int32](repeating: 0, count: terms.count)
    var bias = [Double](repeating: 0, count: terms.count)
    var end = [Int](repeating: 0, count: n)
    for (k, (i, j, b)) in terms.enumerated() {
      column[k] = Int32(j)
      bias[k] = b
      end[i] = k + 1
    }
    for i in 1..<n where end[i] < end[i - 1] { end[i] = end[i - 1] }
    var out = [Double](repeating: offset, count: rows)
    samples.withUnsafeBufferPointer { s in
      for r in 0..<rows {
        let row = UnsafeBufferPointer(rebasing: s[(r * n)..<(r * n + n)])
        var e = offset
        for i in 0..<n { e += linear[i] * Double(row[i]) }
        var k = 0
        for i in 0..<n {
          let si = Double(row[i])
          while k < end[i] {
            e += bias[k] * si * Double(row[Int(column[k])])
            k += 1
          }
        }
        out[r] = e
      }
    }
    return out
  }
}
