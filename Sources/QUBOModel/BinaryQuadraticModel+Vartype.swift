extension BinaryQuadraticModel {
  /// The same energy function over the other domain.
  ///
  /// Binary to spin substitutes `x = (s + 1)/2`:
  /// `h_i = a_i/2 + Σ_j b_ij/4`, `J_ij = b_ij/4`,
  /// `offset' = offset + Σ_i a_i/2 + Σ_{i<j} b_ij/4`.
  /// Spin to binary substitutes `s = 2x − 1`:
  /// `a_i = 2h_i − 2Σ_j J_ij`, `b_ij = 4J_ij`,
  /// `offset' = offset − Σ_i h_i + Σ_{i<j} J_ij`.
  ///
  /// Interactions are folded into the linear biases and the offset in
  /// `(i, j)` order, so the result does not depend on the dictionary's
  /// per-process iteration order.
  ///
  /// - Complexity: O(n + m).
  public func changingVartype(to target: Vartype) -> BinaryQuadraticModel {
    if target == vartype { return self }
    var out = self
    out.vartype = target
    switch (vartype, target) {
    case (.binary, .spin):
      var off = offset
      for i in linear.indices {
        out.linear[i] = linear[i] / 2
        off += linear[i] / 2
      }
      out.quadratic = quadratic.mapValues { $0 / 4 }
      for (i, j, b) in sortedInteractions {
        out.linear[i] += b / 4
        out.linear[j] += b / 4
        off += b / 4
      }
      out.offset = off
    case (.spin, .binary):
      var off = offset
      for i in linear.indices {
        out.linear[i] = 2 * linear[i]
        off -= linear[i]
      }
      out.quadratic = quadratic.mapValues { 4 * $0 }
      for (i, j, b) in sortedInteractions {
        out.linear[i] -= 2 * b
        out.linear[j] -= 2 * b
        off += b
      }
      out.offset = off
    case (.binary, .binary), (.spin, .spin):
      break
    }
    return out
  }
}
