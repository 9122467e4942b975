// Gset max-cut graphs (rudy output, as in Helmberg–Rendl's Gset and
// WK2000_1.rud):
//
//   n m            ← the first two integers; later text on the line is ignored
//   i j w          ← m lines, 1 ≤ i, j ≤ n, weight w
//
// The cut of S is the total weight of edges with one end in S. With spins
// s_i = ±1 (S = {i : s_i = +1}), an edge is cut when s_i s_j = −1, so
//
//   cut(s) = Σ_{i<j} w_ij (1 − s_i s_j)/2 = (W − E(s))/2,
//   E(s)   = Σ_{i<j} w_ij s_i s_j,   W = Σ w_ij,
//
// and maximizing the cut is minimizing the Ising energy E with J_ij = w_ij,
// h = 0. The model is that spin model on variables 0..<n (vertex v is
// variable v − 1); `Objective.cut(totalWeight: W)` maps energies to cuts.
//
// Gset graphs are simple, so a self-loop or a repeated edge (in either
// order) is rejected with its line rather than silently merged: either
// means the file is not what its header says.

enum GsetFormat {
  static func read(
    _ text: UnsafeBufferPointer<UInt8>, path: String, variableLimit: Int
  ) throws -> (model: BinaryQuadraticModel, objective: Objective) {
    var r = TextReader(path: path, text: text)
    let headerLine = try r.header("'n m'")
    let n = try r.int("vertex count n")
    let m = try r.int("edge count m")
    guard n >= 0 else { throw r.fail("vertex count n = \(n) is negative") }
    guard m >= 0 else { throw r.fail("edge count m = \(m) is negative") }
    try r.checkVariableCount(n, "vertex count n = \(n)", limit: variableLimit)
    let (pairs, overflow) = n.multipliedReportingOverflow(by: max(n - 1, 0))
    guard overflow || m <= pairs / 2 else {
      throw r.fail("m = \(m) edges exceed the \(pairs / 2) pairs of \(n) vertices")
    }
    var model = BinaryQuadraticModel(vartype: .spin, count: n)
    model.quadratic.reserveCapacity(min(m, text.count / 6))
    var total = 0.0
    let names = EntryLineNames(
      count: "m", line: "edge", lines: "edges", i: "vertex i", j: "vertex j",
      value: "weight w", shape: "'i j w'")
    try r.readEntryLines(declared: m, headerLine: headerLine, n: n, names: names) {
      i, j, w, line in
      guard i != j else {
        throw line.fail("self-loop on vertex \(i); a max-cut graph has none (a loop is never cut)")
      }
      if model.quadratic.updateValue(w, forKey: QuadraticKey(i - 1, j - 1)) != nil {
        throw line.fail(
          "edge \(min(i, j))-\(max(i, j)) appears twice; Gset graphs list each edge once")
      }
      try line.add(w, to: &total, "the total weight W")
    }
    return (model, Objective.cut(totalWeight: total))
  }
}
