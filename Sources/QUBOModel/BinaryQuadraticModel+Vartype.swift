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
      for (key, b) in quadratic {
        out.quadratic[key] = b / 4
        out.linear[key.i] += b / 4
        out.linear[key.j] += b / 4
        off += b / 4
      }
      out.offset = off
    case (.spin, .binary):
      var off = offset
      for i in linear.indices {
        out.linear[i] = 2 * linear[i]
        off -= linear[i]
      }
      for (key, b) in quadratic {
        out.quadratic[key] = 4 * b
        out.linear[key.i] -= 2 * b
        out.linear[key.j] -= 2 * b
        off += b
      }
      out.offset = off
    case (.binary, .binary), (.spin, .spin):
      break
    }
    return out
  }
}
