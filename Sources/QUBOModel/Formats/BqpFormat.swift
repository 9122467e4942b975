// OR-Library `bqp` instances, one per file (`beasley/split/bqpN_k.txt`), and
// the Glover–Kochenberger–Alidaee set in BiqMac form (`gka*.sparse`):
//
//   n nnz          ← variables and listed entries
//   i j q          ← nnz lines, 1 ≤ i ≤ j ≤ n (upper triangle, diagonal
//                    included, each pair once)
//
// The matrix is symmetric with only its upper triangle listed, so
//
//   f(x) = Σ_i Σ_j q_ij x_i x_j = Σ_i q_ii x_i + 2 Σ_{i<j} q_ij x_i x_j.
//
// OR-Library maximizes f: the model minimizes E = −f (linear −q_ii,
// interaction −2 q_ij) and `Objective.orLibrary` reports f = −E. The BiqMac
// gka files minimize f: the model is f itself (`Objective.gka`). Variable
// v − 1 is the file's x_v. Checked against the stored certificate: the
// bqp500-2 vector scores f = 128339.
//
// A lower-triangle entry (i > j) or a repeated pair is rejected: a file
// listing both triangles would otherwise count every pair twice. The
// original multi-instance files (first line: the number of instances) are
// refused with a pointer to the split files.

enum BqpFormat {
  static func read(
    _ text: UnsafeBufferPointer<UInt8>, path: String, minimize: Bool, variableLimit: Int
  ) throws -> (model: BinaryQuadraticModel, objective: Objective) {
    var r = TextReader(path: path, text: text)
    let headerLine = try r.header("'n nnz'")
    let n = try r.int("variable count n")
    guard let nnzField = r.nextField() else {
      throw r.fail(
        "the header has one number: this looks like a multi-instance OR-Library file "
          + "(\(n) instances); read one of its instances (n nnz, then i j q) instead"
      )
    }
    let nnz: Int
    switch TextReader.parseInt(text, nnzField) {
    case .value(let v): nnz = v
    case .outOfRange: throw r.fail("entry count nnz \(r.quoted(nnzField)) is too large")
    case .invalid, .notFinite:
      throw r.fail("entry count nnz \(r.quoted(nnzField)) is not an integer")
    }
    try r.expectEndOfLine("'n nnz'")
    guard n >= 0 else { throw r.fail("variable count n = \(n) is negative") }
    guard nnz >= 0 else { throw r.fail("entry count nnz = \(nnz) is negative") }
    try r.checkVariableCount(n, "variable count n = \(n)", limit: variableLimit)
    let (pairs, overflow) = n.multipliedReportingOverflow(by: n + 1)
    guard overflow || nnz <= pairs / 2 else {
      throw r.fail(
        "nnz = \(nnz) entries exceed the \(pairs / 2) upper-triangle entries of \(n) variables")
    }
    let sign: Double = minimize ? 1 : -1
    var model = BinaryQuadraticModel(vartype: .binary, count: n)
    model.quadratic.reserveCapacity(min(nnz, text.count / 6))
    var diagonalSeen = [Bool](repeating: false, count: n)
    let names = EntryLineNames(
      count: "nnz", line: "entry", lines: "entries", i: "row i", j: "column j",
      value: "value q", shape: "'i j q'")
    try r.readEntryLines(declared: nnz, headerLine: headerLine, n: n, names: names) {
      i, j, q, line in
      guard i <= j else {
        throw line.fail(
          "entry \(i) \(j) is below the diagonal; list the upper triangle only (i <= j)")
      }
      if i == j {
        guard !diagonalSeen[i - 1] else {
          throw line.fail("diagonal entry \(i) \(i) appears twice")
        }
        diagonalSeen[i - 1] = true
        model.linear[i - 1] = sign * q
      } else {
        let b = 2 * sign * q
        guard b.isFinite else {
          throw line.fail("value q \(q) overflows a Double when doubled (q_ij + q_ji)")
        }
        if model.quadratic.updateValue(b, forKey: QuadraticKey(i - 1, j - 1)) != nil {
          throw line.fail("entry \(i) \(j) appears twice")
        }
      }
    }
    return (model, minimize ? Objective.gka : Objective.orLibrary)
  }
}
